package loyalty

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// The methods below let the HTTP surfaces read the program and make
// coupons through the service instead of holding the database: each
// reads through the read pool, or writes in its own transaction.

// Balance returns a customer's points (see Balance).
func (s *Service) Balance(ctx context.Context, customerID int64) (int64, error) {
	return Balance(ctx, s.db.Read(), customerID)
}

// Ledger returns a page of a customer's transactions (see Ledger).
func (s *Service) Ledger(ctx context.Context, customerID, before int64, limit int) ([]Transaction, error) {
	return Ledger(ctx, s.db.Read(), customerID, before, limit)
}

// Coupons lists coupons, newest first (see Coupons).
func (s *Service) Coupons(ctx context.Context, customerID int64, limit int) ([]Coupon, error) {
	return Coupons(ctx, s.db.Read(), customerID, limit)
}

// MemberGet is Member over the read pool.
func (s *Service) MemberGet(ctx context.Context, customerID int64) (Member, error) {
	return s.Member(ctx, s.db.Read(), customerID)
}

// FiguresBetween is Figures over the read pool.
func (s *Service) FiguresBetween(ctx context.Context, from, to time.Time) (Figures, error) {
	return s.Figures(ctx, s.db.Read(), from, to)
}

// CouponCreate is CreateCoupon in its own transaction.
func (s *Service) CouponCreate(ctx context.Context, r CouponRequest) (Coupon, bool, error) {
	var c Coupon
	var made bool
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		c, made, err = s.CreateCoupon(ctx, tx, r)
		return err
	})
	return c, made, err
}
