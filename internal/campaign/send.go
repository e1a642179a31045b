package campaign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Part "send": the sending machinery. Start evaluates the audience into
// campaign_recipients with each customer's due time and variant
// (send_plan.go); one River job per campaign (SendArgs) claims the due
// recipients in batches under a lease, checks consent, the cap and the
// customer's hours, renders and hands each message to the channel at the
// providers' pace and records the outcomes in groups (send_worker.go).

// sendState is the send part's state in the Service.
type sendState struct {
	hooks sendHooks
	pace  *pacer
}

func (st *sendState) init(s *Service) {
	st.hooks = defaultHooks(s)
	st.pace = newPacer(s.deps.Settings.Campaigns)
}

// TickInterval is how often the campaigns' watch makes sure every
// sending campaign has its job, and picks the A/B tests' winners.
const TickInterval = 30 * time.Second

// TickArgs is the periodic job of the campaigns' watch.
type TickArgs struct{}

// Kind names the job.
func (TickArgs) Kind() string { return "campaign.tick" }

// Register adds the campaigns' workers and periodic jobs to the queue;
// the app calls it before the queue opens.
func (s *Service) Register(q *jobs.Queue) {
	river.AddWorker(q.Workers(), &sendWorker{s: s})
	river.AddWorker(q.Workers(), &jobs.Pass[TickArgs]{Run: s.tick})
	q.AddPeriodic(TickInterval, TickArgs{})
}

// Start evaluates the campaign's audience into its recipients and begins
// sending, at once or on its schedule; by names who started it.
func (s *Service) Start(ctx context.Context, id int64, by string) error {
	now := s.deps.Clock.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkStatus(c, Draft); err != nil {
			return err
		}
		var ids []int64
		if err := s.send.hooks.members(ctx, tx, c.Audience, c.Channel, func(id int64) error {
			ids = append(ids, id)
			return nil
		}); err != nil {
			return fmt.Errorf("audience of campaign %d: %w", id, err)
		}
		first, err := s.insertRecipients(ctx, tx, c, ids, now)
		if err != nil {
			return err
		}
		status := Sending
		if first.After(now) {
			status = Scheduled
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = $1, status_reason = '', audience_size = $2, started_at = $3,
			updated_at = $3 WHERE id = $4 AND status = 'draft'`, status, int64(len(ids)), now, id); err != nil {
			return fmt.Errorf("start campaign %d: %w", id, err)
		}
		if err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.CampaignStarted, OccurredAt: now,
			Payload: journal.MustPayload(event.CampaignStartedPayload{CampaignID: id, Name: c.Name, Channel: c.Channel,
				AudienceSize: int64(len(ids))})}); err != nil {
			return err
		}
		if err := actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.CampaignStarted,
			Detail: map[string]any{"name": c.Name, "channel": c.Channel, "audience": len(ids)}}.
			Target(actionlog.TargetCampaign, id)); err != nil {
			return err
		}
		if c.Channel == Paper {
			// Paper goes out when the shop prints it: the recipients are
			// settled now, in this transaction (paper.go).
			return s.printPaper(ctx, tx, c)
		}
		return s.enqueueSend(ctx, tx, id, first)
	})
	if err != nil {
		return fmt.Errorf("start campaign %d by %s: %w", id, by, err)
	}
	return nil
}

// enqueueSend inserts the campaign's send job, due at at, unless it has
// one waiting or running already.
func (s *Service) enqueueSend(ctx context.Context, tx *store.Tx, id int64, at time.Time) error {
	opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: sendUniqueStates}}
	if at.After(s.deps.Clock.Now()) {
		opts.ScheduledAt = at
	}
	return s.jobs.InsertTx(ctx, tx, SendArgs{CampaignID: id}, opts)
}

// Pause stops a sending campaign after the batches in flight.
func (s *Service) Pause(ctx context.Context, id int64) error {
	return s.setStatus(ctx, id, Paused, "paused", Sending, Scheduled)
}

// Resume sends a paused campaign on.
func (s *Service) Resume(ctx context.Context, id int64) error {
	now := s.deps.Clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkStatus(c, Paused); err != nil {
			return err
		}
		// A campaign whose first message is still ahead (its time, the
		// customers' morning) is scheduled again, not sending.
		status, next := Sending, now
		var first time.Time
		err = tx.QueryRow(ctx, `SELECT due_at FROM campaign_recipients WHERE campaign_id = $1 AND status = 'pending'
			ORDER BY due_at LIMIT 1`, id).Scan(&first)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("resume campaign %d: %w", id, err)
		}
		if err == nil && first.After(now) && !s.anySent(ctx, tx, id) {
			status, next = Scheduled, first
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = $3, status_reason = '', updated_at = $1
			WHERE id = $2 AND status = 'paused'`, now, id, status); err != nil {
			return fmt.Errorf("resume campaign %d: %w", id, err)
		}
		return s.enqueueSend(ctx, tx, id, next)
	})
}

// Cancel stops a campaign for good; who got it keeps it. Those not sent
// yet stay as they were (pending, waiting), for the record.
func (s *Service) Cancel(ctx context.Context, id int64) error {
	now := s.deps.Clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkStatus(c, Draft, Scheduled, Sending, Paused); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = 'cancelled', finished_at = $1, updated_at = $1
			WHERE id = $2`, now, id); err != nil {
			return fmt.Errorf("cancel campaign %d: %w", id, err)
		}
		if err := actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.CampaignCancelled,
			Detail: map[string]any{"name": c.Name, "was": string(c.Status)}}.Target(actionlog.TargetCampaign, id)); err != nil {
			return err
		}
		if c.Status == Draft {
			return nil
		}
		p, err := progress(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.journal.Append(ctx, tx, journal.Event{Kind: journal.CampaignFinished, OccurredAt: now,
			Payload: journal.MustPayload(event.CampaignFinishedPayload{CampaignID: id, Sent: p.Sent, Failed: p.Failed,
				Suppressed: p.Suppressed, Cancelled: true})})
	})
}

// setStatus moves campaign id from one of from to status, with reason.
func (s *Service) setStatus(ctx context.Context, id int64, status Status, reason string, from ...Status) error {
	now := s.deps.Clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkStatus(c, from...); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE campaigns SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4`,
			status, reason, now, id)
		return err
	})
}

// Progress counts the campaign's recipients by status.
func (s *Service) Progress(ctx context.Context, id int64) (Progress, error) {
	q := s.db.Read()
	c, err := get(ctx, q, id)
	if err != nil {
		return Progress{}, err
	}
	p, err := progress(ctx, q, id)
	p.AudienceSize = c.AudienceSize
	return p, err
}

func progress(ctx context.Context, q store.Querier, id int64) (Progress, error) {
	p := Progress{Suppressions: map[string]int64{}}
	err := store.Each(ctx, q, `SELECT status, reason, COUNT(*) FROM campaign_recipients WHERE campaign_id = $1
		GROUP BY status, reason`, []any{id}, func(r store.Rows) error {
		var status, reason string
		var n int64
		if err := r.Scan(&status, &reason, &n); err != nil {
			return err
		}
		switch status {
		case RecipientPending:
			p.Pending += n
		case RecipientWaiting:
			p.Waiting += n
		case RecipientSending:
			p.Sending += n
		case RecipientSent:
			p.Sent += n
		case RecipientFailed:
			p.Failed += n
		case RecipientSuppressed:
			p.Suppressed += n
			p.Suppressions[reason] += n
		case RecipientHeld:
			p.Held += n
		}
		return nil
	})
	if err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", id, err)
	}
	return p, nil
}

// anySent tells whether campaign id has sent a message yet.
func (s *Service) anySent(ctx context.Context, q store.Querier, id int64) bool {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND sent_at IS NOT NULL`, id).Scan(&n)
	return err == nil && n > 0
}
