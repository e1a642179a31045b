package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Standing is what decides a tier: the delivered orders of the rolling
// window and their spend.
type Standing struct {
	Orders     int64
	SpentMinor int64
}

// tierFor returns the highest tier the standing reaches, "" for none.
func (s *Service) tierFor(st Standing) string {
	tier := ""
	for _, t := range s.settings.Loyalty.Tiers {
		if s.reaches(t, st) {
			tier = t.Code
		}
	}
	return tier
}

func (s *Service) reaches(t config.Tier, st Standing) bool {
	return t.MinOrders > 0 && st.Orders >= int64(t.MinOrders) || t.MinSpend > 0 && st.SpentMinor >= s.minor(t.MinSpend)
}

// rank is a tier's place, lowest 1; 0 for none or a tier the settings no
// longer have.
func (s *Service) rank(code string) int {
	for i, t := range s.settings.Loyalty.Tiers {
		if t.Code == code {
			return i + 1
		}
	}
	return 0
}

// windowStart is where the tier window starts at now.
func (s *Service) windowStart(now time.Time) time.Time {
	return now.Add(-time.Duration(s.settings.Loyalty.TierWindow))
}

// standing reads a customer's delivered orders in the tier window.
func (s *Service) standing(ctx context.Context, q store.Querier, customerID int64, now time.Time) (Standing, error) {
	sp, err := order.GetDeliveredSince(ctx, q, customerID, s.windowStart(now))
	st := Standing{Orders: sp.Orders, SpentMinor: sp.SpentMinor}
	if err != nil {
		return st, fmt.Errorf("loyalty: standing of customer %d: %w", customerID, err)
	}
	return st, nil
}

// retierMany sets each customer's tier by their standing now and
// journals a change, about the order in about: their tiers are read in
// one query, and only a tier that changes costs more statements than the
// customer's standing.
func (s *Service) retierMany(ctx context.Context, tx *store.Tx, customers []int64, about map[int64]int64) error {
	now := s.clock.Now()
	tiers := make(map[int64]string, len(customers))
	err := store.QueryIn(ctx, tx, `SELECT customer_id, tier FROM loyalty_accounts WHERE customer_id IN (IN_LIST)`, nil, customers,
		func(r store.Rows) error {
			var c int64
			var t string
			if err := r.Scan(&c, &t); err != nil {
				return err
			}
			tiers[c] = t
			return nil
		})
	if err != nil {
		return fmt.Errorf("loyalty: tiers of %d customers: %w", len(customers), err)
	}
	// Their standings in one query too: setting a tier changes no order.
	spends, err := order.DeliveredSinceOf(ctx, tx, customers, s.windowStart(now))
	if err != nil {
		return fmt.Errorf("loyalty: standings of %d customers: %w", len(customers), err)
	}
	for _, c := range customers {
		sp := spends[c]
		tier := s.tierFor(Standing{Orders: sp.Orders, SpentMinor: sp.SpentMinor})
		if cur, ok := tiers[c]; ok && cur == tier || !ok && tier == "" {
			continue
		}
		if _, err := s.setTier(ctx, tx, c, about[c], tier, now); err != nil {
			return err
		}
	}
	return nil
}

// setTier moves a customer to tier, journalling the change.
func (s *Service) setTier(ctx context.Context, tx *store.Tx, customerID, orderID int64, tier string, now time.Time) (bool, error) {
	var cur string
	err := tx.QueryRow(ctx, `SELECT tier FROM loyalty_accounts WHERE customer_id = $1`, customerID).Scan(&cur)
	if errors.Is(err, store.ErrNotFound) {
		if tier == "" {
			return false, nil
		}
		if _, err = s.accounts(ctx, tx, []int64{customerID}, now); err != nil {
			return false, err
		}
	} else if err != nil {
		return false, fmt.Errorf("loyalty: tier of customer %d: %w", customerID, err)
	}
	if cur == tier {
		return false, nil
	}
	_, err = tx.Exec(ctx, `UPDATE loyalty_accounts SET tier = $2, tier_since = $3 WHERE customer_id = $1`, customerID, tier, now)
	if err != nil {
		return false, fmt.Errorf("loyalty: set tier of customer %d: %w", customerID, err)
	}
	err = s.journal.Append(ctx, tx, journal.Event{Kind: journal.LoyaltyTierChanged, OrderID: orderID, CustomerID: customerID,
		OccurredAt: now, Payload: journal.MustPayload(event.LoyaltyTierChangedPayload{From: cur, To: tier, Up: s.rank(tier) > s.rank(cur)})})
	return true, err
}

// RetierAll sets every member's tier by the window as it stands now: tiers
// lapse as old orders leave the window, and settings that changed apply.
// It runs set-based (one pass over the window's orders) and reports how
// many tiers changed.
func (s *Service) RetierAll(ctx context.Context) (int, error) {
	now := s.clock.Now()
	want := map[int64]string{}
	err := order.EachDeliveredSince(ctx, s.db.Read(), s.windowStart(now), func(sp order.Spend) error {
		if t := s.tierFor(Standing{Orders: sp.Orders, SpentMinor: sp.SpentMinor}); t != "" {
			want[sp.CustomerID] = t
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("loyalty: tier standings: %w", err)
	}
	have := map[int64]string{}
	rows, err := s.db.Read().Query(ctx, `SELECT customer_id, tier FROM loyalty_accounts WHERE customer_id IS NOT NULL AND tier <> ''`)
	if err != nil {
		return 0, fmt.Errorf("loyalty: tiers: %w", err)
	}
	for rows.Next() {
		var c int64
		var t string
		if err := rows.Scan(&c, &t); err != nil {
			rows.Close()
			return 0, fmt.Errorf("loyalty: tiers: %w", err)
		}
		have[c] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("loyalty: tiers: %w", err)
	}
	var moves []int64
	for c, t := range want {
		if have[c] != t {
			moves = append(moves, c)
		}
	}
	for c := range have {
		if _, ok := want[c]; !ok {
			moves = append(moves, c)
		}
	}
	changed := 0
	for start := 0; start < len(moves); start += 1000 {
		chunk := moves[start:min(start+1000, len(moves))]
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			n := 0
			for _, c := range chunk {
				moved, err := s.setTier(ctx, tx, c, 0, want[c], now)
				if err != nil {
					return err
				}
				if moved {
					n++
				}
			}
			changed += n
			return nil
		})
		if err != nil {
			return changed, err
		}
	}
	return changed, nil
}
