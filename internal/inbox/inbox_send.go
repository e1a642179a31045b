package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
)

// MaxSendAttempts is how many times an outgoing message is tried through
// temporary failures before it is marked failed.
const MaxSendAttempts = 10

// SendArgs is the job that sends one outgoing conversation message.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "inbox_send" }

// SendWorker works SendArgs jobs.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	Service *Service
}

// Timeout bounds one send: one hand-off to a channel.
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return 30 * time.Second }

// Work sends the message; a temporary failure is retried by the queue
// until the last attempt, which marks it failed.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	err := w.Service.Deliver(ctx, job.Args.MessageID)
	if err != nil && job.Attempt >= job.MaxAttempts {
		return w.Service.markSent(context.WithoutCancel(ctx), job.Args.MessageID, SendFailed, err.Error())
	}
	return err
}

// route returns the channel that answers a conversation and the address
// on it: the channel the customer wrote on; a web form's e-mail address
// is answered by e-mail.
func (s *Service) route(c *Conversation) (string, string, error) {
	ch := c.Channel
	if ch == ChannelWeb {
		if !strings.Contains(c.Address, "@") {
			return "", "", fmt.Errorf("%w: the web form gave no e-mail address", ErrNoChannel)
		}
		ch = ChannelEmail
	}
	if s.channels[ch] == nil {
		return "", "", fmt.Errorf("%w: the %s channel is not set up", ErrNoChannel, ch)
	}
	return ch, c.Address, nil
}

// routable tells whether a channel can carry an answer to c.
func (s *Service) routable(c *Conversation) bool {
	_, _, err := s.route(c)
	return err == nil
}

// Deliver hands an outgoing message to its channel, threaded to the
// customer's message it answers, and records the outcome. A message sent
// or failed before is left alone; a permanent failure (a refused
// address) is recorded and not retried; a temporary one is returned.
func (s *Service) Deliver(ctx context.Context, id int64) error {
	m, err := messageGet(ctx, s.db.Read(), id)
	if err != nil {
		return err
	}
	if m.Direction != Out || m.SentState != SendPending {
		return nil
	}
	c, err := conversationGet(ctx, s.db.Read(), m.ConversationID)
	if err != nil {
		return err
	}
	ch, to, err := s.route(c)
	if err != nil {
		return s.markSent(ctx, id, SendFailed, err.Error())
	}
	out := notify.Message{ID: fmt.Sprintf("c%d", m.ID), To: to, ToName: c.ContactName, Subject: m.Subject, Text: m.Text,
		Transactional: true, AutoReply: m.Auto == AutoAck}
	if ch == ChannelEmail {
		out.InReplyTo, out.References = m.InReplyTo, m.References
	}
	err = s.channels[ch].Send(ctx, out)
	done := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		return s.markSent(done, id, SendSent, "")
	case notify.IsPermanent(err) || errors.Is(err, notify.ErrInvalidMessage):
		return s.markSent(done, id, SendFailed, err.Error())
	}
	if rerr := s.markSent(done, id, SendPending, err.Error()); rerr != nil {
		return rerr
	}
	return fmt.Errorf("send conversation message %d on %s: %w", id, ch, err)
}

// markSent records what came of sending a message.
func (s *Service) markSent(ctx context.Context, id int64, state, detail string) error {
	now := s.clock.Now()
	var sentAt *time.Time
	if state == SendSent {
		sentAt = &now
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE conversation_messages SET sent_state = $2, sent_error = $3, sent_at = $4
			WHERE id = $1 AND sent_state = 'pending'`, id, state, clip(detail, 1000), sentAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("record sending of conversation message %d: %w", id, err)
	}
	return nil
}

// reSubject is the subject of an answer: the conversation's with "Re: ",
// as mail programs thread it.
func reSubject(subject string) string {
	low := strings.ToLower(subject)
	if subject == "" || strings.HasPrefix(low, "re:") || strings.HasPrefix(low, "на:") || strings.HasPrefix(low, "atb.:") {
		return subject
	}
	return "Re: " + subject
}

// customerLocation is the customer's time zone, else the shop's.
func (s *Service) customerLocation(who *customer.Customer) *time.Location {
	if who != nil && who.Timezone != "" {
		if loc, err := time.LoadLocation(who.Timezone); err == nil {
			return loc
		}
	}
	return s.settings.Shop.Location()
}

// AckText is the automatic acknowledgement in lang: the message came in
// outside working hours and is answered by due, in the customer's time
// zone loc.
func (s *Service) AckText(lang i18n.Lang, due time.Time, loc *time.Location) string {
	local := due.In(loc)
	when := i18n.FormatDayTime(lang, local) + " (" + local.Format("MST") + ")"
	return i18n.Text(lang, "inbox.ack.text", map[string]any{"Shop": s.settings.Shop.Name, "When": when})
}

// ackEvery is how often at most a sender gets an acknowledgement.
const ackEvery = 24 * time.Hour

// acknowledge writes the conversation's one automatic acknowledgement of
// a message that came outside working hours, saying when it will be
// answered, in the conversation's language and the customer's time, and
// enqueues its sending.
func (s *Service) acknowledge(ctx context.Context, tx *store.Tx, c *Conversation, in *Message, who *customer.Customer, now time.Time) error {
	if !s.routable(c) || c.NextResponseDue == nil {
		return nil // nothing can carry it: the answer will
	}
	// At most one a day to a sender, whatever the conversation (RFC 3834
	// §2: an automatic answer must not flood its recipient).
	var recent bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.channel = $1 AND c.address = $2 AND m.auto = 'ack' AND m.created_at > $3)`,
		c.Channel, c.Address, now.Add(-ackEvery)).Scan(&recent)
	if err != nil {
		return fmt.Errorf("acknowledgements to %s: %w", c.Address, err)
	}
	if recent {
		return nil
	}
	lang := i18n.Pick(c.Language, i18n.EN)
	text := s.AckText(lang, *c.NextResponseDue, s.customerLocation(who))
	m := &Message{ConversationID: c.ID, Direction: Out, Channel: c.Channel, AuthorName: s.settings.Shop.Name,
		Subject: reSubject(c.Subject), Text: text, Visible: text, Auto: AutoAck, SentState: SendPending, CreatedAt: now}
	if in.Channel == ChannelEmail {
		m.InReplyTo, m.References = in.MessageID, append(append([]string(nil), in.References...), in.MessageID)
	}
	if _, err := messageInsert(ctx, tx, m, nil); err != nil {
		return err
	}
	c.AckedAt = &now
	if _, err := tx.Exec(ctx, `UPDATE conversations SET acked_at = $2 WHERE id = $1`, c.ID, now); err != nil {
		return fmt.Errorf("acknowledge conversation %d: %w", c.ID, err)
	}
	return s.jobs.InsertManyTx(ctx, tx, []river.InsertManyParams{sendJob(m.ID)})
}
