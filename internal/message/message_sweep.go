package message

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
)

// The sweep sends messages in batches (issue 22): a message due when it is
// scheduled is marked batched instead of getting a job of its own, and the
// sweep job its transaction enqueues takes up to sweepBatch such messages
// at once under a lease, composes them, records their hand-offs in one
// transaction, hands them to their channels side by side (the e-mail
// channel reuses its SMTP connections) and records what came of them in
// one more: three commits a batch instead of three a message, and no job
// a message. The bookkeeping is the single send's: a hand-off is committed
// before a byte goes to the channel and cleared by its outcome, so a
// process that dies in between leaves a message that is sent again, once,
// with the same id. Whatever is not a plain hand-off (put off to the
// customer's morning, waiting for the order's first message, retried
// after a failure, interrupted by a crash) is handed back to a send job of
// its own, which does what it always did.

const (
	// SweepInterval is how often a periodic sweep runs: it takes the
	// messages of a process that died holding them, once their lease
	// has run out, and any a sweep left.
	SweepInterval = 5 * time.Second
	// sweepBatch is the most messages a sweep takes at once.
	sweepBatch = 100
	// sweepParallel bounds the messages of a batch composed or handed
	// to channels at once.
	sweepParallel = 16
	// maxBatches bounds the batches a process works at once: a sweep
	// takes messages only when it can work them at once, so that none
	// waits out its lease in the process that took it (concurrent sweeps
	// also share the database pool and the SMTP connections). On
	// PostgreSQL a batch waits mostly on round trips: 4 took a burst
	// from 391 to 590 msgs/s beside 2.
	maxBatches = 4
	// sweepLease is how long a sweep holds the messages it took (real
	// time): their sends are bounded by SendTimeout, so no other sweep
	// takes a message whose hand-off may still be under way.
	sweepLease = 2 * SendTimeout
)

// item is one message of a batch and what the sweep does with it.
type item struct {
	m *Message
	c *Contact
	d Draft
	// Exactly one of: a hand-off on channel (sender not nil), a final
	// status without one (suppressed), or back to a job of its own.
	sender  notify.Sender
	channel string
	out     notify.Message
	status  Status
	reason  string
	back    bool
	err     error // what the channel answered
	// routing: composed, and to be routed once the batch has read the
	// messages it waits for.
	routing bool
}

// sweep sends batched messages, batch after batch, until a batch comes
// back short (every message due was taken) or the job has run long. When
// the process works maxBatches batches already, it leaves its messages
// to those sweeps (they go round once more) instead of holding a worker
// of the queue while it waits.
func (s *Sender) sweep(ctx context.Context) error {
	start := time.Now()
	for {
		if !s.takeSlot() {
			s.again.Store(true)
			if !s.takeSlot() { // one that was leaving may have missed the flag
				return nil
			}
		}
		err := s.sweepBatches(ctx, start)
		<-s.batches
		if err != nil || !s.again.Load() || time.Since(start) > jobs.LongTimeout/2 {
			return err
		}
	}
}

func (s *Sender) takeSlot() bool {
	select {
	case s.batches <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *Sender) sweepBatches(ctx context.Context, start time.Time) error {
	for {
		s.again.Store(false)
		n, err := s.sendBatch(ctx)
		if err != nil || n < sweepBatch && !s.again.Load() || time.Since(start) > jobs.LongTimeout/2 {
			return err
		}
	}
}

// claim takes up to sweepBatch batched messages whose lease has run out
// (or that never had one) and returns them with the new lease.
func (s *Sender) claim(ctx context.Context) (ids []int64, lease int64, err error) {
	now := time.Now()
	lease = now.Add(sweepLease).UnixMilli()
	lock := ""
	if s.db.Engine() == store.Postgres {
		lock = " FOR UPDATE SKIP LOCKED" // concurrent sweeps take different messages
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		ids = ids[:0]
		return store.Each(ctx, tx, `UPDATE messages SET claimed_until = $1 WHERE id IN (
			SELECT id FROM messages WHERE batched AND status = 'scheduled' AND claimed_until < $2
			ORDER BY id LIMIT $3`+lock+`) RETURNING id`, []any{lease, now.UnixMilli(), sweepBatch},
			func(r store.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("take due messages: %w", err)
	}
	return ids, lease, nil
}

// own takes a batched message for its own job, unless a sweep holds it:
// then it returns when that sweep's lease runs out.
func (s *Sender) own(ctx context.Context, id int64) (time.Time, error) {
	var until int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE messages SET batched = FALSE, claimed_until = 0
			WHERE id = $1 AND batched AND claimed_until < $2`, id, time.Now().UnixMilli())
		if err != nil || n > 0 {
			return err
		}
		return tx.QueryRow(ctx, `SELECT claimed_until FROM messages WHERE id = $1 AND batched`, id).Scan(&until)
	})
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, nil // taken meanwhile by another job: it is its own now
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("take message %d: %w", id, err)
	}
	if until == 0 {
		return time.Time{}, nil
	}
	return time.UnixMilli(until), nil
}

// sendBatch takes one batch and sends it; it returns how many messages it
// took.
func (s *Sender) sendBatch(ctx context.Context) (int, error) {
	ids, lease, err := s.claim(ctx)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	ms, err := list(ctx, s.db.Read(), `SELECT `+columns+` FROM messages WHERE id IN (`+store.Placeholders(1, len(ids))+`)`,
		anys(ids)...)
	if err != nil {
		return 0, err
	}
	items := make([]*item, len(ms))
	batch := make([]*Message, len(ms))
	for i := range ms {
		items[i] = &item{m: &ms[i]}
		batch[i] = &ms[i]
	}
	composer := s.composer
	if b, ok := composer.(BatchComposer); ok {
		composer = b.Batch(ctx, s.db.Read(), batch)
	}
	contacts := s.contacts(ctx, batch)
	each(items, func(it *item) { s.prepare(ctx, composer, contacts, it) })
	s.awaitFirsts(ctx, items)
	for _, it := range items {
		if it.routing {
			s.routeItem(it)
		}
	}

	// The hand-offs, the final statuses that need none and the messages
	// handed back, in one transaction. A message whose lease ran out
	// (another sweep took it) is left alone; a hand-off renews the lease,
	// so that it covers the hand-off's SendTimeout in full.
	renewed := time.Now().Add(sweepLease).UnixMilli()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var params []river.InsertManyParams
		now := s.clock.Now()
		if err := s.markHandoffs(ctx, tx, items, now, lease, renewed); err != nil {
			return err
		}
		for _, it := range items {
			switch {
			case it.sender != nil:
			case it.status != "":
				if err := s.finishIn(ctx, tx, it.m, it.status, "", it.reason); err != nil {
					return err
				}
			case it.back:
				p, err := s.handBack(ctx, tx, it.m.ID, lease, now, MaxAttempts)
				if err != nil {
					return err
				}
				params = append(params, p...)
			}
		}
		return s.jobs.InsertManyTx(ctx, tx, params)
	})
	if err != nil {
		return 0, err
	}

	// Each hand-off the channel took is recorded as it comes back, with
	// whatever others came back meanwhile, one transaction each: the
	// time a message that went stays unrecorded (and would go again
	// after a crash) is one commit, as for a single send, not the batch.
	// It is recorded even when the job's time ran out or the queue is
	// stopping: a message the channel took and left unrecorded would go
	// twice.
	done := context.WithoutCancel(ctx)
	sent := make(chan *item, len(items))
	recorded := make(chan error, 1)
	go func() { recorded <- s.recordSent(done, sent) }()
	sendCtx, cancel := context.WithTimeout(ctx, SendTimeout)
	defer cancel()
	each(items, func(it *item) {
		if it.sender == nil {
			return
		}
		if it.err = it.sender.Send(sendCtx, it.out); it.err == nil {
			sent <- it
		}
	})
	close(sent)
	if err := <-recorded; err != nil {
		return 0, err
	}
	// A failed hand-off goes the single send's way from its outcome on
	// (the next channel, a retry, giving up), and back to a job of its
	// own when it is to be tried again.
	var errs []error
	for _, it := range items {
		if it.sender == nil || it.err == nil {
			continue
		}
		errs = append(errs, s.afterFailure(done, it, renewed))
	}
	return len(ids), errors.Join(errs...)
}

// recordSent records the messages that went as they come, in groups of
// those that came while the group before was being committed.
func (s *Sender) recordSent(ctx context.Context, sent <-chan *item) error {
	var errs []error
	for it := range sent {
		group := []*item{it}
	more:
		for {
			select {
			case it, ok := <-sent:
				if !ok {
					break more
				}
				group = append(group, it)
			default:
				break more
			}
		}
		err := s.db.InTx(ctx, func(tx *store.Tx) error { return s.finishSentIn(ctx, tx, group) })
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// markHandoffs records, inside tx, the hand-off of every item of a batch
// that has a channel to go to, and renews its lease; an item whose lease
// ran out meanwhile (another sweep took it) or that was finished loses
// its sender. It does for the batch what the single send does for one
// message: on PostgreSQL in one statement (a statement a message made the
// batch wait on a round trip each), on SQLite one prepared statement a
// message, which is cheaper there than a statement built for the batch.
func (s *Sender) markHandoffs(ctx context.Context, tx *store.Tx, items []*item, now time.Time, lease, renewed int64) error {
	if s.db.Engine() != store.Postgres {
		for _, it := range items {
			if it.sender == nil {
				continue
			}
			n, err := tx.Exec(ctx, `UPDATE messages SET handoff_at = $2, handoff_channel = $3, claimed_until = $5
				WHERE id = $1 AND claimed_until = $4 AND status = 'scheduled'`, it.m.ID, now, it.channel, lease, renewed)
			if err != nil {
				return fmt.Errorf("record hand-off of message %d to %s: %w", it.m.ID, it.channel, err)
			}
			if n == 0 {
				it.sender = nil
			}
		}
		return nil
	}
	var ids []int64
	var channels []string
	for _, it := range items {
		if it.sender != nil {
			ids, channels = append(ids, it.m.ID), append(channels, it.channel)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	marked := make(map[int64]bool, len(ids))
	err := store.Each(ctx, tx, `UPDATE messages m SET handoff_at = $1, handoff_channel = u.channel, claimed_until = $2
		FROM unnest($3::bigint[], $4::text[]) AS u (id, channel)
		WHERE m.id = u.id AND m.claimed_until = $5 AND m.status = 'scheduled'
		RETURNING m.id`, []any{now, renewed, ids, channels, lease}, func(r store.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		marked[id] = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("record the hand-offs of %d messages: %w", len(ids), err)
	}
	for _, it := range items {
		if it.sender != nil && !marked[it.m.ID] {
			it.sender = nil
		}
	}
	return nil
}

// finishSentIn records, inside tx, that the channels took the messages of
// group: for each its attempt and its final status, as recordIn and
// finishIn write them for a single send. On PostgreSQL the group takes
// three statements instead of three a message; on SQLite, where a
// statement costs no round trip, it is the single send's statements.
func (s *Sender) finishSentIn(ctx context.Context, tx *store.Tx, group []*item) error {
	for _, it := range group {
		it.m.Subject, it.m.Body = it.d.Subject, it.out.Text
	}
	if s.db.Engine() != store.Postgres {
		for _, it := range group {
			if err := s.finishIn(ctx, tx, it.m, Sent, it.channel, ""); err != nil {
				return err
			}
		}
		return nil
	}
	now := s.clock.Now()
	ids := make([]int64, len(group))
	channels := make([]string, len(group))
	subjects := make([]string, len(group))
	bodies := make([]string, len(group))
	for i, it := range group {
		ids[i], channels[i], subjects[i], bodies[i] = it.m.ID, it.channel, it.m.Subject, it.m.Body
	}
	if _, err := tx.Exec(ctx, `INSERT INTO message_attempts (message_id, channel, outcome, detail, at)
		SELECT u.id, u.channel, $3::text, '', $4::timestamptz FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS u (id, channel, n)
		ORDER BY u.n`, ids, channels, OutcomeSent, now); err != nil {
		return fmt.Errorf("record the attempts of %d messages: %w", len(ids), err)
	}
	if _, err := tx.Exec(ctx, `UPDATE messages m SET attempts = m.attempts + 1, channel = u.channel, updated_at = $3, handoff_at = NULL
		FROM unnest($1::bigint[], $2::text[]) AS u (id, channel) WHERE m.id = u.id`, ids, channels, now); err != nil {
		return fmt.Errorf("record the attempts of %d messages: %w", len(ids), err)
	}
	return store.Each(ctx, tx, `UPDATE messages m SET status = $1, channel = u.channel, reason = '', sent_at = $2,
		subject = u.subject, body = u.body, updated_at = $2, handoff_at = NULL, batched = FALSE, claimed_until = 0
		FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS u (id, channel, subject, body)
		WHERE m.id = u.id AND m.status = 'scheduled'
		RETURNING u.channel`, []any{string(Sent), now, ids, channels, subjects, bodies}, func(r store.Rows) error {
		var channel string
		if err := r.Scan(&channel); err != nil {
			return err
		}
		if s.finished != nil {
			tx.AfterCommit(func() { s.finished(channel, Sent) })
		}
		return nil
	})
}

// contacts reads the contacts of a batch's customers together, one
// statement per table for the batch instead of two a message. Should
// that read fail, each message reads its contact itself (prepare).
func (s *Sender) contacts(ctx context.Context, ms []*Message) map[int64]*Contact {
	ids := make([]int64, 0, len(ms))
	seen := make(map[int64]bool, len(ms))
	for _, m := range ms {
		if m.Status == Scheduled && m.Batched && m.HandoffAt == nil && !seen[m.CustomerID] {
			seen[m.CustomerID] = true
			ids = append(ids, m.CustomerID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	contacts, err := LoadContacts(ctx, s.db.Read(), ids)
	if err != nil {
		s.log.Warn("message sweep: load the contacts of a batch", "customers", len(ids), "err", err)
		return nil
	}
	return contacts
}

// prepare composes a message of a batch and decides what to do with it:
// finish it without a channel or hand it back to a job of its own, or
// mark it for routing (routeItem) once the batch knows which of the
// messages it waits for are still to go (awaitFirsts). The contacts
// read for the batch are shared, read-only, by a customer's messages; a
// message whose customer is not among them reads its own.
func (s *Sender) prepare(ctx context.Context, composer Composer, contacts map[int64]*Contact, it *item) {
	m := it.m
	if m.Status != Scheduled || !m.Batched {
		return // finished or taken meanwhile
	}
	if m.HandoffAt != nil {
		it.back = true // interrupted: its job records that and sends it again
		return
	}
	c := contacts[m.CustomerID]
	if c == nil {
		var err error
		if c, err = LoadContact(ctx, s.db.Read(), m.CustomerID); err != nil {
			s.log.Warn("message sweep: load contact", "message", m.ID, "err", err)
			it.back = true
			return
		}
	}
	d, err := composer.Compose(ctx, s.db.Read(), m, c)
	if err != nil {
		s.log.Warn("message sweep: compose", "message", m.ID, "err", err)
		it.back = true
		return
	}
	it.c, it.d = c, d
	if d.Suppress != "" {
		it.status, it.reason = Suppressed, d.Suppress
		return
	}
	if why := c.Marketing(); why != "" && !m.Transactional {
		it.status, it.reason = Suppressed, why
		return
	}
	it.routing = true
}

// awaitFirsts hands back to their own jobs the messages of a batch that
// wait for a message still scheduled (Draft.After: the order's
// confirmation), read with one statement for the batch.
func (s *Sender) awaitFirsts(ctx context.Context, items []*item) {
	var keys []string
	for _, it := range items {
		if it.routing && it.d.After != "" && !slices.Contains(keys, it.d.After) {
			keys = append(keys, it.d.After)
		}
	}
	if len(keys) == 0 {
		return
	}
	waiting, err := pendingKeys(ctx, s.db.Read(), keys)
	if err != nil {
		s.log.Warn("message sweep: load the messages a batch waits for", "messages", len(keys), "err", err)
	}
	for _, it := range items {
		if it.routing && it.d.After != "" && (err != nil || waiting[it.d.After]) {
			it.routing, it.back = false, true // it waits for the first message: its job does
		}
	}
}

// routeItem decides where a composed message of a batch goes: to the
// first channel that may carry it now, to a job of its own when it is to
// wait, or finished when no channel can carry it.
func (s *Sender) routeItem(it *item) {
	m, c, d := it.m, it.c, it.d
	now := s.clock.Now()
	loc := notify.Location(c.Timezone, s.settings.Shop.Location())
	var skipped []string
	for _, ch := range c.Channels(d.Channels, s.settings.Channels.Order) {
		sender, addr, why := s.route(c, m, d, ch)
		if why != "" {
			skipped = append(skipped, why)
			continue
		}
		if next := notify.NextContact(now, loc, s.settings.Shop.ContactHours); next.After(now) && s.quiet(m, d, ch) {
			it.back = true // put off to the customer's morning by its job
			return
		}
		if until := s.pausedUntil(ch); until.After(now) {
			it.back = true
			return
		}
		it.sender, it.channel, it.out = sender, ch, outgoing(m, c, d, ch, addr)
		return
	}
	// No channel can carry it: finished here as its job would finish it
	// (deliver), without a job and its commits of its own.
	it.status, it.reason = Suppressed, noChannel(skipped)
}

// afterFailure takes a failed hand-off of a batch the single send's way
// (deliver, from that channel's outcome on), and hands the message back
// to a job of its own when it is to be tried again.
func (s *Sender) afterFailure(ctx context.Context, it *item, lease int64) error {
	job := &river.Job[SendArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: MaxAttempts}, Args: SendArgs{MessageID: it.m.ID}}
	err := s.deliver(ctx, job, it.m, it.c, it.d, &tried{channel: it.channel, err: it.err})
	if err == nil {
		return nil // finished: sent on another channel, or failed for good
	}
	now := s.clock.Now()
	at := s.NextRetry(job)
	attempts := MaxAttempts - 1 // this was its first
	var snoozed *rivertype.JobSnoozeError
	if errors.As(err, &snoozed) {
		at, attempts = now.Add(snoozed.Duration), MaxAttempts
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := s.handBack(ctx, tx, it.m.ID, lease, at, attempts)
		if err != nil {
			return err
		}
		return s.jobs.InsertManyTx(ctx, tx, p)
	})
}

// handBack gives a message of the sweep's (still under its lease) a send
// job of its own, due at at, inside tx; it returns the job to enqueue, or
// none when the lease has run out.
func (s *Sender) handBack(ctx context.Context, tx *store.Tx, id, lease int64, at time.Time, attempts int) ([]river.InsertManyParams, error) {
	n, err := tx.Exec(ctx, `UPDATE messages SET batched = FALSE, claimed_until = 0
		WHERE id = $1 AND batched AND claimed_until = $2`, id, lease)
	if err != nil {
		return nil, fmt.Errorf("hand message %d back to its job: %w", id, err)
	}
	if n == 0 {
		return nil, nil
	}
	opts := sendOpts(at, s.clock.Now())
	opts.MaxAttempts = attempts
	return []river.InsertManyParams{{Args: SendArgs{MessageID: id}, InsertOpts: opts}}, nil
}

// each runs f on every item, sweepParallel at a time.
func each(items []*item, f func(*item)) {
	sem := make(chan struct{}, sweepParallel)
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(it)
		})
	}
	wg.Wait()
}

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
