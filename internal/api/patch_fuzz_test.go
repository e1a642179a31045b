package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
)

// fuzzEnv is a real app on a SQLite file with one order (1001) of one
// customer (c-7), for the PATCH fuzzers.
func fuzzEnv(f *testing.F) *env {
	f.Helper()
	ctx := context.Background()
	a, clk := apptest.New(f, store.SQLite, false)
	if err := a.Start(ctx); err != nil {
		f.Fatal(err)
	}
	token, err := auth.TokenAdd(ctx, a.DB, "fuzz", nil, clk.Now())
	if err != nil {
		f.Fatal(err)
	}
	e := &env{token: token, app: a, clock: clk, handler: api.New(a)}
	if status, b := e.serve("POST", "/api/v1/orders", order1); status != http.StatusCreated {
		f.Fatalf("create: %d %s", status, b)
	}
	return e
}

// serve sends a request straight to the handler, without a network.
func (e *env) serve(method, path, body string) (int, []byte) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/merge-patch+json")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// checkPatchAnswer fails on an answer a PATCH must never give: a 5xx, a
// status outside the API's, an error without the one error shape, or a
// 422 without a code.
func checkPatchAnswer(t *testing.T, body string, status int, answer []byte) {
	t.Helper()
	switch status {
	case http.StatusOK, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
	default:
		t.Fatalf("body %q: status %d: %s", body, status, answer)
	}
	var out struct {
		Error *struct{ Code, Message, Field string } `json:"error"`
	}
	if err := json.Unmarshal(answer, &out); err != nil {
		t.Fatalf("body %q: the answer is not JSON: %s", body, answer)
	}
	if status != http.StatusOK && (out.Error == nil || out.Error.Code == "" || out.Error.Message == "") {
		t.Fatalf("body %q: %d without an error: %s", body, status, answer)
	}
}

// FuzzOrderPatch sends arbitrary bodies to PATCH /orders/{id} of a real
// order: it never panics or fails inside, and a refused patch changes
// nothing.
func FuzzOrderPatch(f *testing.F) {
	for _, s := range []string{
		`{"payment": {"paid": true}}`, `{"delivery_address": null}`, `{"delivery_address": "Rīga, Brīvības iela 1"}`,
		`{"carrier": "post"}`, `{"carrier": null}`, `{"carrier": "teleport"}`,
		`{"items": [{"sku": "A", "qty": 1, "price": "10.00", "made_to_order": true, "production_days": 400}]}`,
		`{"items": [{"sku": "A", "qty": 4611686018427387905, "price": "0.04"}]}`, `{"items": []}`, `{"items": null}`,
		`{"total": "1e400"}`, `{"total": -1}`, `{"customer": {"email": null, "phone": null}}`, `{"customer": {"phone": "+371 2"}}`,
		`{"customer": {"name": "a\u0000"}}`, `{"status": "delivered"}`, `{"payment": {"method": 5}}`, `[]`, ``, `null`, `{"a":`,
		`{"delivery_address": "` + strings.Repeat("ж", 600) + `"}`, `{"payment": {"paid": true}, "payment": {"paid": false}}`,
	} {
		f.Add(s)
	}
	e := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := e.orderRow(t, 1)
		status, answer := e.serve("PATCH", "/api/v1/orders/1", body)
		checkPatchAnswer(t, body, status, answer)
		if status != http.StatusOK {
			if after := e.orderRow(t, 1); after != before {
				t.Fatalf("body %q was refused (%d) but changed the order: %s → %s", body, status, before, after)
			}
		}
	})
}

// FuzzCustomerPatch sends arbitrary bodies to PATCH /customers/{id}: it
// never panics or fails inside, and a refused patch changes nothing.
func FuzzCustomerPatch(f *testing.F) {
	for _, s := range []string{
		`{"name": "Анна", "email": "anna@example.lv", "phone": "+371 2000 0000"}`, `{"email": null}`, `{"timezone": null}`,
		`{"language": "lv", "timezone": "Europe/Riga"}`, `{"telegram_chat_id": "-100123"}`, `{"telegram_chat_id": "1e5"}`,
		`{"consent": {"email": {"marketing": true}}, "consent_source": "form"}`, `{"consent": {"sms": {"transactional": false}}}`,
		`{"consent": {"email": {"marketing": true}}}`, `{"consent": {"pigeon": {}}}`, `{"consent": null}`, `{"consent": []}`,
		`{"external_id": "x"}`, `{"name": "` + strings.Repeat("я", 300) + `"}`, `{}`, `[]`, `"x"`,
	} {
		f.Add(s)
	}
	e := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := e.customerState(t, 1)
		status, answer := e.serve("PATCH", "/api/v1/customers/1", body)
		checkPatchAnswer(t, body, status, answer)
		if status != http.StatusOK {
			if after := e.customerState(t, 1); after != before {
				t.Fatalf("body %q was refused (%d) but changed the customer: %s → %s", body, status, before, after)
			}
		}
	})
}
