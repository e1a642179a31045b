package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Reasons the program writes in the ledger for its own rules.
const (
	ReasonFirstOrder = "first_order"
	ReasonBirthday   = "birthday"
	ReasonReview     = "review"
	ReasonReferrer   = "referred_a_friend"
	ReasonFriend     = "referred_by_a_friend"
	ReasonReturned   = "order_returned"
	ReasonCancelled  = "order_cancelled"
)

// orderFacts is what the earning rules read of an order.
type orderFacts struct {
	id, customerID int64
	status         order.Status
	totalMinor     int64
	placedAt       time.Time
	deliveredAt    *time.Time
	referralCode   string
}

// HandleEvents is the program's journal handler: points for a delivered
// order (less the part paid with points), the first-order bonus and the
// referral credits when it is the customer's first; points taken back
// when an order is returned (and the first-order bonus with them when it
// was the first order) and points spent on it given back when it is
// cancelled or returned; a referral code an order came with linked to the
// new customer; and the tiers of the customers concerned. Imported
// history earns nothing: it happened before the program.
func (s *Service) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	type step struct {
		event journal.Event
		to    order.Status
	}
	var steps []step
	var ids []int64
	for _, e := range events {
		if e.History || e.OrderID == 0 {
			continue
		}
		switch e.Kind {
		case journal.OrderCreated:
			steps = append(steps, step{event: e})
		case journal.OrderStatusChanged:
			var pl event.OrderStatusChangedPayload
			if err := e.Decode(&pl); err != nil {
				return err
			}
			to := order.Status(pl.To)
			if to != order.Delivered && to != order.Returned && to != order.Cancelled {
				continue
			}
			steps = append(steps, step{event: e, to: to})
		default:
			continue
		}
		ids = append(ids, e.OrderID)
	}
	if len(steps) == 0 {
		return nil
	}
	orders, err := loadOrderFacts(ctx, tx, ids)
	if err != nil {
		return err
	}
	var delivered []int64
	for _, st := range steps {
		if st.to == order.Delivered {
			delivered = append(delivered, st.event.OrderID)
		}
	}
	spentOn, err := redeemedOnAll(ctx, tx, delivered)
	if err != nil {
		return err
	}
	var credits []Posting
	var takeBack []orderFacts
	touched := map[int64]int64{} // customer → the order that may move their tier
	var touchOrder []int64
	touch := func(f orderFacts) {
		if _, ok := touched[f.customerID]; !ok {
			touchOrder = append(touchOrder, f.customerID)
		}
		touched[f.customerID] = f.id
	}
	for _, st := range steps {
		f, ok := orders[st.event.OrderID]
		if !ok {
			continue
		}
		switch st.to {
		case "":
			if f.referralCode != "" {
				if err := s.linkReferral(ctx, tx, f); err != nil {
					return err
				}
			}
		case order.Delivered:
			ps, err := s.deliveredCredits(ctx, tx, f, spentOn[f.id])
			if err != nil {
				return err
			}
			credits = append(credits, ps...)
			touch(f)
		case order.Returned, order.Cancelled:
			reason := ReasonCancelled
			if st.to == order.Returned {
				reason = ReasonReturned
				takeBack = append(takeBack, f)
			}
			p, err := refundPosting(ctx, tx, f, reason)
			if err != nil {
				return err
			}
			credits = append(credits, p)
			touch(f)
		}
	}
	posted, err := s.Post(ctx, tx, credits)
	if err != nil {
		return err
	}
	for _, f := range takeBack {
		for _, reverse := range []func(context.Context, *store.Tx, orderFacts) (*Transaction, error){s.reverse, s.reverseFirstOrder} {
			t, err := reverse(ctx, tx, f)
			if err != nil {
				return err
			}
			if t != nil {
				posted = append(posted, *t)
			}
		}
	}
	if err := s.announce(ctx, tx, posted, 0); err != nil {
		return err
	}
	return s.retierMany(ctx, tx, touchOrder, touched)
}

func loadOrderFacts(ctx context.Context, q store.Querier, ids []int64) (map[int64]orderFacts, error) {
	list, err := order.ListEarnings(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("loyalty: load orders: %w", err)
	}
	out := make(map[int64]orderFacts, len(list))
	for id, e := range list {
		out[id] = orderFacts{id: e.ID, customerID: e.CustomerID, status: e.Status, totalMinor: e.TotalMinor,
			placedAt: e.PlacedAt, deliveredAt: e.DeliveredAt, referralCode: e.ReferralCode}
	}
	return out, nil
}

// deliveredCredits are the points a delivered order brings: its accrual,
// and on the customer's first order the first-order bonus and the
// referral credits of both friends.
// spent is the points spent on it and not given back.
func (s *Service) deliveredCredits(ctx context.Context, tx *store.Tx, f orderFacts, spent int64) ([]Posting, error) {
	l := s.settings.Loyalty
	out := []Posting{{Kind: Accrual, CustomerID: f.customerID, Points: s.earned(f.totalMinor - s.PointsValueMinor(spent)),
		OrderID: f.id, Source: FromOrder, Key: fmt.Sprintf("accrual:o%d", f.id)}}
	// Delivered before this one: two orders delivered before the journal
	// got to them are still one first order (the bonus's key keeps it
	// to one).
	delivered := f.placedAt
	if f.deliveredAt != nil {
		delivered = *f.deliveredAt
	}
	others, err := order.CountDeliveredBefore(ctx, tx, f.customerID, f.id, delivered)
	if err != nil {
		return nil, fmt.Errorf("loyalty: earlier orders of customer %d: %w", f.customerID, err)
	}
	if others > 0 {
		return out, nil
	}
	out = append(out, Posting{Kind: Bonus, CustomerID: f.customerID, Points: l.Bonuses.FirstOrder, OrderID: f.id,
		Source: FromProgram, Reason: ReasonFirstOrder, Key: firstOrderKey(f.customerID)})
	var referrer *int64
	err = tx.QueryRow(ctx, `SELECT referred_by FROM loyalty_accounts WHERE customer_id = $1`, f.customerID).Scan(&referrer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("loyalty: referrer of customer %d: %w", f.customerID, err)
	}
	if referrer != nil {
		out = append(out,
			Posting{Kind: Referral, CustomerID: f.customerID, Points: l.Referral.FriendPoints, OrderID: f.id,
				Source: FromReferral, Reason: ReasonFriend, Key: fmt.Sprintf("referral:friend:c%d", f.customerID)},
			Posting{Kind: Referral, CustomerID: *referrer, Points: l.Referral.ReferrerPoints, OrderID: f.id,
				Source: FromReferral, Reason: ReasonReferrer, Key: fmt.Sprintf("referral:referrer:c%d", f.customerID)})
	}
	return out, nil
}

// redeemedOn is the points spent on an order and not given back.
func redeemedOn(ctx context.Context, q store.Querier, orderID int64) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COALESCE(-SUM(points), 0) FROM loyalty_transactions
		WHERE order_id = $1 AND kind IN ('redemption', 'refund')`, orderID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("loyalty: points spent on order %d: %w", orderID, err)
	}
	return n, nil
}

// redeemedOnAll is redeemedOn of many orders in one query: the orders
// on which none were spent are not in the map.
func redeemedOnAll(ctx context.Context, q store.Querier, orderIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64)
	err := store.QueryIn(ctx, q, `SELECT order_id, -SUM(points) FROM loyalty_transactions
		WHERE order_id IN (IN_LIST) AND kind IN ('redemption', 'refund') GROUP BY order_id`, nil, orderIDs, func(r store.Rows) error {
		var id, n int64
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loyalty: points spent on %d orders: %w", len(orderIDs), err)
	}
	return out, nil
}

// refundPosting gives back the points spent on an order that will not be
// paid for; a zero posting, which posts nothing, when none were.
func refundPosting(ctx context.Context, q store.Querier, f orderFacts, reason string) (Posting, error) {
	spent, err := redeemedOn(ctx, q, f.id)
	if err != nil || spent <= 0 {
		return Posting{}, err
	}
	return Posting{Kind: Refund, CustomerID: f.customerID, Points: spent, OrderID: f.id, Source: FromOrder,
		Reason: reason, Key: fmt.Sprintf("refund:o%d", f.id)}, nil
}

// reverse takes back the points a returned order earned, as far as the
// balance goes: points spent meanwhile are not clawed into a debt.
func (s *Service) reverse(ctx context.Context, tx *store.Tx, f orderFacts) (*Transaction, error) {
	earned, err := EarnedBy(ctx, tx, f.id)
	if err != nil {
		return nil, err
	}
	bal, err := Balance(ctx, tx, f.customerID)
	if err != nil {
		return nil, err
	}
	n := min(earned, bal)
	if n <= 0 {
		return nil, nil
	}
	// Reason stays the code, which every page names in its language; a
	// partial take-back (the rest had been spent) shows in its points.
	posted, err := s.Post(ctx, tx, []Posting{{Kind: Reversal, CustomerID: f.customerID, Points: -n, OrderID: f.id,
		Source: FromOrder, Reason: ReasonReturned, Key: fmt.Sprintf("reversal:o%d", f.id)}})
	if err != nil || len(posted) == 0 {
		return nil, err
	}
	return &posted[0], nil
}

// reverseFirstOrder takes back the first-order bonus when the order that
// earned it is returned: as far as the balance goes once the order's own
// points are taken back (points spent meanwhile are not clawed into a
// debt), and once — its key is the customer's, like the bonus's. The
// customer's next order does not earn the bonus again: they had their
// first order, and the bonus is once per customer.
func (s *Service) reverseFirstOrder(ctx context.Context, tx *store.Tx, f orderFacts) (*Transaction, error) {
	bonus, err := transactionByKey(ctx, tx, firstOrderKey(f.customerID))
	if errors.Is(err, store.ErrNotFound) || err == nil && (bonus.OrderID != f.id || bonus.Points <= 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("reversal:first_order:c%d", f.customerID)
	if _, err := transactionByKey(ctx, tx, key); !errors.Is(err, store.ErrNotFound) {
		return nil, err // taken back already (nil), or the lookup failed
	}
	bal, err := Balance(ctx, tx, f.customerID)
	if err != nil {
		return nil, err
	}
	n := min(bonus.Points, bal)
	if n <= 0 {
		return nil, nil
	}
	posted, err := s.Post(ctx, tx, []Posting{{Kind: Reversal, CustomerID: f.customerID, Points: -n, OrderID: f.id,
		Source: FromProgram, Reason: ReasonReturned, Key: key}})
	if err != nil || len(posted) == 0 {
		return nil, err
	}
	return &posted[0], nil
}

// firstOrderKey is the ledger key of a customer's first-order bonus.
func firstOrderKey(customerID int64) string { return fmt.Sprintf("bonus:first_order:c%d", customerID) }

// announce journals the credits customers are told of: everything but
// accruals (the delivered message names those), refunds and the
// program's own debits.
func (s *Service) announce(ctx context.Context, tx *store.Tx, posted []Transaction, couponID int64) error {
	var events []journal.Event
	for _, t := range posted {
		switch t.Kind {
		case Bonus, Referral, Compensation, Adjustment:
		default:
			continue
		}
		if t.Points <= 0 {
			continue
		}
		events = append(events, journal.Event{Kind: journal.LoyaltyPointsCredited, OrderID: t.OrderID, CustomerID: t.CustomerID,
			OccurredAt: t.CreatedAt, Payload: journal.MustPayload(event.LoyaltyPointsCreditedPayload{TransactionID: t.ID, Kind: string(t.Kind),
				Points: t.Points, Reason: t.Reason, CouponID: couponID})})
	}
	return s.journal.Append(ctx, tx, events...)
}
