package woocommerce

import (
	"context"
	"encoding/json"
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
	s, a, _ := newShop(t, 0, true)
	got, err := a.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != (connector.Shop{Name: "example.com", Currency: "USD"}) {
		t.Errorf("Check = %+v", got)
	}
	if !slices.Equal(s.auth, []string{"basic"}) {
		t.Errorf("authenticated by %v, want HTTP Basic over https", s.auth)
	}
}

func TestCheckWrongKeys(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, true)
	bad := NewAdapter(connector.Options{URL: s.url, APIKey: key, APISecret: "wrong", HTTP: a.opts.HTTP})
	_, err := bad.Check(context.Background())
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || !strings.Contains(ae.Body, "woocommerce_rest_cannot_view") {
		t.Fatalf("Check with a wrong secret = %v, want a 401 APIError with WooCommerce's code", err)
	}
}

func TestPlainHTTP(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, false)
	if _, err := a.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.auth, []string{"query"}) {
		t.Errorf("authenticated by %v, want the query string on a loopback http shop", s.auth)
	}
	far := NewAdapter(connector.Options{URL: "http://shop.example.lv", APIKey: key, APISecret: secret})
	if _, err := far.Check(context.Background()); !errors.Is(err, ErrPlainHTTP) {
		t.Errorf("a remote http shop: %v, want ErrPlainHTTP", err)
	}
}

func TestOrdersPages(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 250, true)
	since := time.Date(2024, 1, 1, 20, 0, 0, 0, time.UTC) // orders 20…249
	q := connector.Query{Since: since}
	var got []connector.Order
	pages := 0
	for {
		p, err := a.Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if p.Total != 230 {
			t.Errorf("page %d Total = %d, want 230", pages, p.Total)
		}
		got = append(got, p.Orders...)
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if pages != 3 || len(got) != 230 || got[0].ID != "1020" || got[229].ID != "1249" {
		t.Fatalf("%d pages, %d orders from %s to %s", pages, len(got), got[0].ID, got[len(got)-1].ID)
	}
	if !got[0].PlacedAt.Equal(since) {
		t.Errorf("first placed at %s, want since itself", got[0].PlacedAt)
	}
	if !strings.Contains(s.queries[0], "after=2024-01-01T19%3A59%3A59") || !strings.Contains(s.queries[0], "per_page=100") {
		t.Errorf("query = %s", s.queries[0])
	}
	if _, err := a.Orders(context.Background(), connector.Query{Cursor: "x"}); err == nil {
		t.Error("a cursor that is no page number was taken")
	}
}

func TestOrderByID(t *testing.T) {
	t.Parallel()
	_, a, _ := newShop(t, 0, true)
	o, err := a.Order(context.Background(), "727")
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != order.Shipped || len(o.Fulfillments) != 1 || o.Fulfillments[0].TrackingNumber != "CC123456785LV" {
		t.Errorf("order = %+v", o)
	}
	_, err = a.Order(context.Background(), "1")
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || !strings.Contains(ae.Body, "invalid_id") {
		t.Errorf("unknown order: %v, want a 404", err)
	}
	if _, err := a.Order(context.Background(), "../system_status"); err == nil || !strings.Contains(err.Error(), "order_id") {
		t.Errorf("a path in the id: %v", err)
	}
}

func TestTooManyRequests(t *testing.T) {
	t.Parallel()
	s, a, waits := newShop(t, 0, true)
	s.script = []scripted{
		{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"7"}}, body: `{"code":"woocommerce_rest_too_many_requests","message":"Too many requests.","data":{"status":429}}`},
		{status: http.StatusServiceUnavailable},
	}
	if _, err := a.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*waits, []time.Duration{7 * time.Second, time.Second}) {
		t.Errorf("waits = %v, want [7s 1s]", *waits)
	}
	for range maxAttempts {
		s.script = append(s.script, scripted{status: http.StatusTooManyRequests})
	}
	if _, err := a.Check(context.Background()); !errors.Is(err, ErrRateLimited) {
		t.Errorf("err = %v, want ErrRateLimited", err)
	}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, true)
	const addr = "https://care.example.lv/hooks/woo"
	s.webhooks = []webhook{
		{ID: 10, Status: "disabled", Topic: "order.updated", DeliveryURL: addr},
		{ID: 11, Status: "active", Topic: "order.created", DeliveryURL: "https://elsewhere.example/hook"},
		{ID: 12, Status: "paused", Topic: "product.updated", DeliveryURL: addr},
	}
	// The documented list comes first: other addresses, left alone.
	var documented []webhook
	if err := json.Unmarshal(readFile(t, "webhooks.json"), &documented); err != nil {
		t.Fatal(err)
	}
	if len(documented) != 2 || documented[1] != (webhook{ID: 142, Status: "active", Topic: "order.updated", DeliveryURL: "http://requestb.in/1g0sxmo1"}) {
		t.Fatalf("documented webhooks read as %+v", documented)
	}
	s.webhooks = append(s.webhooks, documented...)
	topics, err := a.Register(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	if s.webhooks[3] != documented[0] || s.webhooks[4] != documented[1] {
		t.Error("a webhook to another address was touched")
	}
	s.webhooks = append(s.webhooks[:3], s.webhooks[5:]...)
	if !slices.Equal(topics, Topics) {
		t.Errorf("topics = %v", topics)
	}
	if s.webhooks[0].Status != "active" {
		t.Error("the disabled order.updated webhook was not re-enabled")
	}
	if len(s.webhooks) != 4 || s.webhooks[3].Topic != "order.created" || s.webhooks[3].DeliveryURL != addr || s.secrets[s.webhooks[3].ID] != hookSecret {
		t.Errorf("webhooks = %+v", s.webhooks)
	}
	if s.webhooks[2].Status != "paused" {
		t.Error("a webhook the shop paused was touched")
	}
	n := len(s.queries)
	if _, err := a.Register(context.Background(), addr); err != nil {
		t.Fatal(err)
	}
	for _, q := range s.queries[n:] {
		if !strings.HasPrefix(q, "GET ") {
			t.Errorf("a second Register changed something: %s", q)
		}
	}
	none := NewAdapter(connector.Options{URL: s.url, APIKey: key, APISecret: secret, HTTP: a.opts.HTTP})
	if _, err := none.Register(context.Background(), addr); !errors.Is(err, ErrNoSecret) {
		t.Errorf("without a secret: %v", err)
	}
}

func TestWriteBack(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, true)
	p := connector.Promise{ShipDate: "2026-12-03", DeliveryFrom: "2026-12-05", DeliveryTo: "2026-12-07", TrackingURL: "https://care.example.lv/t/abc",
		Text: "Отправим 3 декабря, доставим 5–7 декабря."}
	if err := a.WriteBack(context.Background(), "727", p); err != nil {
		t.Fatal(err)
	}
	if len(s.notes) != 1 || s.notes[0]["order"] != "727" || s.notes[0]["customer_note"] != false ||
		s.notes[0]["note"] != "Отправим 3 декабря, доставим 5–7 декабря.\nhttps://care.example.lv/t/abc" {
		t.Errorf("notes = %v", s.notes)
	}
	p.Text = ""
	if got := noteText(p); got != "shopcare: ships 2026-12-03, arrives 2026-12-05 – 2026-12-07\nhttps://care.example.lv/t/abc" {
		t.Errorf("note without text = %q", got)
	}
	if err := a.WriteBack(context.Background(), "727/notes/1", p); err == nil {
		t.Error("a path in the order id was written")
	}
}

// TestRegisterReadsEveryPage finds shopcare's disabled webhook on the
// second page of a shop with many.
func TestRegisterReadsEveryPage(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, true)
	const addr = "https://care.example.lv/hooks/woo"
	for i := range 150 {
		s.webhooks = append(s.webhooks, webhook{ID: int64(1000 + i), Status: "active", Topic: "product.updated", DeliveryURL: "https://erp.example/hook"})
	}
	s.webhooks = append(s.webhooks,
		webhook{ID: 2000, Status: "disabled", Topic: "order.created", DeliveryURL: addr},
		webhook{ID: 2001, Status: "active", Topic: "order.updated", DeliveryURL: addr})
	if _, err := a.Register(context.Background(), addr); err != nil {
		t.Fatal(err)
	}
	if len(s.webhooks) != 152 || s.webhooks[150].Status != "active" {
		t.Errorf("%d webhooks, order.created %s; want the disabled one re-enabled and nothing new", len(s.webhooks), s.webhooks[150].Status)
	}
}

func TestOrdersWithoutTotals(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, true)
	// A proxy that drops X-WP-* headers: a full page means there may be
	// more, a short one is the last.
	full := "[" + strings.TrimSuffix(strings.Repeat(string(readFile(t, "order.json"))+",", PageSize), ",") + "]"
	s.script = []scripted{{status: http.StatusOK, body: full}, {status: http.StatusOK, body: "[" + string(readFile(t, "order.json")) + "]"}}
	p, err := a.Orders(context.Background(), connector.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != -1 || p.Next != "2" || len(p.Orders) != PageSize {
		t.Errorf("page 1: total %d, next %q, %d orders", p.Total, p.Next, len(p.Orders))
	}
	p, err = a.Orders(context.Background(), connector.Query{Cursor: p.Next})
	if err != nil || p.Next != "" || len(p.Orders) != 1 {
		t.Errorf("page 2: %+v, %v", p, err)
	}
}

func TestOrdersBadOrderNamesIt(t *testing.T) {
	t.Parallel()
	s, a, _ := newShop(t, 0, true)
	s.script = []scripted{{status: http.StatusOK, header: http.Header{"X-Wp-Total": {"1"}, "X-Wp-Totalpages": {"1"}},
		body: `[{"id":5,"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00","line_items":[{"quantity":-2}]}]`}}
	_, err := a.Orders(context.Background(), connector.Query{})
	if err == nil || !strings.Contains(err.Error(), "order 5") || !strings.Contains(err.Error(), "line_items[0].quantity") {
		t.Errorf("err = %v", err)
	}
}
