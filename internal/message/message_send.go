package message

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// MaxAttempts is how many times a message is tried through temporary
// failures (a server down, a timeout) before it is marked failed. Waiting
// out a provider's throttling or the customer's night does not count.
const MaxAttempts = 10

// SendArgs is the job that sends one message, or, without a message id,
// the sweep that sends every batched message (see sweep).
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "message_send" }

// sendOpts are the send job's options for a message due at at. A message
// due now or earlier leaves ScheduledAt out: River stores any job with a
// ScheduledAt as scheduled, even one in the past, and its scheduler moves
// scheduled jobs to available only every few seconds, so a message due now
// would wait up to that long. Without it the job is available at once (and
// River dates it by the same injected clock).
func sendOpts(at, now time.Time) *river.InsertOpts {
	if !at.After(now) {
		return &river.InsertOpts{MaxAttempts: MaxAttempts}
	}
	return &river.InsertOpts{ScheduledAt: at, MaxAttempts: MaxAttempts}
}

// Draft is a message written for its customer at send time.
type Draft struct {
	// Suppress, when not empty, says why the message must not go after all
	// (the order moved on, was cancelled, a condition no longer holds).
	Suppress string
	// Channels are the rule's own channel order; nil for the customer's.
	Channels []string
	// Urgent lets e-mail go outside contact hours (never SMS or Telegram).
	Urgent  bool
	Subject string
	Text    string
	HTML    string
	Short   string // the SMS form; Text when empty
	// Unsubscribe is the one-click link of a marketing-type message.
	Unsubscribe string
	// Advertising marks an offer (a campaign, a marketing flow: welcome,
	// win-back, birthday): it goes only on a channel where the customer
	// gave their explicit marketing consent (RU advertising law, the EU's
	// ePrivacy), where other marketing-type messages (a survey, a review
	// request) keep the soft opt-in of customers who bought.
	Advertising bool
	// Buttons are Telegram's link buttons (a survey's scores).
	Buttons [][]notify.Button
	// After, when set, is the dedupe key of a message that must reach the
	// customer first (an order's confirmation): while it is still
	// scheduled, this one waits for it.
	After string
}

// Composer writes a message's content for its customer when it is due: the
// playbook, which knows the rules and the templates.
type Composer interface {
	Compose(ctx context.Context, q store.Querier, m *Message, c *Contact) (Draft, error)
}

// A BatchComposer reads what the messages of a sweep's batch need (their
// orders) once for the batch, instead of once a message.
type BatchComposer interface {
	Composer
	// Batch returns a Composer for the messages ms that composes each
	// as Compose does, from what it read for all of them at once.
	Batch(ctx context.Context, q store.Querier, ms []*Message) Composer
}

// Outcomes of one attempt.
const (
	OutcomeSent      = "sent"
	OutcomeThrottled = "throttled"
	OutcomePermanent = "permanent"
	OutcomeError     = "error"
	// OutcomeInterrupted is an attempt whose process died while handing
	// the message to the channel: it may have gone. The message is sent
	// again at once with the same Message-ID, so that the receiver's mail
	// system can drop the copy.
	OutcomeInterrupted = "interrupted"
)

// Sender is the worker that sends messages on the shop's channels.
type Sender struct {
	db       *store.DB
	clock    clock.Clock
	log      *slog.Logger
	composer Composer
	channels map[string]notify.Sender
	settings config.Settings
	jobs     Inserter
	journal  *journal.Journal
	finished func(channel string, status Status)

	batches chan struct{} // the sweeps' batches in work at once (maxBatches)
	again   atomic.Bool   // a sweep left its messages to the running ones

	mu     sync.Mutex
	paused map[string]time.Time // channel → throttled until
	river.WorkerDefaults[SendArgs]
}

// SenderParams are the collaborators of a Sender.
type SenderParams struct {
	// Composer writes each message (the playbook).
	Composer Composer
	// Channels are the shop's configured channels.
	Channels []notify.Sender
	// Jobs enqueues the send job of a message the sweep hands back
	// (put off, or to be retried): jobs.Queue.
	Jobs Inserter
	// Journal, when set, hears of order news no channel carried
	// (experience.negative, for the negative-experience register).
	Journal *journal.Journal
	// Finished, when set, hears of every message finished (sent, failed,
	// suppressed) once its transaction commits: the metrics' counter.
	Finished func(channel string, status Status)
}

// NewSender returns the send worker over the channels that are configured.
func NewSender(d service.Deps, p SenderParams) *Sender {
	s := &Sender{db: d.DB, clock: d.Clock, log: d.Log, composer: p.Composer, settings: d.Settings, jobs: p.Jobs, journal: p.Journal, finished: p.Finished,
		channels: map[string]notify.Sender{}, paused: map[string]time.Time{}, batches: make(chan struct{}, maxBatches)}
	for _, c := range p.Channels {
		s.channels[c.Channel()] = c
	}
	return s
}

// SendTimeout bounds one send job: composing, one hand-off to a channel
// (an SMTP session, a provider's API call) and recording it. It is short
// because it is also how long a job of a process that died must be
// running before the queue's rescue may run it again (jobs.RescueAfter).
const SendTimeout = 10 * time.Second

// Timeout bounds one send; a sweep, which sends batch after batch, each
// under its own lease, runs up to jobs.LongTimeout.
func (s *Sender) Timeout(job *river.Job[SendArgs]) time.Duration {
	if job.Args.MessageID == 0 {
		return jobs.LongTimeout
	}
	return SendTimeout
}

// NextRetry backs off from 30 seconds, doubling, to at most 2 hours; but a
// job rescued after its process died during a hand-off runs again at once:
// the customer may have the message already, and a copy that follows at
// once is one they can recognise (and their mail system drop, by its
// Message-ID), where one minutes later is a second message.
func (s *Sender) NextRetry(job *river.Job[SendArgs]) time.Time {
	now := s.clock.Now()
	if job.Args.MessageID == 0 {
		return now.Add(time.Second) // a sweep that failed (the database): soon again
	}
	var at *time.Time
	err := s.db.Read().QueryRow(context.Background(), `SELECT handoff_at FROM messages WHERE id = $1`, job.Args.MessageID).Scan(&at)
	if err == nil && at != nil {
		return now
	}
	wait := 30 * time.Second << min(job.Attempt-1, 8)
	return now.Add(min(wait, 2*time.Hour))
}

// Work sends one message, or puts it off, or gives up on it; without a
// message id, it sweeps (sends every batched message).
func (s *Sender) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	if job.Args.MessageID == 0 {
		return s.sweep(ctx)
	}
	m, err := Get(ctx, s.db.Read(), job.Args.MessageID)
	if err != nil {
		return err
	}
	if m.Status != Scheduled {
		return nil // done before: a job can run twice
	}
	if m.Batched {
		// A sweep's message, sent by this job instead (a test, or a
		// job from before the sweep): take it, unless a live sweep has.
		if until, err := s.own(ctx, m.ID); err != nil || !until.IsZero() {
			if err != nil {
				return err
			}
			return snooze(time.Until(until))
		}
	}
	if m.HandoffAt != nil {
		// The attempt before died during its hand-off (SIGKILL, power):
		// the message may have gone. Say so, and send it again now.
		detail := fmt.Sprintf("the process stopped while handing the message to %s at %s UTC; it may have gone: sent again with the same id",
			m.HandoffChannel, m.HandoffAt.UTC().Format("2006-01-02 15:04:05"))
		if err := s.record(ctx, m.ID, m.HandoffChannel, OutcomeInterrupted, detail); err != nil {
			return err
		}
	}
	c, err := LoadContact(ctx, s.db.Read(), m.CustomerID)
	if err != nil {
		return err
	}
	d, err := s.composer.Compose(ctx, s.db.Read(), m, c)
	if err != nil {
		return fmt.Errorf("compose message %d: %w", m.ID, err)
	}
	if d.Suppress != "" {
		return s.finish(ctx, m, Suppressed, "", d.Suppress)
	}
	if why := c.Marketing(); why != "" && !m.Transactional {
		return s.finish(ctx, m, Suppressed, "", why)
	}
	if d.After != "" {
		first, err := s.awaitFirst(ctx, d.After)
		if err != nil {
			return err
		}
		if first != nil {
			// The first message has not gone yet: follow it, a moment
			// after its time.
			return s.putOff(ctx, m, later(first.ScheduledAt, s.clock.Now()).Add(followGap), "waits for the "+first.Rule+" message to go first")
		}
	}
	return s.deliver(ctx, job, m, c, d, nil)
}

// tried is a hand-off a sweep made already: its channel and what came of
// it.
type tried struct {
	channel string
	err     error
}

// deliver tries the channels in the customer's order until one takes the
// message, and records what came of it. done, when not nil, is the
// outcome of a hand-off to its channel made already (by a sweep): it is
// taken for that channel's instead of sending again.
func (s *Sender) deliver(ctx context.Context, job *river.Job[SendArgs], m *Message, c *Contact, d Draft, made *tried) error {
	now := s.clock.Now()
	loc := notify.Location(c.Timezone, s.settings.Shop.Location())
	var skipped []string
	failed := false
	for _, ch := range c.Channels(d.Channels, s.settings.Channels.Order) {
		sender, addr, why := s.route(c, m, d, ch)
		if why != "" {
			skipped = append(skipped, why)
			continue
		}
		var out notify.Message
		var err error
		if made != nil && made.channel == ch {
			err, made = made.err, nil
		} else {
			if next := notify.NextContact(now, loc, s.settings.Shop.ContactHours); next.After(now) && s.quiet(m, d, ch) {
				// Not at night on a channel that rings: the customer's
				// morning, on whatever channel is first then. Waiting does
				// not count as an attempt.
				return s.putOff(ctx, m, next, "outside the customer's contact hours")
			}
			if until := s.pausedUntil(ch); until.After(now) {
				return s.putOff(ctx, m, until, ch+" provider asked to slow down")
			}
			out = outgoing(m, c, d, ch, addr)
			if err := s.handoff(ctx, m.ID, ch); err != nil {
				return err
			}
			err = sender.Send(ctx, out)
		}
		// What came of the hand-off is recorded even when the job's time
		// ran out or the queue is stopping meanwhile: a message the
		// channel took and left unrecorded would go twice.
		done := context.WithoutCancel(ctx)
		if err == nil {
			m.Subject, m.Body = d.Subject, out.Text
			return s.finish(done, m, Sent, ch, "")
		}
		if retry, ok := notify.IsThrottled(err); ok {
			s.pause(ch, now.Add(retry))
			if rerr := s.record(done, m.ID, ch, OutcomeThrottled, err.Error()); rerr != nil {
				return rerr
			}
			if rerr := s.retryAt(done, m.ID, now.Add(retry)); rerr != nil {
				return rerr
			}
			return snooze(retry)
		}
		if notify.IsPermanent(err) || errors.Is(err, notify.ErrInvalidMessage) {
			failed = true
			skipped = append(skipped, ch+": "+err.Error())
			if rerr := s.permanent(done, m, c, ch, err, notify.IsPermanent(err)); rerr != nil {
				return rerr
			}
			continue // the next channel in the customer's order
		}
		if rerr := s.record(done, m.ID, ch, OutcomeError, err.Error()); rerr != nil {
			return rerr
		}
		if job.Attempt >= job.MaxAttempts {
			return s.finish(done, m, Failed, ch, fmt.Sprintf("gave up after %d attempts: %v", job.Attempt, err))
		}
		// The message is due again at its next try: the outbox shows when,
		// and the order's later messages wait for its confirmation.
		if rerr := s.retryAt(done, m.ID, s.NextRetry(job)); rerr != nil {
			return rerr
		}
		return fmt.Errorf("send message %d on %s: %w", m.ID, ch, err)
	}
	reason := noChannel(skipped)
	if failed {
		return s.unreachable(ctx, m, reason)
	}
	return s.finish(ctx, m, Suppressed, "", reason)
}

// route is the sender of channel ch and the customer's address on it, or
// why the channel cannot carry message m (written as d) to them: a
// marketing-type message also skips a channel the customer withdrew
// marketing on, and an advertising one every channel without the
// customer's explicit marketing consent.
func (s *Sender) route(c *Contact, m *Message, d Draft, ch string) (sender notify.Sender, addr, why string) {
	if sender = s.channels[ch]; sender == nil {
		return nil, "", ch + " is not set up"
	}
	if addr, why = c.Address(ch); why != "" {
		return nil, "", why
	}
	if !m.Transactional {
		if why = c.MarketingOn(ch); why != "" {
			return nil, "", why
		}
		if d.Advertising {
			if why = c.AdvertisingOn(ch); why != "" {
				return nil, "", why
			}
		}
	}
	return sender, addr, ""
}

// noChannel is why a message no channel could carry was not sent: the
// reasons of the channels skipped.
func noChannel(skipped []string) string {
	return "no channel can reach the customer: " + strings.Join(skipped, "; ")
}

// outgoing is the message as channel ch carries it to addr.
func outgoing(m *Message, c *Contact, d Draft, ch, addr string) notify.Message {
	out := notify.Message{ID: "m" + strconv.FormatInt(m.ID, 10), To: addr, ToName: c.Name, Subject: d.Subject,
		Text: d.Text, HTML: d.HTML, Transactional: m.Transactional, Unsubscribe: d.Unsubscribe}
	if ch == SMS && d.Short != "" {
		out.Text, out.HTML = d.Short, ""
	}
	if ch == Telegram {
		out.Buttons = d.Buttons
	}
	return out
}

// followGap is how long after the message it follows a message is tried
// again: the first one's send job runs at its time, and this one after it.
const followGap = 10 * time.Second

// pending returns the message with the dedupe key when it is still
// scheduled, or nil.
func pending(ctx context.Context, q store.Querier, key string) (*Message, error) {
	m, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM messages WHERE dedupe_key = $1 AND status = 'scheduled'`, key))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load message %s: %w", key, err)
	}
	return m, nil
}

// pendingKeys says which of the dedupe keys belong to messages still
// scheduled, with one statement for all of them (pending, for a batch).
func pendingKeys(ctx context.Context, q store.Querier, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	err := store.QueryIn(ctx, q, `SELECT dedupe_key FROM messages WHERE dedupe_key IN (IN_LIST) AND status = 'scheduled'`,
		nil, keys, func(r store.Rows) error {
			var key string
			if err := r.Scan(&key); err != nil {
				return err
			}
			out[key] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load %d messages by key: %w", len(keys), err)
	}
	return out, nil
}

// awaitFirst returns the message with the dedupe key when this one must
// wait for it: it is still scheduled for later (put off to the customer's
// morning, or to its next try after a failure). When it is due it is most
// likely being sent right now (its job and this one came due together): it
// is given up to firstWait of real time to go; a due one that does not go
// meanwhile (its job is lost) holds nothing back.
func (s *Sender) awaitFirst(ctx context.Context, key string) (*Message, error) {
	first, err := pending(ctx, s.db.Read(), key)
	if first == nil || err != nil || first.ScheduledAt.After(s.clock.Now()) {
		return first, err
	}
	tick := time.NewTicker(firstPoll)
	defer tick.Stop()
	deadline := time.NewTimer(firstWait)
	defer deadline.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline.C:
			return nil, nil
		case <-tick.C:
		}
		if first, err = pending(ctx, s.db.Read(), key); first == nil || err != nil {
			return first, err
		}
	}
}

// How long, in real time, a message waits within its job for the one it
// follows while that one is being sent, and how often it looks.
const (
	firstWait = 2 * time.Second
	firstPoll = 20 * time.Millisecond
)

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// quiet reports whether the message waits for the customer's contact
// hours on channel: marketing always does (it is never urgent); order news
// does on the channels that keep quiet hours (channels.quiet_hours: SMS
// and Telegram, not the silent e-mail, by default), and an urgent rule's
// e-mail never does.
func (s *Sender) quiet(m *Message, d Draft, channel string) bool {
	switch {
	case !m.Transactional:
		return true
	case d.Urgent && channel == Email:
		return false
	}
	return s.settings.Channels.QuietHours.Holds(channel)
}

// permanent records a permanent failure on the message and, when the
// address itself is bad, on the customer.
func (s *Sender) permanent(ctx context.Context, m *Message, c *Contact, ch string, err error, onCustomer bool) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.recordIn(ctx, tx, m.ID, ch, OutcomePermanent, err.Error()); err != nil {
			return err
		}
		m.Channel = ch
		if !onCustomer {
			return nil
		}
		return RecordFailure(ctx, tx, c.CustomerID, ch, err.Error(), s.clock.Now())
	})
}

// handoff records, and commits, that the message is being handed to
// channel now, before a byte goes to the channel: whatever the attempt
// comes to clears it, so a job that finds it set knows its process died
// during a hand-off.
func (s *Sender) handoff(ctx context.Context, id int64, channel string) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE messages SET handoff_at = $2, handoff_channel = $3 WHERE id = $1`, id, s.clock.Now(), channel)
		return err
	})
	if err != nil {
		return fmt.Errorf("record hand-off of message %d to %s: %w", id, channel, err)
	}
	return nil
}

// retryAt records when a message that failed for now is tried again.
func (s *Sender) retryAt(ctx context.Context, id int64, at time.Time) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE messages SET scheduled_at = $2 WHERE id = $1 AND status = 'scheduled'`, id, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("schedule the next try of message %d: %w", id, err)
	}
	return nil
}

// putOff moves a message to a later time without counting an attempt.
func (s *Sender) putOff(ctx context.Context, m *Message, until time.Time, why string) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE messages SET scheduled_at = $2, reason = $3, updated_at = $4, handoff_at = NULL WHERE id = $1`,
			m.ID, until, why, s.clock.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("put off message %d: %w", m.ID, err)
	}
	return snooze(until.Sub(s.clock.Now()))
}

// snooze puts the job off for d, or runs it again at once when d has
// already passed: on a fast clock (the demo's) the moment can slip by
// between the decision and the snooze, and River refuses a negative
// duration with a panic.
func snooze(d time.Duration) error {
	return river.JobSnooze(max(d, 0))
}

// finish records the message's final status, and its attempt when a
// channel was tried.
func (s *Sender) finish(ctx context.Context, m *Message, status Status, channel, reason string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return s.finishIn(ctx, tx, m, status, channel, reason)
	})
}

// finishIn is finish inside tx. A finished message is no longer batched.
func (s *Sender) finishIn(ctx context.Context, tx *store.Tx, m *Message, status Status, channel, reason string) error {
	now := s.clock.Now()
	var sentAt *time.Time
	if status == Sent {
		sentAt = &now
		if err := s.recordIn(ctx, tx, m.ID, channel, OutcomeSent, ""); err != nil {
			return err
		}
	}
	if channel == "" {
		channel = m.Channel
	}
	n, err := tx.Exec(ctx, `UPDATE messages SET status = $2, channel = $3, reason = $4, sent_at = $5,
		subject = $6, body = $7, updated_at = $8, handoff_at = NULL, batched = FALSE, claimed_until = 0
		WHERE id = $1 AND status = 'scheduled'`,
		m.ID, string(status), channel, truncate(reason, 1000), sentAt, m.Subject, m.Body, now)
	if err != nil {
		return fmt.Errorf("finish message %d: %w", m.ID, err)
	}
	if s.finished != nil && n > 0 {
		tx.AfterCommit(func() { s.finished(channel, status) })
	}
	return nil
}

func (s *Sender) record(ctx context.Context, id int64, channel, outcome, detail string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return s.recordIn(ctx, tx, id, channel, outcome, detail)
	})
}

// recordIn writes one attempt, which ends its hand-off; every attempt
// counts in messages.attempts but throttling, which is not the message's
// fault.
func (s *Sender) recordIn(ctx context.Context, q store.Querier, id int64, channel, outcome, detail string) error {
	now := s.clock.Now()
	_, err := q.Exec(ctx, `INSERT INTO message_attempts (message_id, channel, outcome, detail, at) VALUES ($1, $2, $3, $4, $5)`,
		id, channel, outcome, truncate(detail, 1000), now)
	if err == nil && outcome == OutcomeThrottled {
		_, err = q.Exec(ctx, `UPDATE messages SET handoff_at = NULL WHERE id = $1`, id)
	} else if err == nil {
		_, err = q.Exec(ctx, `UPDATE messages SET attempts = attempts + 1, channel = $2, updated_at = $3, handoff_at = NULL WHERE id = $1`,
			id, channel, now)
	}
	if err != nil {
		return fmt.Errorf("record attempt of message %d: %w", id, err)
	}
	return nil
}

// pause holds a throttled channel back until until: every message for it
// waits, so shopcare slows down to the provider's pace instead of hammering
// it.
func (s *Sender) pause(channel string, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.paused[channel]) {
		s.paused[channel] = until
	}
}

func (s *Sender) pausedUntil(channel string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused[channel]
}

// Attempt is one try of a message on a channel.
type Attempt struct {
	Channel string
	Outcome string
	Detail  string
	At      time.Time
}

// Attempts returns a message's attempts, oldest first.
func Attempts(ctx context.Context, q store.Querier, messageID int64) ([]Attempt, error) {
	rows, err := q.Query(ctx, `SELECT channel, outcome, detail, at FROM message_attempts WHERE message_id = $1 ORDER BY id`, messageID)
	if err != nil {
		return nil, fmt.Errorf("attempts of message %d: %w", messageID, err)
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		if err := rows.Scan(&a.Channel, &a.Outcome, &a.Detail, &a.At); err != nil {
			return nil, fmt.Errorf("attempts of message %d: %w", messageID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
