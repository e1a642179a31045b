package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
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
	EveryDays        int   `json:"every_days"`
	ActiveWithinDays int   `json:"active_within_days"`
	Active           int64 `json:"active"`
	Meeting          int64 `json:"meeting"`
	// MeetingShare is Meeting / Active, nil without active customers.
	MeetingShare *float64 `json:"meeting_share"`
	Drifting     int64    `json:"drifting"`
	// DriftingCustomers are those who went past the goal most recently:
	// the ones to win back now.
	DriftingCustomers []DriftingCustomer `json:"drifting_customers"`
}

// DriftingCustomer is an active customer past the return goal.
type DriftingCustomer struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// LastOn is the shop-local day of their last counted order.
	LastOn string `json:"last_purchase_on"`
	// LastOrderAt is the start of that day.
	LastOrderAt time.Time   `json:"last_order_at"`
	DaysSince   int         `json:"days_since"`
	Orders      int64       `json:"orders"`
	Spent       json.Number `json:"spent"`
}

func (s *Service) returnGoal(ctx context.Context, q store.Querier) (*ReturnGoal, error) {
	every, active := time.Duration(s.settings.Analytics.ReturnEvery), time.Duration(s.settings.Analytics.ActiveWithin)
	g := &ReturnGoal{EveryDays: int(every.Hours() / 24), ActiveWithinDays: int(active.Hours() / 24), DriftingCustomers: []DriftingCustomer{}}
	// Days since the last counted order, shop-local; both counts are
	// ranges of the index on last_purchase_on.
	today := s.today()
	activeFrom := today.AddDate(0, 0, -g.ActiveWithinDays).Format(time.DateOnly)
	meetingFrom := today.AddDate(0, 0, -g.EveryDays).Format(time.DateOnly)
	var err error
	g.Active, g.Meeting, err = customer.FactsCountPurchasedSince(ctx, q, activeFrom, meetingFrom)
	if err != nil {
		return nil, fmt.Errorf("count customers by the return goal: %w", err)
	}
	g.Drifting = g.Active - g.Meeting
	g.MeetingShare = rate(g.Meeting, g.Active)
	err = customer.FactsEachByLastPurchase(ctx, q, customer.LastPurchaseParams{From: activeFrom, To: meetingFrom, Limit: maxDrifting},
		func(a customer.Analytics, name string) error {
			d := DriftingCustomer{ID: a.ID, Name: name, Orders: a.Purchases}
			last, activity := a.LastPurchaseOn, a.Activity
			day, err := time.Parse(time.DateOnly, last)
			if err != nil {
				return fmt.Errorf("customer %d: last purchase %q: %w", d.ID, last, err)
			}
			d.LastOn, d.DaysSince = last, int(today.Sub(day).Hours()/24)
			d.LastOrderAt = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.settings.Shop.Location())
			months, err := parseActivity(activity)
			if err != nil {
				return err
			}
			var spent int64
			for _, m := range months {
				spent += m.revenue
			}
			d.Spent = json.Number(money.Format(spent, money.Scale(s.settings.Shop.Currency)))
			g.DriftingCustomers = append(g.DriftingCustomers, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list customers drifting past the return goal: %w", err)
	}
	return g, nil
}
