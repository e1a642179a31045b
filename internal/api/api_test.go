package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/storetest"
)

type env struct {
	srv   *httptest.Server
	token string
	app   *app.App
	clock *clock.Fake
	// handler serves requests without a server (the fuzzers).
	handler http.Handler
}

func newEnv(t *testing.T, engine string, yaml ...string) *env {
	t.Helper()
	ctx := context.Background()
	a, clk := apptest.New(t, storeEngine(engine), false, yaml...)
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	token, err := auth.TokenAdd(ctx, a.DB, "test", nil, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(a))
	t.Cleanup(srv.Close)
	return &env{srv: srv, token: token, app: a, clock: clk}
}

// call sends a request and decodes the JSON answer.
func (e *env) call(t *testing.T, method, path, body string, token string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, out, resp.Header
}

const order1 = `{
  "external_id": "1001",
  "created_at": "2026-11-23T15:20:00+03:00",
  "customer": {"external_id": "c-7", "name": "Андрей", "email": "andrei@example.com", "phone": "8 916 123-45-67", "language": "ru"},
  "items": [{"sku": "POT-1", "name": "Кастрюля", "qty": 1, "price": 2490.50}, {"sku": "PAN", "name": "Сковородка", "qty": 2, "price": "1000"}],
  "carrier": "courier",
  "payment": {"method": "cod", "paid": false},
  "promised_to": "2026-11-26"
}`

func TestAPIScenarios(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			tests := []struct {
				name       string
				method     string
				path       string
				body       string
				noToken    bool
				wantStatus int
				wantCode   string // error code, when an error is expected
				wantField  string
				check      func(t *testing.T, body map[string]any, h http.Header)
			}{
				{name: "health without token", method: "GET", path: "/healthz", noToken: true, wantStatus: 200},
				{name: "no token", method: "POST", path: "/api/v1/orders", body: order1, noToken: true, wantStatus: 401, wantCode: "unauthorized"},
				{name: "create", method: "POST", path: "/api/v1/orders", body: order1, wantStatus: 201,
					check: func(t *testing.T, b map[string]any, h http.Header) {
						if b["total"] != 4490.5 || b["status"] != "new" || h.Get("Idempotent-Replayed") != "" {
							t.Errorf("created order: %v", b)
						}
						c := b["customer"].(map[string]any)
						if c["phone"] != "+79161234567" || c["timezone"] != "Europe/Moscow" {
							t.Errorf("customer: %v", c)
						}
						p := b["promise"].(map[string]any)
						if p["delivery_to"] != "2026-11-26" || b["promise_state"] != "on_track" {
							t.Errorf("promise: %v, state %v", p, b["promise_state"])
						}
					}},
				{name: "retry is the same order", method: "POST", path: "/api/v1/orders", body: order1, wantStatus: 201,
					check: func(t *testing.T, b map[string]any, h http.Header) {
						if h.Get("Idempotent-Replayed") != "true" || b["external_id"] != "1001" {
							t.Errorf("replay: %v %v", h, b)
						}
					}},
				{name: "same id other content", method: "POST", path: "/api/v1/orders", body: strings.Replace(order1, `"qty": 1`, `"qty": 3`, 1),
					wantStatus: 409, wantCode: "idempotency_conflict", wantField: "external_id"},
				{name: "get by external id", method: "GET", path: "/api/v1/orders/1001", wantStatus: 200},
				{name: "get missing", method: "GET", path: "/api/v1/orders/nope", wantStatus: 404, wantCode: "not_found"},
				{name: "status forward", method: "POST", path: "/api/v1/orders/1001/status", body: `{"status":"shipped","carrier":"courier","tracking_number":"RA123"}`, wantStatus: 200,
					check: func(t *testing.T, b map[string]any, _ http.Header) {
						if b["status"] != "shipped" || b["tracking_number"] != "RA123" || len(b["status_history"].([]any)) != 2 {
							t.Errorf("after shipping: %v", b)
						}
					}},
				{name: "status twice is harmless", method: "POST", path: "/api/v1/orders/1001/status", body: `{"status":"shipped"}`, wantStatus: 200},
				{name: "delivered", method: "POST", path: "/api/v1/orders/1001/status", body: `{"status":"delivered","at":"2026-11-23T18:00:00+03:00"}`, wantStatus: 200,
					check: func(t *testing.T, b map[string]any, _ http.Header) {
						if b["promise_state"] != "kept" {
							t.Errorf("promise state after delivery: %v", b["promise_state"])
						}
					}},
				{name: "delivered back to new", method: "POST", path: "/api/v1/orders/1001/status", body: `{"status":"new"}`, wantStatus: 409, wantCode: "invalid_transition", wantField: "status"},
				{name: "unknown status", method: "POST", path: "/api/v1/orders/1001/status", body: `{"status":"lost"}`, wantStatus: 422, wantField: "status"},
				{name: "malformed json", method: "POST", path: "/api/v1/orders", body: `{"external_id": "x",`, wantStatus: 422, wantCode: "malformed_json"},
				{name: "wrong type", method: "POST", path: "/api/v1/orders", body: `{"external_id": "x", "customer": {"email": 5}, "total": 1}`, wantStatus: 422, wantCode: "wrong_type", wantField: "customer.email"},
				{name: "negative total", method: "POST", path: "/api/v1/orders", body: `{"external_id": "x", "customer": {"external_id": "c"}, "total": -5}`, wantStatus: 422, wantField: "total"},
				{name: "bad phone", method: "POST", path: "/api/v1/orders", body: `{"external_id": "x", "customer": {"phone": "12"}, "total": 5}`, wantStatus: 422, wantField: "customer.phone"},
				{name: "missing external id", method: "POST", path: "/api/v1/orders", body: `{"customer": {"email": "a@b.lv"}, "total": 5}`, wantStatus: 422, wantField: "external_id"},
				{name: "unknown carrier", method: "POST", path: "/api/v1/orders", body: `{"external_id": "y", "customer": {"email": "a@b.lv"}, "total": 5, "carrier": "zeppelin"}`, wantStatus: 422, wantField: "carrier"},
				{name: "too many decimals", method: "POST", path: "/api/v1/orders", body: `{"external_id": "y", "customer": {"email": "a@b.lv"}, "total": 5.123}`, wantStatus: 422, wantField: "total"},
				{name: "huge body", method: "POST", path: "/api/v1/orders", body: `{"external_id": "` + strings.Repeat("x", 10<<20) + `"}`, wantStatus: 413, wantCode: "body_too_large"},
				{name: "history order", method: "POST", path: "/api/v1/orders", body: `{"external_id": "old-1", "history": true, "created_at": "2021-03-01", "status": "delivered", "delivered_at": "2021-03-04", "customer": {"external_id": "c-7"}, "total": "99.90"}`, wantStatus: 201,
					check: func(t *testing.T, b map[string]any, _ http.Header) {
						if b["history"] != true || b["status"] != "delivered" {
							t.Errorf("history order: %v", b)
						}
					}},
				{name: "metrics", method: "GET", path: "/api/v1/metrics", wantStatus: 200,
					check: func(t *testing.T, b map[string]any, _ http.Header) {
						if b["orders"] != 2.0 || b["customers"] != 1.0 || b["repeat_customer_rate"] != 1.0 || b["revenue"] != 4590.4 {
							t.Errorf("metrics: %v", b)
						}
						// The inbox's figures, undefined with no conversation yet.
						sup, ok := b["support"].(map[string]any)
						if _, has := sup["first_response_median"]; !ok || !has || sup["within_target_share"] != nil || sup["conversations"] != 0.0 {
							t.Errorf("metrics support: %v", b["support"])
						}
					}},
				{name: "unknown endpoint", method: "GET", path: "/api/v1/nothing", wantStatus: 404},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					token := e.token
					if tt.noToken {
						token = ""
					}
					status, body, header := e.call(t, tt.method, tt.path, tt.body, token)
					if status != tt.wantStatus {
						t.Fatalf("status = %d, want %d; body %v", status, tt.wantStatus, body)
					}
					if tt.wantCode != "" || tt.wantField != "" {
						errBody, _ := body["error"].(map[string]any)
						if errBody == nil || tt.wantCode != "" && errBody["code"] != tt.wantCode || errBody["field"] != nilIfEmpty(tt.wantField) || errBody["message"] == "" {
							t.Fatalf("error = %v; want code %q field %q", body, tt.wantCode, tt.wantField)
						}
					}
					if tt.check != nil {
						tt.check(t, body, header)
					}
				})
			}
		})
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
