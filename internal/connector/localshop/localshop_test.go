package localshop_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
	"github.com/shopcare/shopcare/internal/order"
)

func adapter(t testing.TB, so localshop.ServerOptions, sleep func(context.Context, time.Duration) error) (*localshop.Server, connector.Adapter) {
	t.Helper()
	so.Token = "tok"
	srv := localshop.NewServer(so)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, localshop.New(connector.Options{Name: "shop", URL: hs.URL, AccessToken: "tok", WebhookSecret: "s",
		HTTP: hs.Client(), Sleep: sleep, Clock: clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
}

// TestPagesCoverTheShopOnce: following Next from the first page yields
// every order once, oldest first, with the platform's total.
func TestPagesCoverTheShopOnce(t *testing.T) {
	t.Parallel()
	_, a := adapter(t, localshop.ServerOptions{Orders: 23, PageSize: 5}, nil)
	seen := map[string]bool{}
	var q connector.Query
	pages := 0
	for {
		p, err := a.API.Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if p.Total != 23 {
			t.Errorf("total %d", p.Total)
		}
		for _, o := range p.Orders {
			if seen[o.ID] {
				t.Errorf("order %s twice", o.ID)
			}
			seen[o.ID] = true
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if len(seen) != 23 || pages != 5 {
		t.Errorf("%d orders in %d pages", len(seen), pages)
	}
}

// TestRateLimitWaitsThroughSleep: a 429 is waited out as Retry-After says,
// through Options.Sleep, and the call then succeeds; an ended context
// stops the wait.
func TestRateLimitWaitsThroughSleep(t *testing.T) {
	t.Parallel()
	var waited []time.Duration
	srv, a := adapter(t, localshop.ServerOptions{Orders: 3, ThrottleEvery: 1, RetryAfter: 7}, func(ctx context.Context, d time.Duration) error {
		waited = append(waited, d)
		return errors.New("stopped")
	})
	if _, err := a.API.Check(context.Background()); err == nil || err.Error() != "stopped" {
		t.Errorf("an ended wait: %v", err)
	}
	if len(waited) != 1 || waited[0] != 7*time.Second || srv.Throttled() != 1 {
		t.Errorf("waited %v", waited)
	}
	_, a = adapter(t, localshop.ServerOptions{Orders: 3, ThrottleEvery: 2}, func(ctx context.Context, d time.Duration) error { return nil })
	for range 4 {
		if _, err := a.API.Order(context.Background(), "2"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRefusalsAreAPIErrors: a wrong token and an unknown order come back
// as the platform's answer.
func TestRefusalsAreAPIErrors(t *testing.T) {
	t.Parallel()
	_, a := adapter(t, localshop.ServerOptions{Orders: 3}, nil)
	var ae *connector.APIError
	if _, err := a.API.Order(context.Background(), "9"); !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Errorf("an unknown order: %v", err)
	}
	bad := localshop.New(connector.Options{URL: "http://127.0.0.1:1", AccessToken: "x"})
	if _, err := bad.API.Check(context.Background()); err == nil {
		t.Error("no platform there, no error")
	}
}

// TestWebhookSignature: Verify takes the platform's signature of the raw
// body and nothing else.
func TestWebhookSignature(t *testing.T) {
	t.Parallel()
	_, a := adapter(t, localshop.ServerOptions{Orders: 1}, nil)
	body := []byte(`{"id":"1","status":"open","total":"1.00","currency":"EUR"}`)
	h := http.Header{}
	h.Set(localshop.SignatureHeader, localshop.Sign("s", body))
	if err := a.Webhook.Verify(connector.Request{Header: h, Body: body}); err != nil {
		t.Errorf("a good signature: %v", err)
	}
	for _, bad := range []string{"", "not base64!", localshop.Sign("other", body), localshop.Sign("s", append(body, ' '))} {
		h.Set(localshop.SignatureHeader, bad)
		if err := a.Webhook.Verify(connector.Request{Header: h, Body: body}); !errors.Is(err, connector.ErrUnauthorized) {
			t.Errorf("signature %q: %v", bad, err)
		}
	}
	d, err := a.Webhook.Parse(connector.Request{Header: http.Header{"X-Localshop-Topic": {"orders/create"}}, Body: body})
	if err != nil || d.Event != connector.OrderCreated || d.Order.TotalMinor != 100 || d.Order.Status != "" || d.Order.Payment.Method != "prepaid" {
		t.Errorf("parse: %+v, %v", d, err)
	}
	d, err = a.Webhook.Parse(connector.Request{Body: []byte(`{"id":"1","status":"refunded","total":"1.00","currency":"EUR"}`)})
	if err != nil || d.Event != connector.OrderRefunded || d.Order.Status != order.Returned {
		t.Errorf("a refund: %+v, %v", d, err)
	}
}

// TestRegisterLeavesRegistrationsAlone: a second registration of the
// same address is not an error and adds nothing.
func TestRegisterLeavesRegistrationsAlone(t *testing.T) {
	t.Parallel()
	srv, a := adapter(t, localshop.ServerOptions{Orders: 1}, nil)
	for range 2 {
		topics, err := a.Registrar.Register(context.Background(), "https://care.example/hooks/shop")
		if err != nil || len(topics) != 2 {
			t.Fatalf("register: %v, %v", topics, err)
		}
	}
	if got := srv.Registered(); len(got) != 2 {
		t.Errorf("registered: %q", got)
	}
}
