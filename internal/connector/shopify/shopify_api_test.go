package shopify

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/order"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	_, a, _ := newShop(t, 0)
	got, err := a.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != (connector.Shop{Name: "Jānis Shop", Currency: "EUR"}) {
		t.Errorf("Check = %+v", got)
	}
}

func TestCheckWrongToken(t *testing.T) {
	t.Parallel()
	s, _, _ := newShop(t, 0)
	bad := NewAdapter(connector.Options{URL: s.url, AccessToken: "wrong"})
	_, err := bad.Check(context.Background())
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Fatalf("Check with a wrong token = %v, want a 401 APIError", err)
	}
}

func TestOrdersPages(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 120)
	since := s.created.Add(10 * time.Minute) // orders 10…119
	var got []connector.Order
	q := connector.Query{Since: since}
	pages := 0
	for {
		p, err := a.Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if pages == 1 && p.Total != 110 {
			t.Errorf("first page Total = %d, want 110", p.Total)
		}
		if pages > 1 && p.Total != -1 {
			t.Errorf("page %d Total = %d, want -1", pages, p.Total)
		}
		got = append(got, p.Orders...)
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if pages != 3 || len(got) != 110 {
		t.Fatalf("%d pages, %d orders; want 3 pages, 110 orders", pages, len(got))
	}
	if got[0].ID != "5000000010" || got[109].ID != "5000000119" {
		t.Errorf("first %s, last %s: not oldest first from since", got[0].ID, got[109].ID)
	}
	for i := 1; i < len(got); i++ {
		if got[i].PlacedAt.Before(got[i-1].PlacedAt) {
			t.Fatalf("order %d placed before the one before it", i)
		}
	}
	o := got[0]
	if o.Number != "#1011" || o.TotalMinor != 1250 || o.Currency != "EUR" || o.Payment != (order.Payment{Method: "cod", Paid: true}) ||
		o.Customer.Language != "lv" || len(o.Items) != 1 || o.Items[0].PriceMinor != 625 || o.Items[0].Qty != 2 {
		t.Errorf("order = %+v", o)
	}
	if q := s.requests[0].Variables["query"]; q != "created_at:>='2024-01-01T00:10:00Z'" {
		t.Errorf("query = %v", q)
	}
}

func TestOrderByID(t *testing.T) {
	t.Parallel()
	_, a, _ := newShop(t, 0)
	o, err := a.Order(context.Background(), "820982911946154508")
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != "820982911946154508" || o.Number != "#9999" || o.Status != order.Shipped || o.TotalMinor != 40495 ||
		!o.Payment.Paid || o.Payment.Method != "prepaid" || o.Customer.ExternalID != "115310627314723954" ||
		o.MarketingConsent == nil || !*o.MarketingConsent || o.Shipping != "Generic Shipping" || o.Note != "Leave at the door" {
		t.Errorf("order = %+v", o)
	}
	if len(o.Fulfillments) != 1 || o.Fulfillments[0].Carrier != "UPS" || o.Fulfillments[0].TrackingNumber != "1z827wk74630" {
		t.Errorf("fulfillments = %+v", o.Fulfillments)
	}
	if o.Address != "123 Shipping Street, Shippington, Kentucky, 40003, United States" {
		t.Errorf("address = %q", o.Address)
	}
	if len(o.Items) != 1 || o.Items[0].SKU != "SKU2006-001" || o.Items[0].VariantID != "44102623193251" {
		t.Errorf("items = %+v, want the line's variant.legacyResourceId as its variant id", o.Items)
	}

	_, err = a.Order(context.Background(), "1")
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Errorf("unknown order: %v, want a 404 APIError", err)
	}
	if _, err := a.Order(context.Background(), "1; drop"); err == nil || !strings.Contains(err.Error(), "order_id") {
		t.Errorf("a malformed id: %v", err)
	}
}

func TestThrottledWaitsForTheBucket(t *testing.T) {
	t.Parallel()
	s, a, waits := newShop(t, 0)
	s.script = []scripted{{status: http.StatusOK, body: string(readFixture(t, "graphql_throttled.json"))}}
	if _, err := a.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 752 asked, 552 available, 100 a second: two seconds.
	if !slices.Equal(*waits, []time.Duration{2 * time.Second}) {
		t.Errorf("waits = %v, want [2s]", *waits)
	}
}

func TestTooManyRequestsRetryAfter(t *testing.T) {
	t.Parallel()
	s, a, waits := newShop(t, 0)
	s.script = []scripted{{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"3"}}, body: `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`}}
	if _, err := a.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*waits, []time.Duration{3 * time.Second}) {
		t.Errorf("waits = %v, want [3s]", *waits)
	}
}

func TestThrottledGivesUp(t *testing.T) {
	t.Parallel()
	s, a, waits := newShop(t, 0)
	for range maxAttempts {
		s.script = append(s.script, scripted{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"1"}}})
	}
	_, err := a.Check(context.Background())
	if !errors.Is(err, ErrThrottled) {
		t.Fatalf("err = %v, want ErrThrottled", err)
	}
	if len(*waits) != maxAttempts-1 {
		t.Errorf("%d waits, want %d", len(*waits), maxAttempts-1)
	}
}

// TestBucketPacesABackfill reads 1,000 orders from a shop whose bucket
// holds 1,000 points at 50 a second: every page costs 252, so the
// adapter must wait for the refill itself, and Shopify never has to
// throttle it.
func TestBucketPacesABackfill(t *testing.T) {
	t.Parallel()
	s, a, waits := newShop(t, 1000)
	s.max, s.available, s.restore = 1000, 1000, 50
	q := connector.Query{}
	n := 0
	for {
		p, err := a.Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Orders)
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if n != 1000 {
		t.Fatalf("%d orders, want 1000", n)
	}
	if s.throttled != 0 {
		t.Errorf("Shopify throttled %d calls; the adapter should have waited", s.throttled)
	}
	if len(*waits) == 0 {
		t.Error("the adapter never waited for the bucket")
	}
}

func TestWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	s, _, _ := newShop(t, 0)
	s.script = []scripted{{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"30"}}}}
	a := NewAdapter(connector.Options{URL: s.url, AccessToken: s.token, Clock: s.clock,
		Sleep: func(context.Context, time.Duration) error { return context.Canceled }})
	if _, err := a.Check(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the wait's context.Canceled", err)
	}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0)
	const addr = "https://care.example.lv/hooks/shop"
	s.subs = []sub{{"ORDERS_CREATE", addr}, {"ORDERS_PAID", "https://elsewhere.example/hook"}}
	topics, err := a.Register(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	if len(topics) != len(Subscriptions) || topics[0] != "orders/create" {
		t.Errorf("topics = %v", topics)
	}
	created := 0
	for _, sb := range s.subs[2:] {
		if sb.URI != addr {
			t.Errorf("subscribed %s", sb.URI)
		}
		if sb.Topic == "ORDERS_CREATE" {
			t.Error("ORDERS_CREATE subscribed twice")
		}
		created++
	}
	if created != len(Subscriptions)-1 {
		t.Errorf("created %d subscriptions, want %d", created, len(Subscriptions)-1)
	}
	// Again: nothing new.
	before := len(s.subs)
	if _, err := a.Register(context.Background(), addr); err != nil {
		t.Fatal(err)
	}
	if len(s.subs) != before {
		t.Errorf("a second Register added %d subscriptions", len(s.subs)-before)
	}
	if _, err := a.Register(context.Background(), "http://plain.example/hooks/shop"); err == nil || !strings.Contains(err.Error(), "webhookSubscription.callbackUrl") {
		t.Errorf("a refused address: %v", err)
	}
}

func TestWriteBack(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0)
	p := connector.Promise{ShipDate: "2026-12-03", DeliveryFrom: "2026-12-05", DeliveryTo: "2026-12-07", TrackingURL: "https://care.example.lv/t/abc"}
	if err := a.WriteBack(context.Background(), "820982911946154508", p); err != nil {
		t.Fatal(err)
	}
	if len(s.metafields) != 4 {
		t.Fatalf("metafields = %v", s.metafields)
	}
	m := s.metafields[0]
	if m["ownerId"] != "gid://shopify/Order/820982911946154508" || m["namespace"] != Namespace || m["key"] != "ship_date" || m["type"] != "date" || m["value"] != "2026-12-03" {
		t.Errorf("metafield = %v", m)
	}
	s.userErrors = true
	if err := a.WriteBack(context.Background(), "820982911946154508", p); err == nil || !strings.Contains(err.Error(), "metafields.0.value") {
		t.Errorf("refused metafields: %v", err)
	}
	if err := a.WriteBack(context.Background(), "not-an-id", p); err == nil {
		t.Error("a malformed order id was written")
	}
}

func TestSiteURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"myshop.myshopify.com":            "https://myshop.myshopify.com",
		" https://myshop.myshopify.com/ ": "https://myshop.myshopify.com",
		"http://127.0.0.1:8080":           "http://127.0.0.1:8080",
		"":                                "",
	} {
		if got := SiteURL(in); got != want {
			t.Errorf("SiteURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		answer scripted
		status int
		waits  int
	}{
		{"scope missing", scripted{status: http.StatusOK, body: `{"errors":[{"message":"Access denied for orders field. Required access: ` + "`read_orders`" + ` access scope.","extensions":{"code":"ACCESS_DENIED"}}]}`}, http.StatusForbidden, 0},
		{"shop unavailable", scripted{status: http.StatusPaymentRequired, body: `{"errors":"Unavailable Shop"}`}, http.StatusPaymentRequired, 0},
		{"not found", scripted{status: http.StatusNotFound, body: `{"errors":"Not Found"}`}, http.StatusNotFound, 0},
		{"a bad query", scripted{status: http.StatusOK, body: `{"errors":[{"message":"Field 'nope' doesn't exist on type 'Shop'","extensions":{"code":"undefinedField"}}]}`}, http.StatusOK, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, a, waits := newShop(t, 0)
			s.script = []scripted{tt.answer}
			_, err := a.Check(context.Background())
			var ae *connector.APIError
			if !errors.As(err, &ae) || ae.Status != tt.status {
				t.Fatalf("err = %v, want an APIError %d", err, tt.status)
			}
			if len(*waits) != tt.waits {
				t.Errorf("waits = %v", *waits)
			}
		})
	}
}

func TestServerErrorIsRetried(t *testing.T) {
	t.Parallel()
	s, a, waits := newShop(t, 0)
	s.script = []scripted{{status: http.StatusBadGateway, body: "<html>502</html>"}, {status: http.StatusServiceUnavailable}}
	if _, err := a.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*waits, []time.Duration{time.Second, time.Second}) {
		t.Errorf("waits = %v", *waits)
	}
}
