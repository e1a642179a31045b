package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// Size caps of what is stored with a message.
const (
	// MaxAttachment is the largest attachment kept; a larger one is
	// listed in the log and dropped (Zammad refuses mail over 10 MB).
	MaxAttachment = 10 << 20
	// MaxRaw is the largest raw message kept for an operator to look at.
	MaxRaw = 2 << 20
	// maxText bounds a message's text.
	maxText = 256 << 10
)

// Receive threads and stores one message a channel received; it is
// idempotent per (channel, message id): a message fetched twice is stored
// once. A person's message opens a conversation or joins one, sets the
// answer's due time and, outside working hours, the conversation's one
// acknowledgement; an auto-reply joins a thread it belongs to quietly, or
// is dropped; a bounce marks the customer's address failed and joins the
// conversation of the message that bounced.
func (s *Service) Receive(ctx context.Context, in Inbound) error {
	if err := normalize(&in); err != nil {
		return err
	}
	if in.MessageID == "" {
		in.MessageID = digest(&in)
	}
	var exists bool
	err := s.db.Read().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM conversation_messages WHERE channel = $1 AND message_id = $2)`,
		in.Channel, in.MessageID).Scan(&exists)
	if err != nil {
		return fmt.Errorf("receive %s message %s: %w", in.Channel, in.MessageID, err)
	}
	if exists {
		return nil
	}
	lang := in.Language
	if !Supported(lang) {
		text := in.Visible
		if text == "" {
			text = in.Text
		}
		lang = detectLanguage(in.Subject + "\n" + text)
	}
	var dropped string
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		dropped = ""
		why, err := s.receive(ctx, tx, &in, lang)
		dropped = why
		return err
	})
	switch {
	case errors.Is(err, errDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("receive %s message %s: %w", in.Channel, in.MessageID, err)
	case dropped != "":
		s.log.Info("inbox: message dropped", "channel", in.Channel, "from", in.From, "message_id", in.MessageID, "why", dropped)
	}
	return nil
}

// receive does Receive's work inside tx; it returns why a message was
// dropped, or "".
func (s *Service) receive(ctx context.Context, tx *store.Tx, in *Inbound, lang string) (string, error) {
	now := s.clock.Now()
	who, err := s.sender(ctx, tx, in)
	if err != nil {
		return "", err
	}
	var th threading
	if in.Auto == Bounce {
		th, err = s.bounce(ctx, tx, in, now)
	} else {
		th, err = s.thread(ctx, tx, in, who)
	}
	if err != nil {
		return "", err
	}
	if in.Auto != Human && th.conv == nil {
		return fmt.Sprintf("an %s that belongs to no conversation", in.Auto), nil
	}
	if lang == "" {
		switch {
		case th.conv != nil && th.conv.Language != "":
			lang = th.conv.Language
		case who != nil && Supported(who.Language):
			lang = who.Language
		default:
			lang = s.shopLanguage()
		}
	}
	var events []journal.Event
	conv := th.conv
	if conv == nil {
		due := s.Due(now, s.target(nil))
		conv = &Conversation{CustomerID: th.customerID, OrderID: th.orderID, Channel: in.Channel, Address: in.From,
			ContactName: in.FromName, Subject: in.Subject, Language: lang, Status: Open,
			FirstResponseDue: &due, NextResponseDue: &due, CreatedAt: now, UpdatedAt: now}
		if err := conversationInsert(ctx, tx, conv); err != nil {
			return "", err
		}
		events = append(events, journal.Event{Kind: journal.ConversationOpened, CustomerID: conv.CustomerID,
			OrderID: conv.OrderID, OccurredAt: now, Payload: journal.MustPayload(event.ConversationOpenedPayload{
				ConversationID: conv.ID, Channel: conv.Channel, Subject: conv.Subject, Language: conv.Language,
				Known: conv.CustomerID != 0, FirstResponseDue: due.UTC()})})
	}
	m := &Message{ConversationID: conv.ID, Direction: In, Channel: in.Channel, AuthorName: in.FromName,
		MessageID: in.MessageID, InReplyTo: in.InReplyTo, References: in.References, Subject: in.Subject,
		Text: in.Text, Visible: in.Visible, HTML: in.HTML, Auto: in.Auto, CreatedAt: now}
	if in.Bounce != nil {
		m.Bounce = strings.TrimSpace(in.Bounce.Status + " " + in.Bounce.Diagnostic)
	}
	raw := in.Raw
	if len(raw) > MaxRaw {
		raw = nil
	}
	inserted, err := messageInsert(ctx, tx, m, raw)
	if err != nil {
		return "", err
	}
	if !inserted {
		return "", errDuplicate // the same message, stored meanwhile by another fetch
	}
	if err := s.storeAttachments(ctx, tx, m.ID, in.Attachments); err != nil {
		return "", err
	}
	if th.conv != nil {
		if err := s.rethread(ctx, tx, conv, th, in, now); err != nil {
			return "", err
		}
	}
	events = append(events, journal.Event{Kind: journal.MessageReceived, CustomerID: conv.CustomerID, OrderID: conv.OrderID,
		OccurredAt: now, Payload: journal.MustPayload(event.MessageReceivedPayload{ConversationID: conv.ID, MessageID: m.ID,
			Channel: in.Channel, Language: lang, Auto: string(in.Auto)})})
	if in.Auto == Human && conv.AckedAt == nil && !s.Working(now) && acknowledgeable(in) {
		if err := s.acknowledge(ctx, tx, conv, m, who, now); err != nil {
			return "", err
		}
	}
	return "", s.journal.Append(ctx, tx, events...)
}

// rethread updates a conversation a message joined: a person's message
// makes it open (a closed, pending or snoozed one included) and, unless
// an answer is awaited already, starts the clock of the next answer; a
// machine's leaves it as it is. A reply about an order gives a
// conversation without one its order.
func (s *Service) rethread(ctx context.Context, tx *store.Tx, c *Conversation, th threading, in *Inbound, now time.Time) error {
	if in.Auto != Human {
		_, err := tx.Exec(ctx, `UPDATE conversations SET updated_at = $2 WHERE id = $1`, c.ID, now)
		return err
	}
	if c.NextResponseDue == nil || c.Status != Open {
		due := s.Due(now, s.target(c))
		c.NextResponseDue, c.OverdueAt = &due, nil
	}
	if c.OrderID == 0 && th.orderID != 0 {
		c.OrderID = th.orderID
	}
	c.Status, c.SnoozedUntil, c.UpdatedAt = Open, nil, now
	_, err := tx.Exec(ctx, `UPDATE conversations SET status = 'open', snoozed_until = NULL, next_response_due = $2,
		overdue_at = $3, order_id = $4, updated_at = $5 WHERE id = $1`,
		c.ID, c.NextResponseDue, c.OverdueAt, nullID(c.OrderID), now)
	if err != nil {
		return fmt.Errorf("update conversation %d: %w", c.ID, err)
	}
	return nil
}

// bounce handles a delivery status notification: a permanent failure of
// a customer's address is recorded on the customer (the message package
// owns the channels' standing), and the bounce joins the conversation of
// the message that bounced, when it was a conversation's.
func (s *Service) bounce(ctx context.Context, tx *store.Tx, in *Inbound, now time.Time) (threading, error) {
	var th threading
	b := in.Bounce
	if b == nil {
		return th, nil
	}
	var customerID int64
	kind, n, own := ownID(b.OriginalMessageID)
	switch {
	case own && kind == 'c':
		m, err := messageGet(ctx, tx, n)
		if err != nil && !isNotFound(err) {
			return th, err
		}
		if m != nil {
			c, err := conversationGet(ctx, tx, m.ConversationID)
			if err != nil {
				return th, err
			}
			th.conv, th.rule, customerID = c, "bounce", c.CustomerID
		}
	case own && kind == 'm':
		m, err := message.Get(ctx, tx, n)
		if err != nil && !isNotFound(err) {
			return th, err
		}
		if m != nil {
			customerID = m.CustomerID
		}
	}
	if customerID == 0 && b.Recipient != "" {
		c, err := customer.FindByAddress(ctx, tx, customer.AddressEmail, b.Recipient, "")
		if err != nil && !isNotFound(err) {
			return th, err
		}
		if c != nil {
			customerID = c.ID
		}
	}
	if customerID != 0 && b.Permanent && !b.Complaint {
		failure := strings.TrimSpace("bounced: " + b.Status + " " + b.Diagnostic)
		if err := message.RecordFailure(ctx, tx, customerID, message.Email, failure, now); err != nil {
			return th, err
		}
	}
	if err := s.report(ctx, tx, b, kind, n, own, customerID, now); err != nil {
		return th, err
	}
	return th, nil
}

// storeAttachments keeps the attachments within the size cap.
func (s *Service) storeAttachments(ctx context.Context, tx *store.Tx, messageID int64, atts []Attachment) error {
	for _, a := range atts {
		if len(a.Data) > MaxAttachment {
			s.log.Info("inbox: attachment over the size cap dropped", "message", messageID, "name", a.Name, "bytes", len(a.Data))
			continue
		}
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		_, err := tx.Exec(ctx, `INSERT INTO conversation_attachments (message_id, name, content_type, size, data)
			VALUES ($1, $2, $3, $4, $5)`, messageID, clip(a.Name, 255), clip(ct, 255), int64(len(a.Data)), a.Data)
		if err != nil {
			return fmt.Errorf("store attachment %q of message %d: %w", a.Name, messageID, err)
		}
	}
	return nil
}

// normalize checks what a channel gave and trims it to what is stored.
func normalize(in *Inbound) error {
	switch in.Channel {
	case ChannelEmail, ChannelTelegram, ChannelWeb:
	default:
		return invalid.Field("channel", "invalid", "%q is not a channel; email, telegram or web", in.Channel)
	}
	in.From = strings.TrimSpace(in.From)
	if in.Channel != ChannelTelegram {
		in.From = strings.ToLower(in.From)
	}
	if in.From == "" {
		return invalid.Field("from", "required", "the sender's address is required")
	}
	if len(in.From) > 320 {
		return invalid.Field("from", "invalid", "the sender's address is longer than 320 bytes")
	}
	in.MessageID = clip(strings.Trim(strings.TrimSpace(in.MessageID), "<>"), 500)
	in.InReplyTo = clip(strings.Trim(strings.TrimSpace(in.InReplyTo), "<>"), 500)
	if len(in.References) > 50 {
		in.References = in.References[len(in.References)-50:]
	}
	for i, r := range in.References {
		in.References[i] = clip(strings.Trim(strings.TrimSpace(r), "<>"), 500)
	}
	in.FromName = clip(strings.TrimSpace(in.FromName), 200)
	in.Subject = clip(strings.TrimSpace(in.Subject), 500)
	in.Text = clip(strings.ToValidUTF8(in.Text, "�"), maxText)
	in.Visible = clip(strings.ToValidUTF8(in.Visible, "�"), maxText)
	in.HTML = clip(strings.ToValidUTF8(in.HTML, "�"), 4*maxText)
	switch in.Auto {
	case Human, AutoReply, Bounce:
	default:
		return invalid.Field("auto", "invalid", "%q is not auto_reply or bounce", in.Auto)
	}
	return nil
}

// digest stands in for the id of a message that came without one: the
// same message fetched twice has the same digest.
func digest(in *Inbound) string {
	h := sha256.New()
	for _, part := range []string{in.From, in.To, in.Subject, in.Text, in.SentAt.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:40]
}

// clip cuts s to at most n bytes on a rune boundary; the NUL bytes
// PostgreSQL's text refuses go too.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return s
}

// acknowledgeable tells whether the sender may get an automatic answer:
// never a no-reply or system address (RFC 3834 §2).
func acknowledgeable(in *Inbound) bool {
	if in.Channel == ChannelEmail || strings.Contains(in.From, "@") {
		local, _, _ := strings.Cut(in.From, "@")
		for _, word := range []string{"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "bounce"} {
			if strings.Contains(local, word) {
				return false
			}
		}
	}
	return true
}

// shopLanguage is the shop's first language that shopcare writes in.
func (s *Service) shopLanguage() string {
	for _, l := range s.settings.Shop.Languages {
		if Supported(l) {
			return l
		}
	}
	return "en"
}

// sendJob is the job that sends an outgoing message.
func sendJob(id int64) river.InsertManyParams {
	return river.InsertManyParams{Args: SendArgs{MessageID: id}, InsertOpts: &river.InsertOpts{MaxAttempts: MaxSendAttempts}}
}
