package loyalty

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// RedeemRequest asks to pay part of an order with points.
type RedeemRequest struct {
	CustomerID, OrderID, Points int64
}

// Redeemed is points spent on an order.
type Redeemed struct {
	Transaction Transaction
	// Balance is the customer's balance after it.
	Balance int64
	// ValueMinor is what the points paid, in minor units.
	ValueMinor int64
	// Replayed says the order had this redemption already: nothing moved.
	Replayed bool
}

// Redeem spends a customer's points on one of their open orders, once per
// order: the same request again returns the first redemption, another
// number of points for the same order is a *ConflictError. The balance is
// checked in the transaction that debits it, so two redemptions at once
// can never overdraw it (*InsufficientError). Points may pay at most
// loyalty.redeem_max_percent of the order.
func (s *Service) Redeem(ctx context.Context, r RedeemRequest) (Redeemed, error) {
	if r.Points <= 0 || r.Points > config.MaxPoints {
		return Redeemed{}, invalid.Field("points", "invalid", "must be between 1 and %d", config.MaxPoints)
	}
	var out Redeemed
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		out = Redeemed{}
		o, err := order.GetBrief(ctx, tx, r.OrderID)
		customerID, status, total := o.CustomerID, o.Status, o.TotalMinor
		if errors.Is(err, store.ErrNotFound) {
			return invalid.Field("order_id", "not_found", "there is no order %d", r.OrderID)
		}
		if err != nil {
			return fmt.Errorf("redeem on order %d: %w", r.OrderID, err)
		}
		if customerID != r.CustomerID {
			return invalid.Field("order_id", "not_yours", "order %d is another customer's", r.OrderID)
		}
		key := fmt.Sprintf("redeem:o%d", r.OrderID)
		old, err := transactionByKey(ctx, tx, key)
		if err == nil {
			if -old.Points != r.Points {
				return &ConflictError{fmt.Sprintf("order %d has %d points redeemed already", r.OrderID, -old.Points)}
			}
			out.Transaction, out.Replayed, out.ValueMinor = old, true, s.PointsValueMinor(r.Points)
			out.Balance, err = Balance(ctx, tx, r.CustomerID)
			return err
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		switch status {
		case order.Delivered, order.Cancelled, order.Returned:
			return invalid.Field("order_id", "closed", "order %d is %s: points pay open orders", r.OrderID, status)
		}
		value := s.PointsValueMinor(r.Points)
		if limit := int64(float64(total) * s.settings.Loyalty.RedeemMaxPercent / 100); value > limit {
			return invalid.Field("points", "over_limit", "points may pay at most %g%% of the order: %d points",
				s.settings.Loyalty.RedeemMaxPercent, s.pointsFor(limit))
		}
		posted, err := s.Post(ctx, tx, []Posting{{Kind: Redemption, CustomerID: r.CustomerID, Points: -r.Points,
			OrderID: r.OrderID, Source: FromOrder, Key: key}})
		if err != nil {
			return err
		}
		if len(posted) == 0 {
			// The same request, at the same moment, went first (PostgreSQL).
			return &ConflictError{fmt.Sprintf("order %d is being redeemed by another request; retry it", r.OrderID)}
		}
		out.Transaction, out.ValueMinor = posted[0], value
		out.Balance, err = Balance(ctx, tx, r.CustomerID)
		return err
	})
	return out, err
}

// pointsFor is the most points worth at most valueMinor.
func (s *Service) pointsFor(valueMinor int64) int64 {
	per := s.PointsValueMinor(1)
	if per <= 0 {
		return 0
	}
	return valueMinor / per
}

func transactionByKey(ctx context.Context, q store.Querier, key string) (Transaction, error) {
	t, err := scanTransaction(q.QueryRow(ctx, `SELECT `+txColumns+` FROM loyalty_transactions WHERE idem_key = $1`, key))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return t, fmt.Errorf("loyalty transaction %s: %w", key, err)
	}
	return t, err
}

// GrantRequest gives a customer points and/or a coupon, with a reason.
type GrantRequest struct {
	CustomerID int64
	// OrderID is the order it is about; a grant about an order happens
	// once per order and reason.
	OrderID int64
	Grant   config.Grant
	// Kind is compensation unless said (adjustment for an operator's
	// correction, which may take points away).
	Kind   Kind
	Source Source
	Actor  string
	// Key replaces the grant's idempotency key: a request the shop's
	// system retries.
	Key string
	// Silent: the caller tells the customer itself (event.LoyaltyPointsCreditedPayload).
	Silent bool
}

// GrantResult is what a grant gave.
type GrantResult struct {
	Transaction *Transaction
	Coupon      *Coupon
	// Granted is false when the grant had been made already (same order
	// and reason, or same key): what it gave then is returned.
	Granted bool
}

// grantKey is the grant's idempotency key.
func grantKey(r GrantRequest) string {
	switch {
	case r.Key != "":
		return "grant:k:" + r.Key
	case r.OrderID != 0:
		return fmt.Sprintf("grant:o%d:%s", r.OrderID, strings.ToLower(strings.TrimSpace(r.Grant.Reason)))
	}
	return fmt.Sprintf("grant:c%d:%s", r.CustomerID, secret.Token()) // an operator's grant about no order
}

// Grant gives points and/or a coupon in a transaction of its own.
func (s *Service) Grant(ctx context.Context, r GrantRequest) (GrantResult, error) {
	var out GrantResult
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.GrantTx(ctx, tx, r)
		if err != nil || !out.Granted {
			return err
		}
		detail := map[string]any{"reason": r.Grant.Reason, "kind": string(r.Kind)}
		if t := out.Transaction; t != nil {
			detail["points"] = t.Points
		}
		if c := out.Coupon; c != nil {
			detail["coupon"] = c.ID
		}
		if r.OrderID != 0 {
			detail["order"] = r.OrderID
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.PointsGranted, Detail: detail}.
			Target(actionlog.TargetCustomer, r.CustomerID))
	})
	return out, err
}

// GrantTx gives points and/or a coupon inside tx (a playbook rule's
// transaction), once per order and reason, and journals it
// (loyalty.points_credited) so the customer can be told.
func (s *Service) GrantTx(ctx context.Context, tx *store.Tx, r GrantRequest) (GrantResult, error) {
	if r.Kind == "" {
		r.Kind = Compensation
	}
	if r.Source == "" {
		r.Source = FromCompensation
	}
	r.Grant.Reason = strings.TrimSpace(r.Grant.Reason)
	var errs invalid.List
	if r.Grant.Reason == "" {
		errs.Add("reason", "required", "say why: it is kept in the ledger and told to the customer")
	} else {
		checkText(&errs, "reason", r.Grant.Reason)
	}
	checkText(&errs, "actor", r.Actor)
	if r.Grant.Points < 0 && r.Kind != Adjustment || r.Grant.Points < -config.MaxPoints || r.Grant.Points > config.MaxPoints {
		errs.Add("points", "invalid", "must be between 0 and %d", config.MaxPoints)
	}
	if r.Grant.Points == 0 && r.Grant.Coupon == nil {
		errs.Add("points", "required", "give points, a coupon or both")
	}
	if err := errs.Err(); err != nil {
		return GrantResult{}, err
	}
	if r.OrderID != 0 {
		o, err := order.GetBrief(ctx, tx, r.OrderID)
		owner := o.CustomerID
		if err != nil {
			return GrantResult{}, fmt.Errorf("grant about order %d: %w", r.OrderID, err)
		}
		if owner != r.CustomerID {
			return GrantResult{}, invalid.Field("order_id", "not_yours", "order %d is another customer's", r.OrderID)
		}
	}
	key := grantKey(r)
	var out GrantResult
	if r.Grant.Points != 0 {
		posted, err := s.Post(ctx, tx, []Posting{{Kind: r.Kind, CustomerID: r.CustomerID, Points: r.Grant.Points,
			OrderID: r.OrderID, Source: r.Source, Reason: r.Grant.Reason, Actor: r.Actor, Key: key}})
		if err != nil {
			return GrantResult{}, err
		}
		if len(posted) > 0 {
			out.Transaction, out.Granted = &posted[0], true
		} else if old, err := transactionByKey(ctx, tx, key); err == nil {
			out.Transaction = &old
		} else {
			return GrantResult{}, err
		}
	}
	var couponID int64
	if r.Grant.Coupon != nil {
		c, created, err := s.CreateCoupon(ctx, tx, CouponRequest{Spec: *r.Grant.Coupon, MaxUses: 1, CustomerID: r.CustomerID,
			OrderID: r.OrderID, Reason: r.Grant.Reason, GrantKey: key})
		if err != nil {
			return GrantResult{}, err
		}
		out.Coupon, out.Granted = &c, out.Granted || created
		if created {
			couponID = c.ID
		}
	}
	if !out.Granted {
		return out, nil
	}
	pl := event.LoyaltyPointsCreditedPayload{Kind: string(r.Kind), Reason: r.Grant.Reason, CouponID: couponID, Silent: r.Silent}
	if t := out.Transaction; t != nil && t.Points > 0 {
		pl.TransactionID, pl.Points = t.ID, t.Points
	} else if couponID == 0 {
		return out, nil // a correction downwards is not news to send
	}
	err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.LoyaltyPointsCredited, OrderID: r.OrderID,
		CustomerID: r.CustomerID, OccurredAt: s.clock.Now(), Payload: journal.MustPayload(pl)})
	return out, err
}

// checkText refuses a reason or name that is not one line of at most 200
// characters of text (control characters, NUL, invalid UTF-8).
func checkText(errs *invalid.List, field, s string) {
	if e := invalid.TextMax(field, s, invalid.MaxName, false); e != nil {
		*errs = append(*errs, e)
	}
}

// Review credits the review bonus for a delivered order of the customer,
// once per order; it reports whether points were credited now.
func (s *Service) Review(ctx context.Context, customerID, orderID int64) (bool, error) {
	points := s.settings.Loyalty.Bonuses.Review
	credited := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		o, err := order.GetBrief(ctx, tx, orderID)
		owner, status := o.CustomerID, o.Status
		if errors.Is(err, store.ErrNotFound) {
			return invalid.Field("order_id", "not_found", "there is no order %d", orderID)
		}
		if err != nil {
			return fmt.Errorf("review bonus for order %d: %w", orderID, err)
		}
		if owner != customerID {
			return invalid.Field("order_id", "not_yours", "order %d is another customer's", orderID)
		}
		if status != order.Delivered {
			return invalid.Field("order_id", "not_delivered", "order %d is %s: a review bonus is for a delivered order", orderID, status)
		}
		posted, err := s.Post(ctx, tx, []Posting{{Kind: Bonus, CustomerID: customerID, Points: points, OrderID: orderID,
			Source: FromProgram, Reason: ReasonReview, Key: fmt.Sprintf("bonus:review:o%d", orderID)}})
		if err != nil {
			return err
		}
		credited = len(posted) > 0
		return s.announce(ctx, tx, posted, 0)
	})
	return credited, err
}
