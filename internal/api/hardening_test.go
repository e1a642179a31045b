package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// counts are the rows a refused request must not have added to.
type counts struct{ orders, customers, shopDays, jobs, spend, events, parcels, ledger, coupons int64 }

func (e *env) counts(t *testing.T) counts {
	t.Helper()
	var c counts
	for _, q := range []struct {
		sql string
		n   *int64
	}{
		{`SELECT COUNT(*) FROM orders`, &c.orders}, {`SELECT COUNT(*) FROM customers`, &c.customers},
		{`SELECT COUNT(*) FROM shop_days`, &c.shopDays}, {`SELECT COUNT(*) FROM river_job`, &c.jobs},
		{`SELECT COUNT(*) FROM marketing_spend`, &c.spend}, {`SELECT COUNT(*) FROM parcel_events`, &c.events},
		{`SELECT COUNT(*) FROM parcels`, &c.parcels}, {`SELECT COUNT(*) FROM loyalty_transactions`, &c.ledger},
		{`SELECT COUNT(*) FROM coupons`, &c.coupons},
	} {
		if err := e.app.DB.Read().QueryRow(context.Background(), q.sql).Scan(q.n); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	return c
}

// refusal is a request that must be answered 422 naming a field, and
// leave nothing behind.
type refusal struct {
	name, method, path, body string
	field, code              string
}

func (e *env) expectRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	before := e.counts(t)
	for _, tc := range cases {
		status, b, _ := e.call(t, tc.method, tc.path, tc.body, e.token)
		er, _ := b["error"].(map[string]any)
		if status != http.StatusUnprocessableEntity || er == nil || er["field"] != nilIfEmpty(tc.field) || tc.code != "" && er["code"] != tc.code {
			t.Errorf("%s: %d %v; want 422 on %s (%s)", tc.name, status, b, tc.field, tc.code)
		}
	}
	if after := e.counts(t); after != before {
		t.Errorf("refused requests left rows behind: before %+v, after %+v", before, after)
	}
}

// TestShopDayOutOfRangeLeavesNothing: a span of shop days the calendars
// cannot hold is refused before anything is written, and serve keeps
// starting (TestStoredShopDayOutOfRangeSkipped in internal/promise).
func TestShopDayOutOfRangeLeavesNothing(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			e.expectRefusals(t, []refusal{
				{"after the calendars", "POST", "/api/v1/shop/days", `{"from":"2100-01-01","to":"2100-01-02"}`, "from", "out_of_range"},
				{"ending after them", "POST", "/api/v1/shop/days", `{"from":"2099-12-30","to":"2100-01-02"}`, "to", "out_of_range"},
				{"before them", "POST", "/api/v1/shop/days", `{"from":"1999-12-31"}`, "from", "out_of_range"},
				{"367 days", "POST", "/api/v1/shop/days", `{"from":"2027-01-01","to":"2028-01-02"}`, "to", "invalid"},
				{"reason with NUL", "POST", "/api/v1/shop/days", `{"from":"2027-01-01","reason":"a\u0000b"}`, "reason", "control_character"},
				{"reason too long", "POST", "/api/v1/shop/days", `{"from":"2027-01-01","reason":"` + strings.Repeat("я", 501) + `"}`, "reason", "too_long"},
			})
			if status, b, _ := e.call(t, "POST", "/api/v1/shop/days", `{"from":"2099-12-30","to":"2099-12-31","reason":"the last days"}`, e.token); status != 201 {
				t.Errorf("the calendars' last days: %d %v", status, b)
			}
		})
	}
}

// TestOrderFarFutureRefused: every date that comes in lies in the years
// the calendars cover, and what has happened is not in the future (the
// order of 9999-12-31 was taken with an empty 201 and broke pages).
func TestOrderFarFutureRefused(t *testing.T) {
	t.Parallel()
	order := func(extra string) string {
		return `{"external_id": "F-1", "customer": {"external_id": "c-1", "email": "f@example.lv"}, "total": "10"` + extra + `}`
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			id := e.placeOrder(t, "S-1", "c-2", "10.00", "")
			e.expectRefusals(t, []refusal{
				{"year 9999", "POST", "/api/v1/orders", order(`, "created_at": "9999-12-31T23:59:59Z"`), "created_at", "out_of_range"},
				{"year 1999", "POST", "/api/v1/orders", order(`, "created_at": "1999-12-31T12:00:00Z"`), "created_at", "out_of_range"},
				{"placed in two days", "POST", "/api/v1/orders", order(`, "created_at": "2026-11-25T13:00:00Z"`), "created_at", "in_future"},
				{"delivered next year", "POST", "/api/v1/orders", order(`, "history": true, "created_at": "2026-01-01", "delivered_at": "2027-01-01"`), "delivered_at", "in_future"},
				{"delivered before placed", "POST", "/api/v1/orders", order(`, "history": true, "created_at": "2026-01-10", "delivered_at": "2026-01-01"`), "delivered_at", "invalid"},
				{"promised in 2100", "POST", "/api/v1/orders", order(`, "promised_to": "2100-01-01"`), "promised_to", "out_of_range"},
				{"birthday ahead", "POST", "/api/v1/orders", strings.Replace(order(""), `"email"`, `"birthday": "2030-05-17", "email"`, 1), "customer.birthday", "in_future"},
				{"status at year 9999", "POST", fmt.Sprintf("/api/v1/orders/%.0f/status", id), `{"status": "processing", "at": "9999-12-31T23:59:59Z"}`, "at", "out_of_range"},
				{"status at tomorrow evening", "POST", fmt.Sprintf("/api/v1/orders/%.0f/status", id), `{"status": "processing", "at": "2026-11-24T23:00:00+03:00"}`, "at", "in_future"},
				{"spend in 2100", "POST", "/api/v1/spend", `{"month": "2100-01", "channel": "ads", "amount": "1"}`, "month", "out_of_range"},
				{"quote at 2150", "GET", "/api/v1/promise/quote?at=2150-01-01T10:00:00Z", "", "at", "out_of_range"},
			})
			// A time within the clock skew is fine: clocks differ.
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", order(`, "created_at": "2026-11-23T20:00:00Z"`), e.token); status != 201 {
				t.Errorf("an order a few hours ahead of the clock: %d %v", status, b)
			}
			if status, b, _ := e.call(t, "GET", "/api/v1/orders/F-1", "", e.token); status != 200 || b["external_id"] != "F-1" {
				t.Errorf("get: %d %v", status, b)
			}
		})
	}
}

// TestCarrierEventFromTheFutureRefused: a carrier's event is refused
// naming events[i].at when it lies outside the calendars' years or ahead
// of the clock.
func TestCarrierEventFromTheFutureRefused(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine), cdekSettings)
			id := e.placeOrder(t, "P-1", "anna", "1500.00", `, "carrier": "cdek"`)
			e.ship(t, id, "1106321645")
			ok := `{"tracking_number": "1106321645", "status": "in_transit", "at": "2026-11-23T13:00:00Z"}`
			e.expectRefusals(t, []refusal{
				{"year 9999", "POST", "/api/v1/parcels/events", `{"events": [` + ok + `, {"tracking_number": "1106321645", "status": "delivered", "at": "9999-12-31T23:59:59Z"}]}`, "events[1].at", ""},
				{"next week", "POST", "/api/v1/parcels/events", `{"tracking_number": "1106321645", "status": "delivered", "at": "2026-11-30T10:00:00Z"}`, "at", ""},
				{"NUL in the description", "POST", "/api/v1/parcels/events", `{"events": [{"tracking_number": "1106321645", "status": "in_transit", "at": "2026-11-23T13:00:00Z", "description": "a\u0000"}]}`, "events[0].description", "control_character"},
				{"tracking number too long", "POST", fmt.Sprintf("/api/v1/orders/%.0f/parcels", id), `{"tracking_number": "` + strings.Repeat("7", 65) + `"}`, "tracking_number", "too_long"},
			})
			if status, b, _ := e.call(t, "POST", "/api/v1/parcels/events", `{"tracking_number": "1106321645", "status": "in_transit", "at": "2026-11-23T13:00:00Z", "description": "Line one\nline two"}`, e.token); status != 200 || b["stored"] != 1.0 {
				t.Errorf("a good event: %d %v", status, b)
			}
		})
	}
}

// TestOrderMoneyOverflowRefused: quantities and amounts a real shop never
// has are refused naming the field, never wrapped into a small total.
func TestOrderMoneyOverflowRefused(t *testing.T) {
	t.Parallel()
	item := func(qty, price string) string {
		return `{"external_id": "M-1", "customer": {"external_id": "c-1"}, "items": [{"sku": "A", "qty": ` + qty + `, "price": ` + price + `}]}`
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			e.expectRefusals(t, []refusal{
				{"qty 4611686018427387905 × 0.04", "POST", "/api/v1/orders", item("4611686018427387905", "0.04"), "items[0].qty", "too_large"},
				{"19 × 9999999999999999.99", "POST", "/api/v1/orders", item("19", `"9999999999999999.99"`), "items[0].price", "too_large"},
				{"qty over the cap", "POST", "/api/v1/orders", item("100001", "1"), "items[0].qty", "too_large"},
				{"items summing over the cap", "POST", "/api/v1/orders", item("100000", "10000001"), "total", "too_large"},
				{"total over the cap", "POST", "/api/v1/orders", `{"external_id": "M-2", "customer": {"external_id": "c-1"}, "total": "10000000001"}`, "total", "too_large"},
				{"spend over the cap", "POST", "/api/v1/spend", `{"month": "2026-10", "channel": "ads", "amount": "10000000001"}`, "amount", "too_large"},
				{"coupon over the cap", "POST", "/api/v1/coupons", `{"amount": 1e300}`, "amount", "invalid"},
			})
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", item("100000", "100"), e.token); status != 201 || b["total"] != 1e7 {
				t.Errorf("the largest quantity: %d %v", status, b)
			}
		})
	}
}

// TestNULRefused: a NUL byte or another control character in any text
// field of any inbound path is refused naming the field (PostgreSQL
// answered 500, SQLite stored them), as is text past its limit and text
// that is not UTF-8.
func TestNULRefused(t *testing.T) {
	t.Parallel()
	order := `{"external_id": "N-1", "customer": {"external_id": "c-1", "name": "Anna"}, "items": [{"sku": "A", "name": "Mug", "qty": 1, "price": 1}], "address": "Rīga"}`
	swap := func(old, new string) string { return strings.Replace(order, old, new, 1) }
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			id := e.placeOrder(t, "S-1", "c-2", "10.00", "")
			e.expectRefusals(t, []refusal{
				{"NUL in the name", "POST", "/api/v1/orders", swap(`"Anna"`, `"An\u0000na"`), "customer.name", "control_character"},
				{"bell in an sku", "POST", "/api/v1/orders", swap(`"sku": "A"`, `"sku": "A\u0007"`), "items[0].sku", "control_character"},
				{"line break in an external id", "POST", "/api/v1/orders", swap(`"N-1"`, `"N-1\n"`), "external_id", "control_character"},
				{"C1 control in the city", "POST", "/api/v1/orders", swap(`"name": "Anna"`, `"name": "Anna", "city": "R\u0085iga"`), "customer.city", "control_character"},
				{"500k-character name", "POST", "/api/v1/orders", swap(`"Anna"`, `"`+strings.Repeat("a", 500_000)+`"`), "customer.name", "too_long"},
				{"address too long", "POST", "/api/v1/orders", swap(`"Rīga"`, `"`+strings.Repeat("ā", 501)+`"`), "address", "too_long"},
				{"e-mail too long", "POST", "/api/v1/orders", swap(`"name": "Anna"`, `"email": "`+strings.Repeat("a", 250)+`@x.lv"`), "customer.email", "too_long"},
				{"phone too long", "POST", "/api/v1/orders", swap(`"name": "Anna"`, `"phone": "`+strings.Repeat("1", 33)+`"`), "customer.phone", "too_long"},
				{"sku too long", "POST", "/api/v1/orders", swap(`"sku": "A"`, `"sku": "`+strings.Repeat("A", 101)+`"`), "items[0].sku", "too_long"},
				{"not UTF-8", "POST", "/api/v1/orders", swap(`"Anna"`, "\"An\xffna\""), "", "invalid_utf8"},
				{"NUL in a tracking number", "POST", fmt.Sprintf("/api/v1/orders/%.0f/status", id), `{"status": "shipped", "tracking_number": "RA\u0000"}`, "tracking_number", "control_character"},
				{"NUL in a spend channel", "POST", "/api/v1/spend", `{"month": "2026-10", "channel": "a\u0000", "amount": "1"}`, "channel", "control_character"},
				{"NUL in a grant's reason", "POST", "/api/v1/loyalty/grants", `{"customer_id": "c-2", "points": 1, "reason": "a\u0000b"}`, "reason", "control_character"},
				{"NUL in a coupon code", "POST", "/api/v1/coupons", `{"code": "A\u0000B", "amount": 5}`, "code", "control_character"},
				{"NUL in a coupon to redeem", "POST", "/api/v1/coupons/redeem", `{"code": "A\u0000B", "order_id": "S-1"}`, "code", "control_character"},
				{"NUL in a quote's carrier", "GET", "/api/v1/promise/quote?carrier=a%00b", "", "carrier", "control_character"},
			})
			// Multi-line text where it makes sense: an address.
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", swap(`"Rīga"`, `"Brīvības iela 1\nRīga"`), e.token); status != 201 {
				t.Errorf("a two-line address: %d %v", status, b)
			}
		})
	}
}

// TestNotJSONIs415: a body that is not JSON is 415, not 422; README's
// curl -d (form-urlencoded by curl) with a JSON body keeps working.
func TestNotJSONIs415(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	body := `{"external_id": "J-1", "customer": {"external_id": "c-1"}, "total": "1"}`
	cases := []struct {
		name, contentType, body string
		want                    int
	}{
		{"text/plain", "text/plain", body, 415},
		{"XML", "application/xml", "<order/>", 415},
		{"form fields", "application/x-www-form-urlencoded", "external_id=J-1&total=1", 415},
		{"no type, not JSON", "", "external_id=J-1", 415},
		{"JSON declared, not JSON at all", "application/json", "hello", 415},
		{"JSON declared, broken JSON", "application/json", `{"external_id": `, 422},
		{"curl -d", "application/x-www-form-urlencoded", body, 201},
		{"JSON with charset", "application/json; charset=utf-8", strings.Replace(body, "J-1", "J-2", 1), 201},
	}
	for _, tc := range cases {
		req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/orders", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.token)
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || len(raw) == 0 {
			t.Errorf("%s: %d %s, want %d", tc.name, resp.StatusCode, raw, tc.want)
		}
	}
}

// TestQuoteUnknownLanguageRefused: ?lang=de is refused naming lang, not
// answered in Russian.
func TestQuoteUnknownLanguageRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	status, b, _ := e.call(t, "GET", "/api/v1/promise/quote?lang=de", "", "")
	if er, _ := b["error"].(map[string]any); status != 422 || er["field"] != "lang" || !strings.Contains(er["message"].(string), "ru, lv or en") {
		t.Errorf("lang=de: %d %v", status, b)
	}
	if status, b, _ := e.call(t, "GET", "/api/v1/promise/quote?lang=lv-LV", "", ""); status != 200 || b["promise"].(map[string]any)["language"] != "lv" {
		t.Errorf("lang=lv-LV: %d %v", status, b)
	}
}

// TestNULInPathNotFound: an id with a NUL byte in the path is a 404, not
// PostgreSQL's 500 (SQLSTATE 22021).
func TestNULInPathNotFound(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			for _, path := range []string{"/api/v1/orders/a%00b", "/api/v1/parcels/RA%00", "/api/v1/customers/c%00/ledger", "/api/v1/orders/%FF"} {
				if status, b, _ := e.call(t, "GET", path, "", e.token); status != 404 || b["error"] == nil {
					t.Errorf("GET %s: %d %v, want 404", path, status, b)
				}
			}
			if status, b, _ := e.call(t, "POST", "/api/v1/orders/a%00b/status", `{"status": "shipped"}`, e.token); status != 404 {
				t.Errorf("POST status of a%%00b: %d %v, want 404", status, b)
			}
			if status, b, _ := e.call(t, "GET", "/api/v1/webhooks/deliveries?status=a%00", "", e.token); status != 422 || b["error"].(map[string]any)["field"] != "status" {
				t.Errorf("a NUL in a query parameter: %d %v, want 422 on status", status, b)
			}
		})
	}
}
