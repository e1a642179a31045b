package connector_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

var ctx = context.Background()

// The test platform's secrets.
const (
	signKey    = "test-app-secret-0123456789"
	pathSecret = "path-secret-0123456789abcdef"
)

// settings connect two shops: "shop" signs its deliveries as Shopify
// and WooCommerce do (a base64 HMAC-SHA256 of the raw body in a header),
// "form" signs nothing and is guarded by the secret in its address.
var settings = `
carriers:
  - {code: courier, transit_days: [2, 2]}
  - {code: post, name: Почта России, transit_days: [5, 7]}
connectors:
  - name: shop
    platform: woocommerce
    webhook_secret: ` + signKey + `
    carriers: {"Курьер до двери": courier}
  - name: form
    platform: tilda
    webhook_secret: ` + pathSecret + `
`

// signHeader is where the test platform puts its signature.
const signHeader = "X-Test-Hmac-Sha256"

// testHook is the test platform's webhook: it signs the raw body with
// HMAC-SHA256 (base64, in signHeader) or, unsigned, expects the secret
// in the address or ?secret=; its body is a connector.Delivery as JSON,
// read strictly.
type testHook struct {
	signed bool
	secret string
}

func (h testHook) Verify(r connector.Request) error {
	if !h.signed {
		got := r.PathSecret
		if got == "" {
			got = r.Query.Get("secret")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(h.secret)) != 1 {
			return connector.ErrUnauthorized
		}
		return nil
	}
	got, err := base64.StdEncoding.DecodeString(r.Header.Get(signHeader))
	if err != nil || !hmac.Equal(got, sign(h.secret, r.Body)) {
		return connector.ErrUnauthorized
	}
	return nil
}

func (h testHook) Parse(r connector.Request) (connector.Delivery, error) {
	var d connector.Delivery
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, fmt.Errorf("read the delivery: %w", err)
	}
	if d.Event == "" {
		return d, errors.New("event: required")
	}
	return d, nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func sign(key string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return m.Sum(nil)
}

// testAPI is the platform's API for deliveries that name only the
// order: it answers from orders, or with fail while that is set.
type testAPI struct {
	mu     sync.Mutex
	orders map[string]*connector.Order
	fail   error
	asked  int
}

func (a *testAPI) Check(context.Context) (connector.Shop, error) {
	return connector.Shop{Name: "test"}, nil
}
func (a *testAPI) Orders(context.Context, connector.Query) (connector.Page, error) {
	return connector.Page{Total: -1}, nil
}

func (a *testAPI) Order(_ context.Context, id string) (*connector.Order, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked++
	if a.fail != nil {
		return nil, a.fail
	}
	o, ok := a.orders[id]
	if !ok {
		return nil, &connector.APIError{Status: 404, Body: `{"errors":"Not Found"}`}
	}
	return o, nil
}

// harness is an App with the connectors' Service over the test platform.
type harness struct {
	app *app.App
	clk *clock.Fake
	svc *connector.Service
	api *testAPI
	h   http.Handler
}

func newHarness(t testing.TB, engine store.Engine, extra ...string) *harness {
	t.Helper()
	a, clk := apptest.New(t, engine, false, append([]string{settings}, extra...)...)
	hs := &harness{app: a, clk: clk, api: &testAPI{orders: map[string]*connector.Order{}}}
	hs.svc = hs.service(a)
	hs.h = hs.svc.Handler()
	return hs
}

// service builds a Service over the app's database, as a restarted
// process would.
func (hs *harness) service(a *app.App) *connector.Service {
	return connector.New(service.Deps{DB: a.DB, Settings: a.Settings, Clock: hs.clk, Log: slog.New(slog.DiscardHandler)},
		connector.Params{Orders: a.Orders, Parcels: a.Parcels, Adapters: func(c config.Connector) (connector.Adapter, error) {
			if c.PathSecret() {
				return connector.Adapter{Webhook: testHook{secret: c.WebhookSecret}}, nil
			}
			return connector.Adapter{Webhook: testHook{signed: true, secret: c.WebhookSecret}, API: hs.api}, nil
		}})
}

// post sends a body to a path, signed with key ("" for unsigned).
func (hs *harness) post(t testing.TB, path string, body []byte, key string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if key != "" {
		r.Header.Set(signHeader, base64.StdEncoding.EncodeToString(sign(key, body)))
	}
	w := httptest.NewRecorder()
	hs.h.ServeHTTP(w, r)
	return w
}

// deliver posts a delivery to "shop", signed, and wants 200.
func (hs *harness) deliver(t testing.TB, d connector.Delivery) {
	t.Helper()
	body, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if w := hs.post(t, "/hooks/shop", body, signKey); w.Code != http.StatusOK || w.Body.String() != "ok" {
		t.Fatalf("deliver %s: %d %q, want 200 ok", d.ID, w.Code, w.Body.String())
	}
}

// drain applies what is received.
func (hs *harness) drain(t testing.TB) int {
	t.Helper()
	n, err := hs.svc.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// deliveries lists shop's deliveries, newest first.
func (hs *harness) deliveries(t testing.TB, name string) []connector.Record {
	t.Helper()
	p, err := hs.svc.Deliveries(ctx, name, connector.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return p.Deliveries
}
