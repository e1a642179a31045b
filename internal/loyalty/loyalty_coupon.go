package loyalty

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// CouponKind is how a coupon takes money off.
type CouponKind string

// The kinds of coupon.
const (
	Percent CouponKind = "percent" // Value is hundredths of a percent
	Fixed   CouponKind = "fixed"   // Value is minor units of Currency
)

// Coupon is a code worth money off an order.
type Coupon struct {
	ID       int64
	Code     string
	Kind     CouponKind
	Value    int64
	Currency string
	// MinOrderMinor is the least order total it applies to.
	MinOrderMinor int64
	// MaxUses is how many orders may use it: 1 for a single-use code, 0
	// for no limit.
	MaxUses int64
	Uses    int64
	// CustomerID, when set, is the only customer who may use it.
	CustomerID int64
	// OrderID is the order it was granted about (compensation).
	OrderID   int64
	Reason    string
	ExpiresAt *time.Time
	CreatedAt time.Time
}

// Display is the code as people read it: a generated code in groups of
// four (7KQ2-MX9D-…), a shop's own code as it is.
func (c Coupon) Display() string {
	if len(c.Code) != generatedCodeLen {
		return c.Code
	}
	return c.Code[:4] + "-" + c.Code[4:8] + "-" + c.Code[8:]
}

// Discount is what the coupon takes off an order of totalMinor.
func (c Coupon) Discount(totalMinor int64) int64 {
	if c.Kind == Percent {
		return totalMinor * c.Value / 10000
	}
	return min(c.Value, totalMinor)
}

// PercentOff is a percent coupon's percent (7.5 for 7.5 %).
func (c Coupon) PercentOff() float64 { return float64(c.Value) / 100 }

const generatedCodeLen = 12

var ownCode = regexp.MustCompile(`^[A-Z0-9]{4,32}$`)

// CouponRequest asks for a coupon.
type CouponRequest struct {
	// Code is the shop's own code (WELCOME10); generated when empty.
	Code string
	Spec config.CouponSpec
	// MaxUses: 1 single-use, 0 no limit.
	MaxUses    int64
	CustomerID int64
	OrderID    int64
	Reason     string
	// GrantKey makes a granted coupon exist once (the grant's key): a
	// second request returns the first coupon.
	GrantKey string
}

// CreateCoupon creates a coupon inside tx; with a GrantKey that exists
// already, it returns that coupon and created false.
func (s *Service) CreateCoupon(ctx context.Context, tx *store.Tx, r CouponRequest) (Coupon, bool, error) {
	var errs invalid.List
	config.ValidateCoupon(&errs, "coupon", r.Spec)
	code := NormalizeCode(r.Code)
	if r.Code != "" && !ownCode.MatchString(code) {
		errs.Add("coupon.code", "invalid", "a code is 4 to 32 Latin letters and digits, got %q", r.Code)
	}
	if r.MaxUses < 0 {
		errs.Add("coupon.max_uses", "invalid", "must be 1 or more, or 0 for no limit")
	}
	checkText(&errs, "coupon.reason", r.Reason)
	if err := errs.Err(); err != nil {
		return Coupon{}, false, err
	}
	if code == "" {
		code = randomCode(generatedCodeLen)
	}
	now := s.clock.Now()
	c := Coupon{Code: code, Kind: Percent, Value: int64(math.Round(r.Spec.Percent * 100)), MinOrderMinor: s.minor(r.Spec.MinOrder),
		MaxUses: r.MaxUses, CustomerID: r.CustomerID, OrderID: r.OrderID, Reason: strings.TrimSpace(r.Reason), CreatedAt: now}
	if r.Spec.Amount > 0 {
		c.Kind, c.Value, c.Currency = Fixed, s.minor(r.Spec.Amount), s.settings.Shop.Currency
	}
	if r.Spec.ValidFor > 0 {
		t := now.Add(time.Duration(r.Spec.ValidFor))
		c.ExpiresAt = &t
	}
	err := tx.QueryRow(ctx, `INSERT INTO coupons (code, kind, value, currency, min_order_minor, max_uses, customer_id, order_id,
		reason, grant_key, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT DO NOTHING RETURNING id`, c.Code, string(c.Kind), c.Value, c.Currency, c.MinOrderMinor, c.MaxUses,
		nullID(c.CustomerID), nullID(c.OrderID), c.Reason, store.NullText(r.GrantKey), c.ExpiresAt, now).Scan(&c.ID)
	switch {
	case err == nil:
		return c, true, nil
	case !errors.Is(err, store.ErrNotFound):
		return Coupon{}, false, fmt.Errorf("create coupon: %w", err)
	case r.GrantKey != "":
		if old, err := couponWhere(ctx, tx, `grant_key = $1`, r.GrantKey); err == nil {
			return old, false, nil
		}
	}
	return Coupon{}, false, invalid.Field("coupon.code", "taken", "the code %s is in use already", c.Code)
}

const couponColumns = `id, code, kind, value, currency, min_order_minor, max_uses, uses, customer_id, order_id, reason, expires_at, created_at`

func scanCoupon(r store.Row) (Coupon, error) {
	var c Coupon
	var customer, orderID *int64
	err := r.Scan(&c.ID, &c.Code, &c.Kind, &c.Value, &c.Currency, &c.MinOrderMinor, &c.MaxUses, &c.Uses,
		&customer, &orderID, &c.Reason, &c.ExpiresAt, &c.CreatedAt)
	if customer != nil {
		c.CustomerID = *customer
	}
	if orderID != nil {
		c.OrderID = *orderID
	}
	return c, err
}

func couponWhere(ctx context.Context, q store.Querier, where string, args ...any) (Coupon, error) {
	return scanCoupon(q.QueryRow(ctx, `SELECT `+couponColumns+` FROM coupons WHERE `+where, args...))
}

// CouponByCode returns the coupon with the code, typed any way a person
// types it.
func CouponByCode(ctx context.Context, q store.Querier, code string) (Coupon, error) {
	if !PlausibleCode(code) {
		return Coupon{}, fmt.Errorf("coupon %q: %w", code, store.ErrNotFound)
	}
	c, err := couponWhere(ctx, q, `code = $1`, NormalizeCode(code))
	if err != nil {
		return c, fmt.Errorf("coupon %q: %w", code, err)
	}
	return c, nil
}

// CouponError says why a coupon cannot be used; Code is one of not_found,
// expired, used_up, min_order, not_yours, currency.
type CouponError struct {
	Code    string
	Message string
}

func (e *CouponError) Error() string { return e.Message }

// Quote is what a coupon takes off an order.
type Quote struct {
	Coupon        Coupon
	DiscountMinor int64
}

// check says whether the coupon may be used now by the customer (0: not
// known yet) on an order of totalMinor in currency.
func (s *Service) check(c Coupon, customerID, totalMinor int64, currency string, now time.Time) error {
	switch {
	case c.ExpiresAt != nil && !now.Before(*c.ExpiresAt):
		return &CouponError{"expired", fmt.Sprintf("the coupon expired on %s", c.ExpiresAt.In(s.settings.Shop.Location()).Format(time.DateOnly))}
	case c.MaxUses > 0 && c.Uses >= c.MaxUses:
		return &CouponError{"used_up", "the coupon has been used already"}
	case c.CustomerID != 0 && customerID != 0 && c.CustomerID != customerID:
		return &CouponError{"not_yours", "the coupon belongs to another customer"}
	case c.Kind == Fixed && currency != "" && c.Currency != currency:
		return &CouponError{"currency", fmt.Sprintf("the coupon is in %s, the order in %s", c.Currency, currency)}
	case totalMinor < c.MinOrderMinor:
		return &CouponError{"min_order", fmt.Sprintf("the coupon needs an order of at least %d (minor units), got %d", c.MinOrderMinor, totalMinor)}
	}
	return nil
}

// ValidateCoupon tells whether a code can be used by a customer (0:
// anyone) on an order of totalMinor in currency ("" for the shop's),
// and what it takes off; a code that cannot be used gives *CouponError.
func (s *Service) ValidateCoupon(ctx context.Context, code string, customerID, totalMinor int64, currency string) (Quote, error) {
	c, err := CouponByCode(ctx, s.db.Read(), code)
	if errors.Is(err, store.ErrNotFound) {
		return Quote{}, &CouponError{"not_found", "there is no such coupon"}
	}
	if err != nil {
		return Quote{}, err
	}
	if currency == "" {
		currency = s.settings.Shop.Currency
	}
	if err := s.check(c, customerID, totalMinor, currency, s.clock.Now()); err != nil {
		return Quote{Coupon: c}, err
	}
	return Quote{Coupon: c, DiscountMinor: c.Discount(totalMinor)}, nil
}

// CouponUse is a coupon used on an order.
type CouponUse struct {
	Quote
	OrderID int64
	// Replayed says the coupon had been used on this order already: the
	// first use is returned and nothing changes.
	Replayed bool
}

// RedeemCoupon uses a coupon on an order, once: a second request for the
// same coupon and order returns the first use. Two orders racing for the
// last use of a coupon cannot both have it.
func (s *Service) RedeemCoupon(ctx context.Context, code string, orderID int64) (CouponUse, error) {
	var use CouponUse
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		use = CouponUse{OrderID: orderID}
		c, err := CouponByCode(ctx, tx, code)
		if errors.Is(err, store.ErrNotFound) {
			return &CouponError{"not_found", "there is no such coupon"}
		}
		if err != nil {
			return err
		}
		use.Coupon = c
		o, err := order.GetBrief(ctx, tx, orderID)
		customerID, total, currency := o.CustomerID, o.TotalMinor, o.Currency
		if err != nil {
			return fmt.Errorf("coupon for order %d: %w", orderID, err)
		}
		err = tx.QueryRow(ctx, `SELECT discount_minor FROM coupon_redemptions WHERE coupon_id = $1 AND order_id = $2`,
			c.ID, orderID).Scan(&use.DiscountMinor)
		if err == nil {
			use.Replayed = true
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("coupon for order %d: %w", orderID, err)
		}
		if err := s.check(c, customerID, total, currency, s.clock.Now()); err != nil {
			return err
		}
		use.DiscountMinor = c.Discount(total)
		// The use first: the same request racing this one (PostgreSQL)
		// waits on it and then finds it.
		n, err := tx.Exec(ctx, `INSERT INTO coupon_redemptions (coupon_id, order_id, discount_minor, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, c.ID, orderID, use.DiscountMinor, s.clock.Now())
		if err != nil {
			return fmt.Errorf("use coupon %d on order %d: %w", c.ID, orderID, err)
		}
		if n == 0 {
			use.Replayed = true
			return nil
		}
		n, err = tx.Exec(ctx, `UPDATE coupons SET uses = uses + 1 WHERE id = $1 AND (max_uses = 0 OR uses < max_uses)`, c.ID)
		if err != nil {
			return fmt.Errorf("use coupon %d: %w", c.ID, err)
		}
		if n == 0 {
			return &CouponError{"used_up", "the coupon has been used already"}
		}
		use.Coupon.Uses++
		return nil
	})
	return use, err
}

// Coupons lists coupons, newest first: those of a customer (0: all), at
// most limit.
func Coupons(ctx context.Context, q store.Querier, customerID int64, limit int) ([]Coupon, error) {
	where, args := `1 = 1`, []any{limit}
	if customerID != 0 {
		where, args = `customer_id = $2`, append(args, customerID)
	}
	rows, err := q.Query(ctx, `SELECT `+couponColumns+` FROM coupons WHERE `+where+` ORDER BY id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, fmt.Errorf("list coupons: %w", err)
	}
	defer rows.Close()
	var out []Coupon
	for rows.Next() {
		c, err := scanCoupon(rows)
		if err != nil {
			return nil, fmt.Errorf("list coupons: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CouponByID returns one coupon.
func CouponByID(ctx context.Context, q store.Querier, id int64) (Coupon, error) {
	c, err := couponWhere(ctx, q, `id = $1`, id)
	if err != nil {
		return c, fmt.Errorf("coupon %d: %w", id, err)
	}
	return c, nil
}
