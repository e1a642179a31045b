package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/money"
)

// ref is a customer or order named by shopcare's id (a number) or the
// shop's external id (a string).
type ref string

// UnmarshalJSON takes 42 or "42" or "A-1042".
func (r *ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = ref(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*r = ref(n.String())
	return nil
}

// resolve finds the customer and order a loyalty request names; an empty
// order is 0. Errors name the field.
func (h *Handler) resolve(ctx context.Context, customerRef, orderRef ref, orderRequired bool) (customerID, orderID int64, err error) {
	var errs invalid.List
	if customerRef == "" {
		errs.Add("customer_id", "required", "is required")
	}
	customerID = h.customerRef(ctx, customerRef, &errs)
	orderID = h.orderRef(ctx, orderRef, orderRequired, &errs)
	return customerID, orderID, errs.Err()
}

// customerRef finds the customer r names (0 for none), adding an error
// on customer_id when there is no such customer.
func (h *Handler) customerRef(ctx context.Context, r ref, errs *invalid.List) int64 {
	if r == "" {
		return 0
	}
	id, err := h.customers.ResolveID(ctx, string(r))
	if err != nil {
		errs.Add("customer_id", "not_found", "there is no customer %q", r)
	}
	return id
}

// orderRef finds the order r names, adding an error on order_id when there
// is no such order or it is required and missing.
func (h *Handler) orderRef(ctx context.Context, r ref, required bool, errs *invalid.List) int64 {
	if r == "" {
		if required {
			errs.Add("order_id", "required", "is required")
		}
		return 0
	}
	id, err := h.orders.ResolveID(ctx, string(r))
	if err != nil {
		errs.Add("order_id", "not_found", "there is no order %q", r)
	}
	return id
}

// amount is minor units of the shop's currency as a decimal.
func (h *Handler) amount(minor int64) json.Number {
	return json.Number(money.Format(minor, money.Scale(h.app.Settings.Shop.Currency)))
}

type redeemRequest struct {
	CustomerID ref   `json:"customer_id"`
	OrderID    ref   `json:"order_id"`
	Points     int64 `json:"points"`
}

type redeemResponse struct {
	TransactionID int64       `json:"transaction_id"`
	CustomerID    int64       `json:"customer_id"`
	OrderID       int64       `json:"order_id"`
	Points        int64       `json:"points"`
	Value         json.Number `json:"value"`
	Balance       int64       `json:"balance"`
	Replayed      bool        `json:"replayed"`
}

// loyaltyRedeem pays part of an order with points: 201, 200 for a replay,
// 409 when the balance does not cover it.
func (h *Handler) loyaltyRedeem(w http.ResponseWriter, r *http.Request) {
	var req redeemRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	customerID, orderID, err := h.resolve(r.Context(), req.CustomerID, req.OrderID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.loyalty.Redeem(r.Context(), loyalty.RedeemRequest{CustomerID: customerID, OrderID: orderID, Points: req.Points})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, redeemResponse{TransactionID: res.Transaction.ID, CustomerID: customerID, OrderID: orderID,
		Points: -res.Transaction.Points, Value: h.amount(res.ValueMinor), Balance: res.Balance, Replayed: res.Replayed})
}

// couponSpecJSON describes a coupon to create.
type couponSpecJSON struct {
	Percent   json.Number `json:"percent"`
	Amount    json.Number `json:"amount"`
	MinOrder  json.Number `json:"min_order"`
	ValidDays int         `json:"valid_days"`
}

// maxCouponAmount bounds a coupon's numbers in the currency's units:
// money.MaxAmount of a currency with cents.
const maxCouponAmount = money.MaxAmount / 100

func (c couponSpecJSON) spec(errs *invalid.List, prefix string) config.CouponSpec {
	num := func(field string, n json.Number) float64 {
		if n == "" {
			return 0
		}
		v, err := n.Float64()
		switch {
		case err != nil:
			errs.Add(prefix+field, "invalid", "must be a number")
		case v < 0 || v > maxCouponAmount:
			errs.Add(prefix+field, "invalid", "must be between 0 and %d", maxCouponAmount)
		}
		return v
	}
	if c.ValidDays < 0 || c.ValidDays > 3660 {
		errs.Add(prefix+"valid_days", "invalid", "must be between 0 (no end) and 3660")
	}
	return config.CouponSpec{Percent: num("percent", c.Percent), Amount: num("amount", c.Amount),
		MinOrder: num("min_order", c.MinOrder), ValidFor: config.Duration(time.Duration(c.ValidDays) * 24 * time.Hour)}
}

type grantRequest struct {
	CustomerID ref             `json:"customer_id"`
	OrderID    ref             `json:"order_id"`
	Points     int64           `json:"points"`
	Coupon     *couponSpecJSON `json:"coupon"`
	Reason     string          `json:"reason"`
	// Kind is compensation (default) or adjustment (a correction, which
	// may be negative).
	Kind string `json:"kind"`
	// Key makes a retried request without an order safe.
	Key   string `json:"key"`
	Actor string `json:"actor"`
}

type grantResponse struct {
	Granted     bool             `json:"granted"`
	Transaction *ledgerEntryJSON `json:"transaction"`
	Coupon      *couponJSON      `json:"coupon"`
	Balance     int64            `json:"balance"`
}

// loyaltyGrant gives points and/or a coupon with a reason, once per order
// and reason: 201, or 200 with what was given the first time.
func (h *Handler) loyaltyGrant(w http.ResponseWriter, r *http.Request) {
	var req grantRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	customerID, orderID, err := h.resolve(r.Context(), req.CustomerID, req.OrderID, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var errs invalid.List
	g := loyalty.GrantRequest{CustomerID: customerID, OrderID: orderID, Key: req.Key, Actor: cmpOr(req.Actor, "api"),
		Grant: config.Grant{Points: req.Points, Reason: req.Reason}}
	switch req.Kind {
	case "", "compensation":
		g.Kind, g.Source = loyalty.Compensation, loyalty.FromCompensation
	case "adjustment":
		g.Kind, g.Source = loyalty.Adjustment, loyalty.FromOperator
	default:
		errs.Add("kind", "invalid", "%q is not compensation or adjustment", req.Kind)
	}
	if req.Coupon != nil {
		spec := req.Coupon.spec(&errs, "coupon.")
		g.Grant.Coupon = &spec
	}
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.loyalty.Grant(r.Context(), g)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := grantResponse{Granted: res.Granted}
	if t := res.Transaction; t != nil {
		e := ledgerEntry(*t)
		out.Transaction = &e
	}
	if c := res.Coupon; c != nil {
		cj := h.couponJSON(*c)
		out.Coupon = &cj
	}
	if out.Balance, err = h.loyalty.Balance(r.Context(), customerID); err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if !res.Granted {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return b
}

func ledgerEntry(t loyalty.Transaction) ledgerEntryJSON {
	e := ledgerEntryJSON{ID: t.ID, Kind: t.Kind, Points: t.Points, Balance: t.Balance, Source: t.Source, Reason: t.Reason,
		Actor: t.Actor, ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}
	if t.OrderID != 0 {
		e.OrderID = &t.OrderID
	}
	return e
}

// reviewJSON answers POST /loyalty/reviews.
type reviewJSON struct {
	Credited bool  `json:"credited"`
	Balance  int64 `json:"balance"`
}

type reviewRequest struct {
	CustomerID ref `json:"customer_id"`
	OrderID    ref `json:"order_id"`
}

// loyaltyReview credits the review bonus for a delivered order, once.
func (h *Handler) loyaltyReview(w http.ResponseWriter, r *http.Request) {
	var req reviewRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	customerID, orderID, err := h.resolve(r.Context(), req.CustomerID, req.OrderID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	credited, err := h.loyalty.Review(r.Context(), customerID, orderID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	bal, err := h.loyalty.Balance(r.Context(), customerID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if credited {
		status = http.StatusCreated
	}
	writeJSON(w, status, reviewJSON{Credited: credited, Balance: bal})
}

// couponJSON is a coupon in the API.
type couponJSON struct {
	ID         int64       `json:"id"`
	Code       string      `json:"code"`
	Kind       string      `json:"kind"`
	Percent    float64     `json:"percent,omitempty"`
	Amount     json.Number `json:"amount,omitempty"`
	Currency   string      `json:"currency,omitempty"`
	MinOrder   json.Number `json:"min_order"`
	MaxUses    int64       `json:"max_uses"` // 0: no limit
	Uses       int64       `json:"uses"`
	CustomerID *int64      `json:"customer_id"`
	OrderID    *int64      `json:"order_id"`
	Reason     string      `json:"reason,omitempty"`
	ExpiresAt  *time.Time  `json:"expires_at"`
	CreatedAt  time.Time   `json:"created_at"`
}

func (h *Handler) couponJSON(c loyalty.Coupon) couponJSON {
	out := couponJSON{ID: c.ID, Code: c.Display(), Kind: string(c.Kind), MinOrder: h.amount(c.MinOrderMinor), MaxUses: c.MaxUses,
		Uses: c.Uses, Reason: c.Reason, ExpiresAt: c.ExpiresAt, CreatedAt: c.CreatedAt}
	if c.Kind == loyalty.Percent {
		out.Percent = c.PercentOff()
	} else {
		out.Amount, out.Currency = json.Number(money.Format(c.Value, money.Scale(c.Currency))), c.Currency
	}
	if c.CustomerID != 0 {
		out.CustomerID = &c.CustomerID
	}
	if c.OrderID != 0 {
		out.OrderID = &c.OrderID
	}
	return out
}

type couponCreateRequest struct {
	couponSpecJSON
	Code       string `json:"code"`
	MaxUses    *int64 `json:"max_uses"` // default 1; 0 for no limit
	CustomerID ref    `json:"customer_id"`
	Reason     string `json:"reason"`
}

// couponCreate creates a coupon: the shop's own code or a generated one.
func (h *Handler) couponCreate(w http.ResponseWriter, r *http.Request) {
	var req couponCreateRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var errs invalid.List
	spec := req.spec(&errs, "")
	cr := loyalty.CouponRequest{Code: req.Code, Spec: spec, MaxUses: 1, Reason: req.Reason}
	if req.MaxUses != nil {
		cr.MaxUses = *req.MaxUses
	}
	cr.CustomerID = h.customerRef(r.Context(), req.CustomerID, &errs)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	c, _, err := h.loyalty.CouponCreate(r.Context(), cr)
	if err != nil {
		h.fail(w, r, unprefixCoupon(err))
		return
	}
	writeJSON(w, http.StatusCreated, h.couponJSON(c))
}

// unprefixCoupon names the fields of a coupon's errors as this request
// does (code, percent) rather than as a grant's (coupon.code).
func unprefixCoupon(err error) error {
	if ie, ok := invalid.First(err); ok {
		ie.Field = strings.TrimPrefix(ie.Field, "coupon.")
	}
	return err
}

type couponValidateRequest struct {
	Code       string      `json:"code"`
	CustomerID ref         `json:"customer_id"`
	Total      json.Number `json:"total"`
	Currency   string      `json:"currency"`
}

type couponValidateResponse struct {
	Valid    bool        `json:"valid"`
	Code     string      `json:"code"`
	Discount json.Number `json:"discount"`
	Reason   string      `json:"reason,omitempty"` // not_found, expired, used_up, min_order, not_yours, currency
	Message  string      `json:"message,omitempty"`
	Coupon   *couponJSON `json:"coupon,omitempty"`
}

// couponValidate tells a checkout whether a code can be used and what it
// takes off; a code that cannot is a 200 with valid false and the reason.
func (h *Handler) couponValidate(w http.ResponseWriter, r *http.Request) {
	var req couponValidateRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var errs invalid.List
	if strings.TrimSpace(req.Code) == "" {
		errs.Add("code", "required", "is required")
	}
	cur := strings.ToUpper(strings.TrimSpace(req.Currency))
	if cur == "" {
		cur = h.app.Settings.Shop.Currency
	}
	var total int64
	if req.Total != "" {
		v, err := money.Parse(req.Total.String(), money.Scale(cur))
		if err != nil || v < 0 {
			errs.Add("total", "invalid", "%q is not an amount like 1250.00", req.Total)
		} else if v > money.MaxAmount {
			errs.Add("total", "too_large", "must be at most %s", money.Format(money.MaxAmount, money.Scale(cur)))
		}
		total = v
	}
	customerID := h.customerRef(r.Context(), req.CustomerID, &errs)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := h.loyalty.ValidateCoupon(r.Context(), req.Code, customerID, total, cur)
	out := couponValidateResponse{Valid: err == nil, Code: loyalty.NormalizeCode(req.Code), Discount: h.amount(q.DiscountMinor)}
	if q.Coupon.ID != 0 {
		c := h.couponJSON(q.Coupon)
		out.Coupon, out.Code = &c, c.Code
	}
	var ce *loyalty.CouponError
	if errors.As(err, &ce) {
		out.Reason, out.Message = ce.Code, ce.Message
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// couponRedeemJSON answers POST /coupons/redeem.
type couponRedeemJSON struct {
	OrderID  int64       `json:"order_id"`
	Code     string      `json:"code"`
	Discount json.Number `json:"discount"`
	Replayed bool        `json:"replayed"`
	Uses     int64       `json:"uses"`
}

type couponRedeemRequest struct {
	Code    string `json:"code"`
	OrderID ref    `json:"order_id"`
}

// couponRedeem uses a coupon on an order, once: 201, or 200 for a replay;
// 409 when it is used up, 422 when it cannot apply.
func (h *Handler) couponRedeem(w http.ResponseWriter, r *http.Request) {
	var req couponRedeemRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var errs invalid.List
	if strings.TrimSpace(req.Code) == "" {
		errs.Add("code", "required", "is required")
	}
	orderID := h.orderRef(r.Context(), req.OrderID, true, &errs)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	use, err := h.loyalty.RedeemCoupon(r.Context(), req.Code, orderID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if use.Replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, couponRedeemJSON{OrderID: orderID, Code: use.Coupon.Display(),
		Discount: h.amount(use.DiscountMinor), Replayed: use.Replayed, Uses: use.Coupon.Uses})
}

// pageParams reads ?before=<id>&limit=<n> (default 50, at most 500).
func pageParams(r *http.Request) (before int64, limit int, err error) {
	var errs invalid.List
	limit = 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			errs.Add("limit", "invalid", "must be a number from 1 to 500")
		}
		limit = n
	}
	if v := r.URL.Query().Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			errs.Add("before", "invalid", "must be the id of a ledger entry")
		}
		before = n
	}
	return before, limit, errs.Err()
}
