package loyalty

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// sweepBatch is how many customers one sweep transaction handles.
const sweepBatch = 500

// lapsing is what of a customer's points lapses by t, spending oldest
// first: the credits that expire by t less every debit so far (a debit
// spends the oldest points, and every credit lasts as long).
func lapsing(ctx context.Context, q store.Querier, customerID int64, by time.Time) (int64, error) {
	var credits, debits int64
	err := q.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN points > 0 AND expires_at <= $2 THEN points ELSE 0 END), 0),
		COALESCE(-SUM(CASE WHEN points < 0 THEN points ELSE 0 END), 0)
		FROM loyalty_transactions WHERE customer_id = $1`, customerID, by).Scan(&credits, &debits)
	if err != nil {
		return 0, fmt.Errorf("loyalty: points of customer %d lapsing by %s: %w", customerID, by.Format(time.RFC3339), err)
	}
	return max(0, credits-debits), nil
}

// Lapse is points that lapse on a day unless spent.
type Lapse struct {
	Points int64
	At     time.Time
}

// NextLapse returns the next points of a customer to lapse after now:
// zero Points when none will.
func NextLapse(ctx context.Context, q store.Querier, customerID int64, now time.Time) (Lapse, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT expires_at FROM loyalty_transactions
		WHERE customer_id = $1 AND points > 0 AND expires_at > $2 AND lapsed = FALSE ORDER BY expires_at LIMIT 50`, customerID, now)
	if err != nil {
		return Lapse{}, fmt.Errorf("loyalty: next lapse of customer %d: %w", customerID, err)
	}
	var ats []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			rows.Close()
			return Lapse{}, err
		}
		ats = append(ats, at)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Lapse{}, err
	}
	for _, at := range ats {
		n, err := lapsing(ctx, q, customerID, at)
		if err != nil {
			return Lapse{}, err
		}
		if n > 0 {
			return Lapse{Points: n, At: at}, nil
		}
	}
	return Lapse{}, nil
}

// ExpireDue lapses the points whose time has come, oldest first, and
// reports how many points lapsed.
func (s *Service) ExpireDue(ctx context.Context) (int64, error) {
	var total int64
	for {
		now := s.clock.Now()
		customers, err := customersWhere(ctx, s.db.Read(), `expires_at <= $1 AND lapsed = FALSE`, now)
		if err != nil || len(customers) == 0 {
			return total, err
		}
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			var batch int64
			for _, c := range customers {
				n, err := lapsing(ctx, tx, c, now)
				if err != nil {
					return err
				}
				bal, err := Balance(ctx, tx, c)
				if err != nil {
					return err
				}
				if n = min(n, bal); n > 0 {
					var last int64
					if err := tx.QueryRow(ctx, `SELECT MAX(id) FROM loyalty_transactions WHERE customer_id = $1 AND expires_at <= $2 AND lapsed = FALSE`,
						c, now).Scan(&last); err != nil {
						return fmt.Errorf("loyalty: lapse points of customer %d: %w", c, err)
					}
					_, err := s.Post(ctx, tx, []Posting{{Kind: Expiry, CustomerID: c, Points: -n, Source: FromProgram,
						Reason: fmt.Sprintf("credited before %s", now.In(s.settings.Shop.Location()).Format(time.DateOnly)),
						Key:    fmt.Sprintf("expiry:c%d:t%d", c, last)}})
					if err != nil {
						return err
					}
					batch += n
				}
				if _, err := tx.Exec(ctx, `UPDATE loyalty_transactions SET lapsed = TRUE
					WHERE customer_id = $1 AND expires_at <= $2 AND lapsed = FALSE`, c, now); err != nil {
					return fmt.Errorf("loyalty: lapse points of customer %d: %w", c, err)
				}
			}
			total += batch
			return nil
		})
		if err != nil {
			return total, err
		}
	}
}

// customersWhere lists up to sweepBatch customers with credits matching
// cond (args from $1).
func customersWhere(ctx context.Context, q store.Querier, cond string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT customer_id FROM loyalty_transactions
		WHERE expires_at IS NOT NULL AND points > 0 AND `+cond+fmt.Sprintf(` LIMIT %d`, sweepBatch), args...)
	if err != nil {
		return nil, fmt.Errorf("loyalty: customers with lapsing points: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RemindExpiring journals loyalty.points_expiring for customers whose
// points lapse within loyalty.expiry_reminder, once per lapse day, and
// reports how many reminders it journalled.
func (s *Service) RemindExpiring(ctx context.Context) (int, error) {
	ahead := time.Duration(s.settings.Loyalty.ExpiryReminder)
	if ahead <= 0 || s.settings.Loyalty.ExpireAfter <= 0 {
		return 0, nil
	}
	sent := 0
	for {
		now := s.clock.Now()
		customers, err := customersWhere(ctx, s.db.Read(), `expires_at > $1 AND expires_at <= $2 AND lapsed = FALSE AND reminded = FALSE`,
			now, now.Add(ahead))
		if err != nil || len(customers) == 0 {
			return sent, err
		}
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			var events []journal.Event
			for _, c := range customers {
				var first time.Time
				// ORDER BY, not MIN: SQLite's MIN returns a time as text.
				err := tx.QueryRow(ctx, `SELECT expires_at FROM loyalty_transactions WHERE customer_id = $1
					AND points > 0 AND expires_at > $2 AND lapsed = FALSE AND reminded = FALSE ORDER BY expires_at LIMIT 1`, c, now).Scan(&first)
				if err != nil {
					return fmt.Errorf("loyalty: lapse of customer %d: %w", c, err)
				}
				// One reminder for the day's lapses: the credits of the
				// whole shop day are marked together.
				loc := s.settings.Shop.Location()
				y, m, d := first.In(loc).Date()
				dayEnd := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
				n, err := lapsing(ctx, tx, c, dayEnd.Add(-time.Nanosecond))
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE loyalty_transactions SET reminded = TRUE
					WHERE customer_id = $1 AND points > 0 AND expires_at < $2 AND reminded = FALSE`, c, dayEnd); err != nil {
					return fmt.Errorf("loyalty: remind customer %d: %w", c, err)
				}
				if n > 0 {
					events = append(events, journal.Event{Kind: journal.LoyaltyPointsExpiring, CustomerID: c, OccurredAt: now,
						Payload: journal.MustPayload(event.LoyaltyPointsExpiringPayload{Points: n, On: first.In(loc).Format(time.DateOnly)})})
				}
			}
			sent += len(events)
			return s.journal.Append(ctx, tx, events...)
		})
		if err != nil {
			return sent, err
		}
	}
}

// Birthdays credits the birthday bonus, once a year, to the members (a
// delivered order at least) whose birthday is today in the shop's
// calendar; on 28 February of a common year, to those of 29 February too.
func (s *Service) Birthdays(ctx context.Context) (int, error) {
	points := s.settings.Loyalty.Bonuses.Birthday
	if points <= 0 {
		return 0, nil
	}
	now := s.clock.Now()
	today := now.In(s.settings.Shop.Location())
	days := []string{today.Format("01-02")}
	if today.Month() == time.February && today.Day() == 28 && today.AddDate(0, 0, 1).Day() == 1 {
		days = append(days, "02-29")
	}
	var postings []Posting
	err := customer.EachBirthdayBuyer(ctx, s.db.Read(), days, func(c int64) error {
		postings = append(postings, Posting{Kind: Bonus, CustomerID: c, Points: points, Source: FromProgram, Reason: ReasonBirthday,
			Key: fmt.Sprintf("bonus:birthday:c%d:%d", c, today.Year())})
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("loyalty: birthdays: %w", err)
	}
	credited := 0
	for start := 0; start < len(postings); start += sweepBatch {
		chunk := postings[start:min(start+sweepBatch, len(postings))]
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			posted, err := s.Post(ctx, tx, chunk)
			if err != nil {
				return err
			}
			credited += len(posted)
			return s.announce(ctx, tx, posted, 0)
		})
		if err != nil {
			return credited, err
		}
	}
	return credited, nil
}

// SweepArgs is the program's periodic job: points that lapse, reminders
// before they do, birthdays, and once a shop day the tiers of everyone.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "loyalty_sweep" }

// SweepInterval is how often the sweep runs; every step is idempotent, so
// a sweep that runs twice changes nothing the second time.
const SweepInterval = time.Minute

// SweepWorker works SweepArgs.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service *Service

	mu       sync.Mutex
	retiered string // the shop day of the last pass over every tier
}

// Timeout is jobs.LongTimeout: the work may walk many rows.
func (w *SweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return jobs.LongTimeout }

// Work runs one sweep.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	return w.Sweep(ctx)
}

// Sweep lapses due points, sends reminders, credits birthdays and, once a
// shop day, re-tiers every member.
func (w *SweepWorker) Sweep(ctx context.Context) error {
	s := w.Service
	if _, err := s.ExpireDue(ctx); err != nil {
		return err
	}
	if _, err := s.RemindExpiring(ctx); err != nil {
		return err
	}
	if _, err := s.Birthdays(ctx); err != nil {
		return err
	}
	day := s.clock.Now().In(s.settings.Shop.Location()).Format(time.DateOnly)
	w.mu.Lock()
	due := w.retiered != day
	w.mu.Unlock()
	if !due {
		return nil
	}
	if _, err := s.RetierAll(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	w.retiered = day
	w.mu.Unlock()
	return nil
}
