package parcel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/store"
)

// pollBatch bounds the parcels one pass of the poller asks about.
const pollBatch = 500

// pollTimeout bounds one call to a carrier's API.
const pollTimeout = 30 * time.Second

// PollResult counts what a pass of the poller did.
type PollResult struct {
	Asked   int // parcels asked about
	Events  int // new events
	Failed  int // parcels whose carrier answered with an error
	Limited int // parcels put off because their carrier limits the rate
}

// Poll asks the carriers' APIs about the parcels due for it, stores what
// they answer, and sets when each is asked next: by its stage, later after
// an error (doubling up to a day), or when the carrier's rate limit ends.
// No transaction is held while a carrier answers.
func (s *Service) Poll(ctx context.Context) (PollResult, error) {
	var res PollResult
	now := s.clock.Now()
	type due struct {
		id       int64
		number   string
		failures int
	}
	byCarrier := map[string][]due{}
	err := store.Each(ctx, s.db.Read(), `SELECT id, carrier, tracking_number, poll_failures FROM parcels
		WHERE next_poll_at IS NOT NULL AND next_poll_at <= $1 ORDER BY next_poll_at LIMIT `+fmt.Sprint(pollBatch),
		[]any{now}, func(r store.Rows) error {
			var d due
			var code string
			if err := r.Scan(&d.id, &code, &d.number, &d.failures); err != nil {
				return err
			}
			byCarrier[code] = append(byCarrier[code], d)
			return nil
		})
	if err != nil {
		return res, fmt.Errorf("parcels to poll: %w", err)
	}
	for code, list := range byCarrier {
		t := s.trackers[code]
		if t == nil { // the carrier's API was taken out of the settings
			ids := make([]int64, len(list))
			for i, d := range list {
				ids[i] = d.id
			}
			if err := s.setPoll(ctx, ids, nil, 0, ""); err != nil {
				return res, err
			}
			continue
		}
		size := max(1, t.BatchSize())
		for start := 0; start < len(list); start += size {
			chunk := list[start:min(start+size, len(list))]
			numbers := make([]string, len(chunk))
			ids := make([]int64, len(chunk))
			for i, d := range chunk {
				numbers[i], ids[i] = d.number, d.id
			}
			res.Asked += len(chunk)
			callCtx, cancel := context.WithTimeout(ctx, pollTimeout)
			events, err := t.Track(callCtx, numbers)
			cancel()
			var limited *carrier.RateLimitError
			switch {
			case errors.As(err, &limited):
				// Put off the rest of this carrier's parcels until the limit ends.
				wait := max(limited.RetryAfter, 15*time.Minute)
				rest := make([]int64, 0, len(list)-start)
				for _, d := range list[start:] {
					rest = append(rest, d.id)
				}
				at := now.Add(wait)
				if err := s.setPoll(ctx, rest, &at, 0, limited.Error()); err != nil {
					return res, err
				}
				res.Limited += len(rest)
				s.log.Warn("carrier rate limit", "carrier", code, "retry_after", wait)
				start = len(list)
				continue
			case ctx.Err() != nil:
				return res, ctx.Err()
			case err != nil:
				res.Failed += len(chunk)
				s.log.Warn("carrier tracking failed", "carrier", code, "parcels", len(chunk), "error", err)
				for _, d := range chunk {
					at := now.Add(min(24*time.Hour, 30*time.Minute<<min(d.failures, 6)))
					if err := s.setPoll(ctx, []int64{d.id}, &at, 1, err.Error()); err != nil {
						return res, err
					}
				}
				continue
			}
			reports := make([]Report, len(events))
			for i, e := range events {
				reports[i] = Report{Event: e, Source: SourcePoll}
			}
			err = s.db.InTx(ctx, func(tx *store.Tx) error {
				outcomes, err := s.IngestTx(ctx, tx, reports)
				if err != nil {
					return err
				}
				n := 0
				for _, o := range outcomes {
					if o == Stored {
						n++
					}
				}
				res.Events += n
				// Ask again as the parcels' stages say, which IngestTx left
				// alone for those whose status stood still.
				stages := map[int64]carrier.Status{}
				err = store.QueryIn(ctx, tx, `SELECT id, status FROM parcels WHERE id IN (IN_LIST)`, nil, ids,
					func(r store.Rows) error {
						var id int64
						var st *string
						err := r.Scan(&id, &st)
						stages[id] = carrier.Status(store.Text(st))
						return err
					})
				if err != nil {
					return err
				}
				for id, st := range stages {
					if _, err := tx.Exec(ctx, `UPDATE parcels SET next_poll_at = $2, poll_failures = 0, poll_error = '' WHERE id = $1`,
						id, s.nextPoll(code, st, now)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return res, fmt.Errorf("store %s tracking: %w", code, err)
			}
		}
	}
	if res.Asked > 0 {
		s.log.Info("parcels polled", "asked", res.Asked, "events", res.Events, "failed", res.Failed, "limited", res.Limited)
	}
	return res, nil
}

// setPoll sets when parcels are asked next; failed adds to their failure
// count, and problem says why ("" clears it).
func (s *Service) setPoll(ctx context.Context, ids []int64, at *time.Time, failed int, problem string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return store.QueryIn(ctx, tx, `UPDATE parcels SET next_poll_at = $1, poll_failures = poll_failures + $2, poll_error = $3
			WHERE id IN (IN_LIST)`, []any{at, failed, problem}, ids, nil)
	})
}

// PollInterval is how often the poller looks for parcels due.
const PollInterval = time.Minute

// PollLimit bounds a pass of the poller, which may ask several carriers
// in turn, each call within pollTimeout.
const PollLimit = 10 * time.Minute

// PollArgs is the periodic job of the poller.
type PollArgs struct{}

// Kind names the job.
func (PollArgs) Kind() string { return "parcel_poll" }
