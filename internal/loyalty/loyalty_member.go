package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
)

// Member is a customer as the program sees them.
type Member struct {
	CustomerID int64
	Balance    int64
	// ValueMinor is what the balance is worth, in the shop currency's
	// minor units.
	ValueMinor int64
	Tier       string // "" for none
	TierSince  *time.Time
	// Standing is the tier window's delivered orders and spend.
	Standing Standing
	// Next is the tier above, nil at the top.
	Next *NextTier
	// Expiring is the next points to lapse, zero when none will.
	Expiring     Lapse
	ReferralCode string
	ReferredBy   int64
}

// NextTier is how far a member is from the tier above.
type NextTier struct {
	Tier config.Tier
	// OrdersToGo and SpendToGoMinor are what is missing for each of the
	// tier's thresholds (0 for one it does not set); either one reached
	// is enough.
	OrdersToGo     int64
	SpendToGoMinor int64
	// Progress is the nearer of the two, 0 to 1.
	Progress float64
}

// Member returns a customer's standing in the program; a customer who
// never earned a point is a member with nothing yet.
func (s *Service) Member(ctx context.Context, q store.Querier, customerID int64) (Member, error) {
	m := Member{CustomerID: customerID}
	var code *string
	var referrer *int64
	err := q.QueryRow(ctx, `SELECT balance, tier, tier_since, referral_code, referred_by FROM loyalty_accounts WHERE customer_id = $1`,
		customerID).Scan(&m.Balance, &m.Tier, &m.TierSince, &code, &referrer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return m, fmt.Errorf("loyalty member %d: %w", customerID, err)
	}
	m.ReferralCode = store.Text(code)
	if referrer != nil {
		m.ReferredBy = *referrer
	}
	m.ValueMinor = s.PointsValueMinor(m.Balance)
	now := s.clock.Now()
	if m.Standing, err = s.standing(ctx, q, customerID, now); err != nil {
		return m, err
	}
	if m.Expiring, err = NextLapse(ctx, q, customerID, now); err != nil {
		return m, err
	}
	tiers := s.settings.Loyalty.Tiers
	for i := s.rank(m.Tier); i < len(tiers); i++ {
		t := tiers[i]
		if s.reaches(t, m.Standing) {
			continue // reached, not yet re-tiered: the sweep will
		}
		n := &NextTier{Tier: t}
		if t.MinOrders > 0 {
			n.OrdersToGo = int64(t.MinOrders) - m.Standing.Orders
			n.Progress = float64(m.Standing.Orders) / float64(t.MinOrders)
		}
		if t.MinSpend > 0 {
			need := s.minor(t.MinSpend)
			n.SpendToGoMinor = need - m.Standing.SpentMinor
			n.Progress = max(n.Progress, float64(m.Standing.SpentMinor)/float64(need))
		}
		m.Next = n
		break
	}
	return m, nil
}

// TierOf returns a customer's tier code, "" for none.
func TierOf(ctx context.Context, q store.Querier, customerID int64) (string, error) {
	var t string
	err := q.QueryRow(ctx, `SELECT tier FROM loyalty_accounts WHERE customer_id = $1`, customerID).Scan(&t)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("tier of customer %d: %w", customerID, err)
	}
	return t, nil
}

// Figures are the program's numbers for the owner.
type Figures struct {
	// Members are customers who have had points or a tier; ByTier
	// counts them per tier code ("" for none).
	Members int64
	ByTier  map[string]int64
	// Over the period: points issued (every credit but refunds), spent
	// (less refunds), lapsed and taken back (returns, corrections).
	Issued, Redeemed, Expired, TakenBack int64
	// Outstanding is the points customers hold now; LiabilityMinor what
	// they are worth, the shop's debt to its customers.
	Outstanding    int64
	LiabilityMinor int64
	// Orders placed in the period, and those paid partly with points.
	Orders, OrdersWithPoints int64
	// Coupons created in the period and uses of any coupon in it.
	CouponsIssued, CouponUses int64
}

// PointsShare is the share of the period's orders that used points.
func (f Figures) PointsShare() float64 {
	if f.Orders == 0 {
		return 0
	}
	return float64(f.OrdersWithPoints) / float64(f.Orders)
}

// Figures counts the program over [from, to).
func (s *Service) Figures(ctx context.Context, q store.Querier, from, to time.Time) (Figures, error) {
	f := Figures{ByTier: map[string]int64{}}
	// A member has had points or a tier: an account opened only to hold
	// a referral code does not count.
	rows, err := q.Query(ctx, `SELECT a.tier, COUNT(*), COALESCE(SUM(a.balance), 0) FROM loyalty_accounts a
		WHERE a.customer_id IS NOT NULL AND (a.tier <> '' OR a.balance <> 0
			OR EXISTS (SELECT 1 FROM loyalty_transactions t WHERE t.customer_id = a.customer_id))
		GROUP BY a.tier`)
	if err != nil {
		return f, fmt.Errorf("loyalty figures: %w", err)
	}
	for rows.Next() {
		var tier string
		var n, bal int64
		if err := rows.Scan(&tier, &n, &bal); err != nil {
			rows.Close()
			return f, fmt.Errorf("loyalty figures: %w", err)
		}
		f.ByTier[tier] = n
		f.Members += n
		f.Outstanding += bal
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("loyalty figures: %w", err)
	}
	f.LiabilityMinor = s.PointsValueMinor(f.Outstanding)
	err = q.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN points > 0 AND kind <> 'refund' THEN points ELSE 0 END), 0),
		COALESCE(-SUM(CASE WHEN kind IN ('redemption', 'refund') THEN points ELSE 0 END), 0),
		COALESCE(-SUM(CASE WHEN kind = 'expiry' THEN points ELSE 0 END), 0),
		COALESCE(-SUM(CASE WHEN points < 0 AND kind IN ('reversal', 'adjustment') THEN points ELSE 0 END), 0)
		FROM loyalty_transactions WHERE created_at >= $1 AND created_at < $2`, from, to).Scan(&f.Issued, &f.Redeemed, &f.Expired, &f.TakenBack)
	if err != nil {
		return f, fmt.Errorf("loyalty figures: %w", err)
	}
	err = q.QueryRow(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM loyalty_transactions t
		WHERE t.order_id = o.id AND t.kind = 'redemption'))
		FROM orders o WHERE o.placed_at >= $1 AND o.placed_at < $2`, from, to).Scan(&f.Orders, &f.OrdersWithPoints)
	if err != nil {
		return f, fmt.Errorf("loyalty figures: %w", err)
	}
	err = q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM coupons WHERE created_at >= $1 AND created_at < $2),
		(SELECT COUNT(*) FROM coupon_redemptions WHERE created_at >= $1 AND created_at < $2)`, from, to).Scan(&f.CouponsIssued, &f.CouponUses)
	if err != nil {
		return f, fmt.Errorf("loyalty figures: %w", err)
	}
	return f, nil
}
