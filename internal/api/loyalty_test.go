package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// placeOrder creates an order through the API and returns its id.
func (e *env) placeOrder(t *testing.T, ext, customerExt, total, extra string) float64 {
	t.Helper()
	body := fmt.Sprintf(`{"external_id": %q, "customer": {"external_id": %q, "name": "Līga", "email": "%s@example.lv", "language": "lv"},
		"total": %q, "carrier": "courier"%s}`, ext, customerExt, customerExt, total, extra)
	status, b, _ := e.call(t, "POST", "/api/v1/orders", body, e.token)
	if status != 201 {
		t.Fatalf("create order %s: %d %v", ext, status, b)
	}
	e.drain(t)
	return b["id"].(float64)
}

func (e *env) drain(t *testing.T) {
	t.Helper()
	if _, err := e.app.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (e *env) status(t *testing.T, id float64, status string) {
	t.Helper()
	code, b, _ := e.call(t, "POST", fmt.Sprintf("/api/v1/orders/%.0f/status", id), fmt.Sprintf(`{"status": %q}`, status), e.token)
	if code != 200 {
		t.Fatalf("status %s: %d %v", status, code, b)
	}
	e.drain(t)
}

func TestLoyaltyAPIScenarios(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			first := e.placeOrder(t, "L-1", "liga", "2000.00", `, "customer": {"external_id": "liga", "name": "Līga", "email": "liga@example.lv", "language": "lv", "birthday": "1991-03-08"}`)
			e.status(t, first, "delivered") // 100 + 100 first order
			open := e.placeOrder(t, "L-2", "liga", "1000.00", "")
			other := e.placeOrder(t, "L-3", "janis", "1000.00", "")
			tests := []struct {
				name                string
				method, path, body  string
				wantStatus          int
				wantCode, wantField string
				check               func(t *testing.T, b map[string]any)
			}{
				{name: "customer by external id", method: "GET", path: "/api/v1/customers/liga", wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						l := b["loyalty"].(map[string]any)
						if l["balance"] != 200.0 || l["value"] != 200.0 || l["tier"] != "" || b["orders_count"] != 2.0 || b["ltv"] != 3000.0 {
							t.Errorf("customer: %v", b)
						}
						next := l["next_tier"].(map[string]any)
						if next["tier"] != "silver" || next["orders_to_go"] != 4.0 {
							t.Errorf("next tier: %v", next)
						}
						if exp := l["expiring"].(map[string]any); exp["points"] != 200.0 {
							t.Errorf("expiring: %v", exp)
						}
						if code := l["referral_code"].(string); len(code) != 8 || !strings.HasSuffix(l["referral_url"].(string), "/r/"+code) {
							t.Errorf("referral: %v", l)
						}
						if len(b["orders"].([]any)) != 2 {
							t.Errorf("orders: %v", b["orders"])
						}
					}},
				{name: "unknown customer", method: "GET", path: "/api/v1/customers/nobody", wantStatus: 404, wantCode: "not_found"},
				{name: "redeem", method: "POST", path: "/api/v1/loyalty/redeem",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 150}`, open), wantStatus: 201,
					check: func(t *testing.T, b map[string]any) {
						if b["balance"] != 50.0 || b["value"] != 150.0 || b["replayed"] != false {
							t.Errorf("redeem: %v", b)
						}
					}},
				{name: "redeem retried", method: "POST", path: "/api/v1/loyalty/redeem",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 150}`, open), wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						if b["balance"] != 50.0 || b["replayed"] != true {
							t.Errorf("replay: %v", b)
						}
					}},
				{name: "redeem another amount on the same order", method: "POST", path: "/api/v1/loyalty/redeem",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 10}`, open), wantStatus: 409, wantCode: "already_redeemed", wantField: "order_id"},
				{name: "redeem more than the balance", method: "POST", path: "/api/v1/loyalty/redeem",
					body: `{"customer_id": "liga", "order_id": "L-4", "points": 60}`, wantStatus: 422, wantCode: "not_found", wantField: "order_id"},
				{name: "redeem on another's order", method: "POST", path: "/api/v1/loyalty/redeem",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 10}`, other), wantStatus: 422, wantCode: "not_yours", wantField: "order_id"},
				{name: "redeem nothing", method: "POST", path: "/api/v1/loyalty/redeem",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 0}`, open), wantStatus: 422, wantField: "points"},
				{name: "redeem without customer", method: "POST", path: "/api/v1/loyalty/redeem",
					body: `{"points": 5}`, wantStatus: 422, wantCode: "required", wantField: "customer_id"},
				{name: "redeem bad json", method: "POST", path: "/api/v1/loyalty/redeem", body: `{"points": "many"}`, wantStatus: 422, wantField: "points"},
				{name: "grant compensation with a coupon", method: "POST", path: "/api/v1/loyalty/grants",
					body:       fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 300, "reason": "Late delivery", "coupon": {"percent": 10, "valid_days": 30}}`, first),
					wantStatus: 201, check: func(t *testing.T, b map[string]any) {
						c := b["coupon"].(map[string]any)
						if b["granted"] != true || b["balance"] != 350.0 || c["percent"] != 10.0 || len(c["code"].(string)) != 14 {
							t.Errorf("grant: %v", b)
						}
					}},
				{name: "grant again for the same order and reason", method: "POST", path: "/api/v1/loyalty/grants",
					body:       fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f, "points": 300, "reason": "late delivery", "coupon": {"percent": 10, "valid_days": 30}}`, first),
					wantStatus: 200, check: func(t *testing.T, b map[string]any) {
						if b["granted"] != false || b["balance"] != 350.0 {
							t.Errorf("second grant: %v", b)
						}
					}},
				{name: "grant without a reason", method: "POST", path: "/api/v1/loyalty/grants",
					body: `{"customer_id": "liga", "points": 10}`, wantStatus: 422, wantCode: "required", wantField: "reason"},
				{name: "correction below zero", method: "POST", path: "/api/v1/loyalty/grants",
					body: `{"customer_id": "liga", "points": -1000, "reason": "mistake", "kind": "adjustment"}`, wantStatus: 409, wantCode: "insufficient_points"},
				{name: "grant a bad coupon", method: "POST", path: "/api/v1/loyalty/grants",
					body: `{"customer_id": "liga", "reason": "x", "coupon": {"percent": 150}}`, wantStatus: 422, wantField: "coupon.percent"},
				{name: "grant with a control character", method: "POST", path: "/api/v1/loyalty/grants",
					body: `{"customer_id": "liga", "points": 1, "reason": "a\u0000b"}`, wantStatus: 422, wantCode: "control_character", wantField: "reason"},
				{name: "validate a code with NUL", method: "POST", path: "/api/v1/coupons/validate",
					body: `{"code": "AB\u0000CD", "total": "1"}`, wantStatus: 422, wantCode: "control_character", wantField: "code"},
				{name: "review bonus", method: "POST", path: "/api/v1/loyalty/reviews",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f}`, first), wantStatus: 201,
					check: func(t *testing.T, b map[string]any) {
						if b["balance"] != 400.0 {
							t.Errorf("review: %v", b)
						}
					}},
				{name: "review bonus twice", method: "POST", path: "/api/v1/loyalty/reviews",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f}`, first), wantStatus: 200},
				{name: "review of an undelivered order", method: "POST", path: "/api/v1/loyalty/reviews",
					body: fmt.Sprintf(`{"customer_id": "liga", "order_id": %.0f}`, open), wantStatus: 422, wantCode: "not_delivered"},
				{name: "coupon create", method: "POST", path: "/api/v1/coupons",
					body: `{"code": "spring-10", "percent": 10, "min_order": "500", "max_uses": 0}`, wantStatus: 201,
					check: func(t *testing.T, b map[string]any) {
						if b["code"] != "SPRING10" || b["max_uses"] != 0.0 || b["min_order"] != 500.0 {
							t.Errorf("coupon: %v", b)
						}
					}},
				{name: "coupon code taken", method: "POST", path: "/api/v1/coupons",
					body: `{"code": "SPRING10", "amount": 5}`, wantStatus: 422, wantCode: "taken", wantField: "code"},
				{name: "coupon both kinds", method: "POST", path: "/api/v1/coupons",
					body: `{"percent": 5, "amount": 5}`, wantStatus: 422, wantField: "percent"},
				{name: "validate", method: "POST", path: "/api/v1/coupons/validate",
					body: `{"code": "spring 10", "total": "1200.00"}`, wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						if b["valid"] != true || b["discount"] != 120.0 {
							t.Errorf("validate: %v", b)
						}
					}},
				{name: "validate under the minimum", method: "POST", path: "/api/v1/coupons/validate",
					body: `{"code": "SPRING10", "total": "100"}`, wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						if b["valid"] != false || b["reason"] != "min_order" {
							t.Errorf("validate: %v", b)
						}
					}},
				{name: "validate unknown", method: "POST", path: "/api/v1/coupons/validate",
					body: `{"code": "NOPE", "total": "100"}`, wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						if b["valid"] != false || b["reason"] != "not_found" {
							t.Errorf("validate: %v", b)
						}
					}},
				{name: "validate without code", method: "POST", path: "/api/v1/coupons/validate", body: `{"total": "1"}`, wantStatus: 422, wantField: "code"},
				{name: "coupon redeem", method: "POST", path: "/api/v1/coupons/redeem",
					body: fmt.Sprintf(`{"code": "SPRING10", "order_id": %.0f}`, open), wantStatus: 201,
					check: func(t *testing.T, b map[string]any) {
						if b["discount"] != 100.0 || b["replayed"] != false {
							t.Errorf("coupon redeem: %v", b)
						}
					}},
				{name: "coupon redeem retried", method: "POST", path: "/api/v1/coupons/redeem",
					body: fmt.Sprintf(`{"code": "SPRING10", "order_id": %.0f}`, open), wantStatus: 200},
				{name: "coupon redeem unknown", method: "POST", path: "/api/v1/coupons/redeem",
					body: fmt.Sprintf(`{"code": "NOPE", "order_id": %.0f}`, open), wantStatus: 404, wantCode: "not_found", wantField: "code"},
				{name: "ledger", method: "GET", path: "/api/v1/customers/liga/ledger?limit=2", wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						es := b["entries"].([]any)
						newest := es[0].(map[string]any)
						if len(es) != 2 || newest["kind"] != "bonus" || newest["balance"] != 400.0 || b["next"] == nil {
							t.Errorf("ledger: %v", b)
						}
					}},
				{name: "ledger bad limit", method: "GET", path: "/api/v1/customers/liga/ledger?limit=0", wantStatus: 422, wantField: "limit"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					status, b, _ := e.call(t, tt.method, tt.path, tt.body, e.token)
					if status != tt.wantStatus {
						t.Fatalf("status = %d, want %d: %v", status, tt.wantStatus, b)
					}
					if tt.wantCode != "" || tt.wantField != "" {
						er, _ := b["error"].(map[string]any)
						if tt.wantCode != "" && er["code"] != tt.wantCode || tt.wantField != "" && er["field"] != tt.wantField {
							t.Fatalf("error = %v, want code %q field %q", er, tt.wantCode, tt.wantField)
						}
					}
					if tt.check != nil {
						tt.check(t, b)
					}
				})
			}
		})
	}
}

// TestRedeemRaceThroughTheAPI sends concurrent redemptions of one
// customer's points on different orders: the balance covers two.
func TestRedeemRaceThroughTheAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			first := e.placeOrder(t, "R-0", "racer", "2000.00", "")
			e.status(t, first, "delivered") // 200 points
			var orders []float64
			for i := range 6 {
				orders = append(orders, e.placeOrder(t, fmt.Sprintf("R-%d", i+1), "racer", "1000.00", ""))
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			got := map[int]int{}
			for _, id := range orders {
				wg.Add(1)
				go func() {
					defer wg.Done()
					status, _, _ := e.call(t, "POST", "/api/v1/loyalty/redeem",
						fmt.Sprintf(`{"customer_id": "racer", "order_id": %.0f, "points": 80}`, id), e.token)
					mu.Lock()
					got[status]++
					mu.Unlock()
				}()
			}
			wg.Wait()
			if got[http.StatusCreated] != 2 || got[http.StatusConflict] != 4 {
				t.Fatalf("answers = %v, want 2 × 201 and 4 × 409", got)
			}
			_, b, _ := e.call(t, "GET", "/api/v1/customers/racer", "", e.token)
			if l := b["loyalty"].(map[string]any); l["balance"] != 40.0 {
				t.Fatalf("balance = %v, want 40", l["balance"])
			}
		})
	}
}
