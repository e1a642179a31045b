package api_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/storetest"
)

const cdekSettings = `
carriers:
  - code: cdek
    name: СДЭК
    transit_days: [2, 4]
    pickup_hold_days: 7
    pickup_reminders: [3, 6]
    tracking:
      api: cdek
      url: http://127.0.0.1:1/v2
      key: account
      secret: secure
      webhook_secret: 0123456789abcdef-push
`

func (e *env) ship(t *testing.T, id float64, tracking string) {
	t.Helper()
	code, b, _ := e.call(t, "POST", fmt.Sprintf("/api/v1/orders/%.0f/status", id),
		fmt.Sprintf(`{"status": "shipped", "tracking_number": %q}`, tracking), e.token)
	if code != 200 {
		t.Fatalf("ship: %d %v", code, b)
	}
	e.drain(t)
}

func TestParcelEventsAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine), cdekSettings)
			first := e.placeOrder(t, "P-1", "anna", "1500.00", `, "carrier": "cdek"`)
			second := e.placeOrder(t, "P-2", "ivan", "900.00", `, "carrier": "cdek"`)
			e.ship(t, first, "1106321645")
			e.ship(t, second, "1106321646")
			// The carrier's events below happened up to 25 November: they
			// arrive after, as a carrier's events do (one from the future
			// is refused).
			e.clock.Advance(3 * 24 * time.Hour)
			tests := []struct {
				name                string
				method, path, body  string
				token               string
				wantStatus          int
				wantCode, wantField string
				check               func(t *testing.T, b map[string]any)
			}{
				{name: "one event", method: "POST", path: "/api/v1/parcels/events",
					body:       `{"tracking_number": "1106321645", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00", "location": "Москва"}`,
					wantStatus: 200, check: func(t *testing.T, b map[string]any) {
						if b["stored"] != 1.0 || b["duplicates"] != 0.0 {
							t.Errorf("answer: %v", b)
						}
					}},
				{name: "the same event again", method: "POST", path: "/api/v1/parcels/events",
					body:       `{"tracking_number": "1106321645", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00"}`,
					wantStatus: 200, check: func(t *testing.T, b map[string]any) {
						if b["stored"] != 0.0 || b["duplicates"] != 1.0 {
							t.Errorf("answer: %v", b)
						}
					}},
				{name: "unknown tracking number", method: "POST", path: "/api/v1/parcels/events",
					body:       `{"tracking_number": "NOPE", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00"}`,
					wantStatus: 404, wantCode: "unknown_tracking_number", wantField: "tracking_number"},
				{name: "not a status", method: "POST", path: "/api/v1/parcels/events",
					body:       `{"tracking_number": "1106321645", "status": "teleported", "at": "2026-11-24T10:00:00+03:00"}`,
					wantStatus: 422, wantCode: "invalid", wantField: "status"},
				{name: "no time", method: "POST", path: "/api/v1/parcels/events",
					body: `{"tracking_number": "1106321645", "status": "customs"}`, wantStatus: 422, wantField: "at"},
				{name: "bad time", method: "POST", path: "/api/v1/parcels/events",
					body: `{"tracking_number": "1106321645", "status": "customs", "at": "yesterday"}`, wantStatus: 422, wantField: "at"},
				{name: "wrong type", method: "POST", path: "/api/v1/parcels/events",
					body: `{"tracking_number": 1106321645, "status": "customs", "at": "2026-11-24"}`, wantStatus: 422, wantField: "tracking_number"},
				{name: "a batch with a bad event is refused whole", method: "POST", path: "/api/v1/parcels/events",
					body: `{"events": [{"tracking_number": "1106321646", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00"},
						{"tracking_number": "1106321646", "status": "in_transit"}]}`, wantStatus: 422, wantField: "events[1].at"},
				{name: "a batch", method: "POST", path: "/api/v1/parcels/events",
					body: `{"events": [{"tracking_number": "1106321646", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00"},
						{"tracking_number": "1106321646", "status": "arrived_at_pickup", "at": "2026-11-25T12:00:00+03:00", "code": "ACCEPTED_AT_PICK_UP_POINT"},
						{"tracking_number": "GHOST", "status": "in_transit", "at": "2026-11-25T12:00:00+03:00"}]}`,
					wantStatus: 200, check: func(t *testing.T, b map[string]any) {
						res := b["results"].([]any)
						if b["stored"] != 2.0 || b["unknown"] != 1.0 || res[2].(map[string]any)["outcome"] != "unknown" {
							t.Errorf("answer: %v", b)
						}
					}},
				{name: "an empty batch", method: "POST", path: "/api/v1/parcels/events", body: `{"events": []}`,
					wantStatus: 422, wantField: "events"},
				{name: "the order arrived", method: "GET", path: fmt.Sprintf("/api/v1/orders/%.0f", second), wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						ps := b["parcels"].([]any)
						p := ps[0].(map[string]any)
						if b["status"] != "ready_for_pickup" || len(ps) != 1 || p["status"] != "arrived_at_pickup" || p["kept_until"] != "2026-12-01" || p["polled"] != true {
							t.Errorf("order: status %v, parcels %v", b["status"], ps)
						}
					}},
				{name: "a second parcel", method: "POST", path: fmt.Sprintf("/api/v1/orders/%.0f/parcels", first),
					body: `{"tracking_number": "1106321647"}`, wantStatus: 201, check: func(t *testing.T, b map[string]any) {
						if b["carrier"] != "cdek" || b["status"] != "" {
							t.Errorf("parcel: %v", b)
						}
					}},
				{name: "the second parcel again", method: "POST", path: fmt.Sprintf("/api/v1/orders/%.0f/parcels", first),
					body: `{"tracking_number": "1106321647"}`, wantStatus: 200},
				{name: "another order's parcel", method: "POST", path: fmt.Sprintf("/api/v1/orders/%.0f/parcels", first),
					body: `{"tracking_number": "1106321646"}`, wantStatus: 409, wantCode: "tracking_number_taken", wantField: "tracking_number"},
				{name: "a parcel of an order not shipped", method: "POST", path: "/api/v1/orders/P-3/parcels",
					body: `{"tracking_number": "X"}`, wantStatus: 404},
				{name: "a parcel with its events", method: "GET", path: "/api/v1/parcels/1106321646", wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						evs := b["events"].([]any)
						ev := evs[0].(map[string]any)
						if len(evs) != 2 || ev["code"] != "ACCEPTED_AT_PICK_UP_POINT" || ev["source"] != "api" || ev["raw"].(map[string]any)["code"] != "ACCEPTED_AT_PICK_UP_POINT" {
							t.Errorf("events: %v", evs)
						}
					}},
				{name: "events need a token", method: "POST", path: "/api/v1/parcels/events", token: "-",
					body: `{"tracking_number": "1106321645", "status": "in_transit", "at": "2026-11-24"}`, wantStatus: 401},
				{name: "a carrier push", method: "POST", path: "/api/v1/parcels/webhooks/cdek/0123456789abcdef-push", token: "-",
					body: webhookBody(t), wantStatus: 200, check: func(t *testing.T, b map[string]any) {
						if b["received"] != 1.0 || b["stored"] != 1.0 {
							t.Errorf("push: %v", b)
						}
					}},
				{name: "a push with the wrong secret", method: "POST", path: "/api/v1/parcels/webhooks/cdek/0123456789abcdef-pusx", token: "-",
					body: webhookBody(t), wantStatus: 404},
				{name: "a push that is not the carrier's", method: "POST", path: "/api/v1/parcels/webhooks/cdek/0123456789abcdef-push", token: "-",
					body: `{"hello": "world"}`, wantStatus: 400, wantCode: "malformed_push"},
				{name: "the pushed parcel arrived", method: "GET", path: fmt.Sprintf("/api/v1/orders/%.0f", first), wantStatus: 200,
					check: func(t *testing.T, b map[string]any) {
						if b["status"] != "ready_for_pickup" {
							t.Errorf("order after the push: %v", b["status"])
						}
					}},
			}
			for _, tc := range tests {
				token := e.token
				if tc.token == "-" {
					token = ""
				}
				status, b, _ := e.call(t, tc.method, tc.path, tc.body, token)
				if status != tc.wantStatus {
					t.Errorf("%s: status %d, want %d (%v)", tc.name, status, tc.wantStatus, b)
					continue
				}
				if tc.wantCode != "" || tc.wantField != "" {
					er, _ := b["error"].(map[string]any)
					if tc.wantCode != "" && er["code"] != tc.wantCode || tc.wantField != "" && er["field"] != tc.wantField {
						t.Errorf("%s: error %v, want code %q field %q", tc.name, er, tc.wantCode, tc.wantField)
					}
				}
				if tc.check != nil {
					tc.check(t, b)
				}
				e.drain(t)
			}
		})
	}
}

// webhookBody is CDEK's documented ORDER_STATUS push for the first order's parcel.
func webhookBody(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../carrier/cdek/testdata/webhook_order_status.json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "2024-03-05", "2026-11-26")
}
