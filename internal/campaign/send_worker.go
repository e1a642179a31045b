package campaign

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
)

// The sender's sizes and times. The lease outlasts the job's timeout, so
// a live job never loses its batch to another; a dead one's batch is
// taken again when its lease runs out.
const (
	batchSize   = 500
	leaseFor    = 45 * time.Second
	sendTimeout = 30 * time.Second
	runBudget   = 10 * time.Second
	// flushEvery and flushAfter group the outcomes' writes: a crash
	// re-sends at most the messages of one group.
	flushEvery  = 100
	flushAfter  = 100 * time.Millisecond
	maxAttempts = 3
)

// The suppressions' reasons (campaign_recipients.reason of suppressed).
const (
	ReasonNoConsent    = "no_consent"
	ReasonUnsubscribed = "unsubscribed"
	ReasonBounced      = "bounced"
	ReasonFrequencyCap = "frequency_cap"
	ReasonNoAddress    = "no_address"
)

// The reasons a campaign was paused (campaigns.status_reason).
const (
	PausedByShop    = "paused"     // the shop paused it
	PausedErrors    = "errors"     // campaigns.max_errors failures in a row
	PausedNoChannel = "no_channel" // the channel is not configured
	PausedContent   = "content"    // the content does not render
)

// SendArgs is the job that sends a campaign's due messages.
type SendArgs struct {
	CampaignID int64 `json:"campaign_id"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "campaign.send" }

// sendUniqueStates keep one send job per campaign waiting or running.
var sendUniqueStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

// Timeout is short so that the job of a process that died is rescued
// soon (jobs.RescueAfter); a run stops claiming after runBudget.
func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return sendTimeout }

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	return w.s.sendRun(ctx, job.Args.CampaignID)
}

// sendRun sends campaign id's due messages batch by batch for up to
// runBudget, then snoozes until the next is due, or finishes the
// campaign when nobody is left.
func (s *Service) sendRun(ctx context.Context, id int64) error {
	began := time.Now()
	c, err := get(ctx, s.db.Read(), id)
	if err != nil {
		return err
	}
	if c.Status != Sending && c.Status != Scheduled {
		return nil
	}
	if err := s.pickWinner(ctx, c); err != nil {
		return err
	}
	sender := s.channels[c.Channel]
	if sender == nil {
		return s.pauseFor(ctx, id, PausedNoChannel)
	}
	k, err := s.send.hooks.compile(c)
	if err != nil {
		s.deps.Log.Error("campaign content does not compile", "campaign", id, "err", err)
		return s.pauseFor(ctx, id, PausedContent)
	}
	run := &sendRun{s: s, c: c, k: k, sender: sender, conns: connections(sender)}
	for time.Since(began) < runBudget {
		batch, err := s.claim(ctx, id)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return s.afterRun(ctx, c)
		}
		if c.Status == Scheduled {
			if err := s.exec(ctx, `UPDATE campaigns SET status = 'sending' WHERE id = $1 AND status = 'scheduled'`, id); err != nil {
				return err
			}
			c.Status = Sending
		}
		if err := run.batch(ctx, batch); err != nil {
			return err
		}
		if run.streak.Load() >= run.maxErrors() {
			return s.pauseFor(ctx, id, PausedErrors)
		}
		var status Status
		if err := s.db.Read().QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1`, id).Scan(&status); err != nil {
			return err
		}
		if status != Sending {
			return nil
		}
	}
	return river.JobSnooze(0)
}

// connections is how many messages the channel takes at once.
func connections(ch notify.Sender) int {
	if c, ok := ch.(interface{ Connections() int }); ok && c.Connections() > 0 {
		return c.Connections()
	}
	return 4
}

// pauseFor pauses a sending campaign for reason.
func (s *Service) pauseFor(ctx context.Context, id int64, reason string) error {
	return s.exec(ctx, `UPDATE campaigns SET status = 'paused', status_reason = $1, updated_at = $2
		WHERE id = $3 AND status IN ('sending', 'scheduled')`, reason, s.deps.Clock.Now(), id)
}

// exec runs one statement in a transaction of its own.
func (s *Service) exec(ctx context.Context, query string, args ...any) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, query, args...)
		return err
	})
}

// claimed is one recipient taken under a lease.
type claimed struct {
	customer int64
	variant  string
}

// claim takes up to batchSize due recipients of campaign id under a
// lease: pending ones due by now, and those whose lease ran out (their
// process died handing them over: they go again, with the same
// Message-ID).
func (s *Service) claim(ctx context.Context, id int64) ([]claimed, error) {
	now, real := s.deps.Clock.Now(), time.Now()
	var out []claimed
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		out = out[:0]
		scan := func(r store.Rows) error {
			var c claimed
			if err := r.Scan(&c.customer, &c.variant); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		}
		// Two statements, each one range of the index on (campaign_id,
		// status, due_at): an OR of both would scan every recipient.
		// SQLite: the outer statement re-checks the status through
		// status || '', which keeps it on the primary key rather than
		// scanning the whole status range (SQLite has one writer, so
		// claims never race).
		for _, st := range []struct {
			status, cond string
			bound        any
		}{
			{"sending", `claimed_until < $3`, real.UnixMilli()},
			{"pending", `due_at <= $3`, now},
		} {
			if len(out) >= batchSize {
				break
			}
			query := `UPDATE campaign_recipients SET status = 'sending', claimed_until = $2, attempts = attempts + 1
				WHERE campaign_id = $1 AND (status || '') = '` + st.status + `' AND ` + st.cond + ` AND customer_id IN (
					SELECT customer_id FROM campaign_recipients
					WHERE campaign_id = $1 AND status = '` + st.status + `' AND ` + st.cond + ` ORDER BY due_at LIMIT $4)
				RETURNING customer_id, variant`
			if s.db.Engine() == store.Postgres {
				// PostgreSQL planned the IN as a subplan per row of a
				// large campaign; a join on the primary key with the
				// rows locked (others skip them) is its usual queue.
				query = `UPDATE campaign_recipients r SET status = 'sending', claimed_until = $2, attempts = r.attempts + 1
					FROM (SELECT customer_id FROM campaign_recipients
						WHERE campaign_id = $1 AND status = '` + st.status + `' AND ` + st.cond + `
						ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) d
					WHERE r.campaign_id = $1 AND r.customer_id = d.customer_id
					RETURNING r.customer_id, r.variant`
			}
			err := store.Each(ctx, tx, query, []any{id, real.Add(leaseFor).UnixMilli(), st.bound, batchSize - len(out)},
				scan)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim recipients of campaign %d: %w", id, err)
	}
	return out, nil
}

// afterRun snoozes the job until the campaign's next message is due (or
// its test's winner), or finishes the campaign when nobody is left.
func (s *Service) afterRun(ctx context.Context, c *Campaign) error {
	q := s.db.Read()
	now := s.deps.Clock.Now()
	var next time.Time
	var due time.Time
	err := q.QueryRow(ctx, `SELECT due_at FROM campaign_recipients WHERE campaign_id = $1 AND status = 'pending'
		ORDER BY due_at LIMIT 1`, c.ID).Scan(&due)
	switch {
	case err == nil:
		next = due
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	var lease int64
	err = q.QueryRow(ctx, `SELECT claimed_until FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sending'
		ORDER BY claimed_until DESC LIMIT 1`, c.ID).Scan(&lease)
	switch {
	case err == nil:
		// Another process's batch, or a dead one's: look again when its
		// lease runs out.
		at := now.Add(max(0, time.Until(time.UnixMilli(lease))) + time.Second)
		if next.IsZero() || at.Before(next) {
			next = at
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	var waiting int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'waiting'`,
		c.ID).Scan(&waiting); err != nil {
		return err
	}
	if waiting > 0 && c.StartedAt != nil {
		at := c.StartedAt.Add(c.Test.Wait)
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	if !next.IsZero() {
		return river.JobSnooze(max(0, next.Sub(now)))
	}
	return s.finish(ctx, c.ID)
}

// finish marks a campaign nobody is left in as sent.
func (s *Service) finish(ctx context.Context, id int64) error {
	now := s.deps.Clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE campaigns SET status = 'sent', finished_at = $1, updated_at = $1
			WHERE id = $2 AND status = 'sending'`, now, id)
		if err != nil || n == 0 {
			return err
		}
		p, err := progress(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.journal.Append(ctx, tx, journal.Event{Kind: journal.CampaignFinished, OccurredAt: now,
			Payload: journal.MustPayload(event.CampaignFinishedPayload{CampaignID: id, Sent: p.Sent, Failed: p.Failed,
				Suppressed: p.Suppressed})})
	})
}

// pickWinner ends campaign c's A/B test once its wait is over: the
// variant that scores more (a on a tie) is the winner, and the waiting
// rest of the audience is due now with it.
func (s *Service) pickWinner(ctx context.Context, c *Campaign) error {
	now := s.deps.Clock.Now()
	if c.Test.Share == 0 || c.Winner != "" || c.StartedAt == nil || now.Before(c.StartedAt.Add(c.Test.Wait)) {
		return nil
	}
	scores, err := s.send.hooks.scores(ctx, c.ID, c.Test.Metric)
	if err != nil {
		return fmt.Errorf("score the variants of campaign %d: %w", c.ID, err)
	}
	winner := VariantA
	if scores[VariantB] > scores[VariantA] {
		winner = VariantB
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE campaigns SET winner = $1, updated_at = $2 WHERE id = $3 AND winner = ''`, winner, now, c.ID)
		if err != nil || n == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE campaign_recipients SET status = 'pending', variant = $1, due_at = $2
			WHERE campaign_id = $3 AND status = 'waiting'`, winner, now, c.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("record the winner of campaign %d: %w", c.ID, err)
	}
	c.Winner = winner
	return nil
}

// tick makes sure every sending or scheduled campaign has its send job
// (after a Resume raced with a job ending, or a restart).
func (s *Service) tick(ctx context.Context) error {
	var ids []int64
	if err := store.Each(ctx, s.db.Read(), `SELECT id FROM campaigns WHERE status IN ('sending', 'scheduled')`, nil,
		func(r store.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		}); err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return s.enqueueSend(ctx, tx, id, s.deps.Clock.Now()) }); err != nil {
			return err
		}
	}
	return nil
}

// sendRun is one run of a campaign's send job.
type sendRun struct {
	s      *Service
	c      *Campaign
	k      renderer
	sender notify.Sender
	conns  int
	// streak counts the failures in a row.
	streak atomic.Int64
}

// outcome is what came of one claimed recipient.
type outcome struct {
	customer int64
	kind     string // sent, failed, retry, release, suppressed, defer
	reason   string
	language string
	due      time.Time
	// permanent marks a failure the customer's address is to blame for.
	permanent bool
}

// toSend is a recipient cleared to be sent.
type toSend struct {
	claimed
	reach customer.MarketingReach
	addr  string
}

// batch checks, sends and records one claimed batch.
func (r *sendRun) batch(ctx context.Context, batch []claimed) error {
	s, c := r.s, r.c
	now := s.deps.Clock.Now()
	ids := make([]int64, len(batch))
	for i, b := range batch {
		ids[i] = b.customer
	}
	q := s.db.Read()
	reach := make(map[int64]customer.MarketingReach, len(batch))
	if err := customer.EachMarketingReach(ctx, q, c.Channel, ids, func(m customer.MarketingReach) error {
		reach[m.ID] = m
		return nil
	}); err != nil {
		return fmt.Errorf("reach of campaign %d's recipients: %w", c.ID, err)
	}
	capped, err := s.capped(ctx, q, c.ID, ids, now)
	if err != nil {
		return err
	}
	out := newCollector(ctx, s, c.ID)
	hours := s.deps.Settings.Shop.ContactHours
	shop := s.deps.Settings.Shop.Location()
	var send []toSend
	for _, b := range batch {
		m, ok := reach[b.customer]
		addr := ""
		if ok {
			addr = address(m, c.Channel)
		}
		why := ""
		switch {
		case !ok || m.ErasedAt != nil:
			why = ReasonNoConsent
		case m.MarketingOptedOutAt != nil || m.OptedOutAt != nil:
			why = ReasonUnsubscribed
		case m.FailedAt != nil:
			why = ReasonBounced
		case m.MarketingConsentAt == nil:
			why = ReasonNoConsent
		case addr == "":
			why = ReasonNoAddress
		case capped[b.customer]:
			why = ReasonFrequencyCap
		}
		if why != "" {
			out.add(outcome{customer: b.customer, kind: "suppressed", reason: why})
			continue
		}
		if next := notify.NextContact(now, notify.Location(m.Timezone, shop), hours); next.After(now) {
			out.add(outcome{customer: b.customer, kind: "defer", due: next})
			continue
		}
		send = append(send, toSend{claimed: b, reach: m, addr: addr})
	}
	items := make(chan toSend)
	var wg sync.WaitGroup
	for range min(r.conns, max(1, len(send))) {
		wg.Go(func() {
			for it := range items {
				out.add(r.one(ctx, it))
			}
		})
	}
	for _, it := range send {
		items <- it
	}
	close(items)
	wg.Wait()
	return out.close()
}

// maxErrors is how many failures in a row pause the campaign.
func (r *sendRun) maxErrors() int64 { return int64(max(1, r.s.deps.Settings.Campaigns.MaxErrors)) }

// one sends one message, unless the job is stopping.
func (r *sendRun) one(ctx context.Context, it toSend) outcome {
	o := outcome{customer: it.customer, language: it.reach.Language}
	if ctx.Err() != nil || r.streak.Load() >= r.maxErrors() {
		// Stopping, or the failures in a row are enough to pause: not
		// handed over, pending again.
		o.kind = "release"
		return o
	}
	if err := r.s.send.pace.wait(ctx, r.c.Channel, it.addr); err != nil {
		o.kind = "release"
		return o
	}
	variant := it.variant
	if variant == VariantRest {
		variant = r.c.Winner
	}
	rec := Recipient{CustomerID: it.customer, Name: it.reach.Name, Language: it.reach.Language,
		Email: store.Text(it.reach.Email), Phone: store.Text(it.reach.Phone), Telegram: store.Text(it.reach.TelegramChat)}
	m, err := r.k.Render(variant, rec)
	if err != nil {
		r.streak.Add(1)
		o.kind, o.reason = "failed", "render: "+err.Error()
		return o
	}
	err = r.sender.Send(ctx, notify.Message{ID: MessageID(r.c.ID, it.customer), To: it.addr, ToName: it.reach.Name,
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, Transactional: false, Unsubscribe: m.Unsubscribe})
	if err == nil {
		r.streak.Store(0)
		o.kind = "sent"
		return o
	}
	if wait, ok := notify.IsThrottled(err); ok {
		r.s.send.pace.hold(r.c.Channel, wait)
		o.kind = "release"
		return o
	}
	r.streak.Add(1)
	switch {
	case notify.IsPermanent(err) || errors.Is(err, notify.ErrInvalidMessage):
		o.kind, o.reason, o.permanent = "failed", err.Error(), notify.IsPermanent(err)
	default:
		o.kind, o.reason = "retry", err.Error()
	}
	return o
}

// MessageID is the Message-ID of campaign id's message to a customer:
// the same on every try, so a message re-sent after a crash is
// recognisably the same one, and a bounce finds its recipient.
func MessageID(campaign, customer int64) string { return fmt.Sprintf("k%d-%d", campaign, customer) }

// address is the customer's address on channel.
func address(m customer.MarketingReach, channel string) string {
	switch channel {
	case Email:
		return store.Text(m.Email)
	case SMS:
		return store.Text(m.Phone)
	case Telegram:
		return store.Text(m.TelegramChat)
	}
	return ""
}

// capped tells which of ids had a marketing message (a flow's, or
// another campaign's) within playbook.frequency_cap before now.
func (s *Service) capped(ctx context.Context, q store.Querier, id int64, ids []int64, now time.Time) (map[int64]bool, error) {
	out := map[int64]bool{}
	limit := time.Duration(s.deps.Settings.Playbook.FrequencyCap)
	if limit <= 0 {
		return out, nil
	}
	since := now.Add(-limit)
	last, err := message.LastMarketingOf(ctx, q, ids, since)
	if err != nil {
		return nil, fmt.Errorf("frequency cap: %w", err)
	}
	for id := range last {
		out[id] = true
	}
	err = store.QueryIn(ctx, q, `SELECT customer_id FROM campaign_recipients WHERE campaign_id <> $1 AND sent_at >= $2
		AND customer_id IN (IN_LIST)`, []any{id, since}, ids, func(r store.Rows) error {
		var c int64
		if err := r.Scan(&c); err != nil {
			return err
		}
		out[c] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("frequency cap: %w", err)
	}
	return out, nil
}
