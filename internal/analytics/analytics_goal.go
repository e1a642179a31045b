package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/store"
)

// maxDrifting bounds ReturnGoal.DriftingCustomers.
const maxDrifting = 20

// ReturnGoal is how the shop's active customers keep its return-frequency
// goal (analytics.return_every) today: an active customer ordered within
// analytics.active_within; one meeting the goal ordered within
// return_every; the others are drifting past it.
type ReturnGoal struct {
	EveryDays        int     `json:"every_days"`
	ActiveWithinDays int     `json:"active_within_days"`
	Active           int64   `json:"active"`
	Meeting          int64   `json:"meeting"`
	MeetingShare     float64 `json:"meeting_share"`
	Drifting         int64   `json:"drifting"`
	// DriftingCustomers are those who went past the goal most recently:
	// the ones to win back now.
	DriftingCustomers []DriftingCustomer `json:"drifting_customers"`
}

// DriftingCustomer is an active customer past the return goal.
type DriftingCustomer struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	LastOrderAt time.Time   `json:"last_order_at"`
	DaysSince   int         `json:"days_since"`
	Orders      int64       `json:"orders"`
	Spent       json.Number `json:"spent"`
}

func (s *Service) returnGoal(ctx context.Context, q store.Querier) (*ReturnGoal, error) {
	now := s.clock.Now()
	every, active := time.Duration(s.settings.Analytics.ReturnEvery), time.Duration(s.settings.Analytics.ActiveWithin)
	g := &ReturnGoal{EveryDays: int(every.Hours() / 24), ActiveWithinDays: int(active.Hours() / 24), DriftingCustomers: []DriftingCustomer{}}
	// Both counts are ranges of the index on last_order_at.
	err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM customers WHERE last_order_at >= $1),
		(SELECT COUNT(*) FROM customers WHERE last_order_at >= $2)`, now.Add(-active), now.Add(-every)).Scan(&g.Active, &g.Meeting)
	if err != nil {
		return nil, fmt.Errorf("count customers by the return goal: %w", err)
	}
	g.Drifting = g.Active - g.Meeting
	g.MeetingShare = ratio(g.Meeting, g.Active)
	err = store.Each(ctx, q, `SELECT id, name, last_order_at, orders_count, spent_minor FROM customers
		WHERE last_order_at >= $1 AND last_order_at < $2 ORDER BY last_order_at DESC, id DESC LIMIT $3`,
		[]any{now.Add(-active), now.Add(-every), maxDrifting}, func(r store.Rows) error {
			var d DriftingCustomer
			var spent int64
			if err := r.Scan(&d.ID, &d.Name, &d.LastOrderAt, &d.Orders, &spent); err != nil {
				return err
			}
			d.DaysSince = int(math.Floor(now.Sub(d.LastOrderAt).Hours() / 24))
			d.Spent = json.Number(money.Format(spent, money.Scale(s.settings.Shop.Currency)))
			g.DriftingCustomers = append(g.DriftingCustomers, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list customers drifting past the return goal: %w", err)
	}
	return g, nil
}
