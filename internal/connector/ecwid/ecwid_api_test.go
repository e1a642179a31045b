package ecwid

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/order"
)

func TestCheckReadsTheProfile(t *testing.T) {
	t.Parallel()
	api, _ := newStore(t, 0).start(t)
	shop, err := api.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if shop != (connector.Shop{Name: "Toy store", Currency: "EUR"}) {
		t.Fatalf("shop = %+v", shop)
	}
}

func TestAWrongTokenIsRefused(t *testing.T) {
	t.Parallel()
	s := newStore(t, 0)
	api, _ := s.start(t)
	s.token = "secret_rotated"
	_, err := api.Check(context.Background())
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusForbidden || !strings.Contains(ae.Body, "INVALID_ACCESS_TOKEN") {
		t.Fatalf("Check = %v", err)
	}
}

func TestOrderMapsTheDocumentedOrder(t *testing.T) {
	t.Parallel()
	s := newStore(t, 0)
	var doc map[string]any
	_ = jsonUnmarshal(fixture(t, "order.json"), &doc)
	s.orders = append(s.orders, doc)
	api, _ := s.start(t)
	o, err := api.Order(context.Background(), "K8XTQ")
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != "K8XTQ" || o.Number != "K8XTQ" || !o.PlacedAt.Equal(time.Date(2024, 9, 4, 7, 22, 9, 0, time.UTC)) || !o.UpdatedAt.Equal(time.Date(2024, 9, 4, 7, 26, 24, 0, time.UTC)) {
		t.Fatalf("order = %+v", o)
	}
	if o.Status != order.Delivered || o.Payment != (order.Payment{Method: "prepaid", Paid: true}) || o.Currency != "EUR" || o.TotalMinor != 1000 {
		t.Fatalf("status %s payment %+v money %s %d", o.Status, o.Payment, o.Currency, o.TotalMinor)
	}
	if len(o.Items) != 1 || o.Items[0] != (order.Item{SKU: "123123", Name: "Toys", Qty: 1, PriceMinor: 1000, VariantID: "692730761"}) {
		t.Fatalf("items = %+v", o.Items)
	}
	c := o.Customer
	if c.ExternalID != "270919557" || c.Name != "Jane Doe" || c.Email != "ec.apps@lightspeedhq.com" || c.Phone != "+37120000000" || c.Language != "lv" || c.Country != "LV" || c.City != "Rīga" {
		t.Fatalf("customer = %+v", c)
	}
	if o.MarketingConsent == nil || *o.MarketingConsent {
		t.Fatalf("consent = %v", o.MarketingConsent)
	}
	if o.Address != "Brīvības iela 1, Rīga, LV-1010, LV" || o.Shipping != "Omniva pakomāts" {
		t.Fatalf("address %q shipping %q", o.Address, o.Shipping)
	}
	if len(o.Fulfillments) != 1 || o.Fulfillments[0].TrackingNumber != "CC123456789EE" || o.Fulfillments[0].Carrier != "Omniva pakomāts" {
		t.Fatalf("fulfillments = %+v", o.Fulfillments)
	}
	if _, err := api.Order(context.Background(), "NOPE"); !wire.IsNotFound(err) {
		t.Fatalf("missing order: %v", err)
	}
}

func TestOrdersPagesByOffsetWithTheTotal(t *testing.T) {
	t.Parallel()
	s := newStore(t, 2*Limit+5)
	api, _ := s.start(t)
	var ids []string
	q := connector.Query{}
	for {
		p, err := api.Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 2*Limit+5 {
			t.Fatalf("Total = %d", p.Total)
		}
		for _, o := range p.Orders {
			ids = append(ids, o.ID)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if len(ids) != 2*Limit+5 || ids[0] != "K0000" || ids[len(ids)-1] != "K0204" {
		t.Fatalf("%d orders", len(ids))
	}
	// One profile call for the currency, then three pages.
	if len(s.calls) != 4 || !strings.HasSuffix(s.calls[0], "/profile") || !strings.Contains(s.calls[3], "offset=200") {
		t.Fatalf("calls = %v", s.calls)
	}
}

func TestOrdersSinceFiltersByPlacement(t *testing.T) {
	t.Parallel()
	s := newStore(t, 10)
	api, _ := s.start(t)
	since := time.Date(2024, 9, 1, 7, 0, 0, 0, time.UTC)
	p, err := api.Orders(context.Background(), connector.Query{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 3 || len(p.Orders) != 3 || p.Orders[0].ID != "K0007" || p.Next != "" {
		t.Fatalf("page = %d of %d from %s", len(p.Orders), p.Total, p.Orders[0].ID)
	}
	if !strings.Contains(s.calls[1], "createdFrom=1725174000") {
		t.Fatalf("call = %s", s.calls[1])
	}
}

func TestA429WaitsItsRetryAfter(t *testing.T) {
	t.Parallel()
	s := newStore(t, 1)
	s.limited = 3
	api, waits := s.start(t)
	if _, err := api.Orders(context.Background(), connector.Query{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*waits, []time.Duration{3 * time.Second, 3 * time.Second, 3 * time.Second}) {
		t.Fatalf("waits = %v", *waits)
	}
}

func TestOrdersRefusesABadCursor(t *testing.T) {
	t.Parallel()
	api, _ := newStore(t, 1).start(t)
	if _, err := api.Orders(context.Background(), connector.Query{Cursor: "-4"}); err == nil || !strings.Contains(err.Error(), "cursor") {
		t.Fatalf("Orders = %v", err)
	}
}

func TestWriteBackKeepsTheOwnersNotes(t *testing.T) {
	t.Parallel()
	s := newStore(t, 1)
	api, _ := s.start(t)
	ctx := context.Background()
	p := connector.Promise{ShipDate: "2024-09-10", DeliveryFrom: "2024-09-12", DeliveryTo: "2024-09-13", TrackingURL: "https://care.example.com/t/abc"}
	if err := api.WriteBack(ctx, "K0000", p); err != nil {
		t.Fatal(err)
	}
	want := "VIP customer\n\n--- shopcare ---\nShips: 2024-09-10\nArrives: 2024-09-12 – 2024-09-13\nhttps://care.example.com/t/abc\n--- /shopcare ---"
	if got := s.orders[0]["privateAdminNotes"]; got != want {
		t.Fatalf("notes = %q", got)
	}
	// The same promise again changes nothing; a new one replaces the block.
	if err := api.WriteBack(ctx, "K0000", p); err != nil || len(s.puts) != 1 {
		t.Fatalf("second write: %v, %d puts", err, len(s.puts))
	}
	if err := api.WriteBack(ctx, "K0000", connector.Promise{Text: "Nosūtīsim 11. septembrī"}); err != nil {
		t.Fatal(err)
	}
	if got := s.orders[0]["privateAdminNotes"]; got != "VIP customer\n\n--- shopcare ---\nNosūtīsim 11. septembrī\n--- /shopcare ---" {
		t.Fatalf("notes = %q", got)
	}
	if err := api.WriteBack(ctx, "GONE", p); !wire.IsNotFound(err) {
		t.Fatalf("WriteBack to a missing order = %v", err)
	}
}

func TestNotes(t *testing.T) {
	t.Parallel()
	cases := []struct{ notes, text, want string }{
		{"", "A", "--- shopcare ---\nA\n--- /shopcare ---"},
		{"own", "A", "own\n\n--- shopcare ---\nA\n--- /shopcare ---"},
		{"top\n--- shopcare ---\nold\n--- /shopcare ---\nbottom", "A", "top\nbottom\n\n--- shopcare ---\nA\n--- /shopcare ---"},
		{"own\n\n--- shopcare ---\nold\n--- /shopcare ---", "", "own"},
		{"--- shopcare ---\nunclosed", "A", "--- shopcare ---\nA\n--- /shopcare ---"},
	}
	for _, c := range cases {
		if got := Notes(c.notes, c.text); got != c.want {
			t.Errorf("Notes(%q, %q) = %q, want %q", c.notes, c.text, got, c.want)
		}
	}
}

func TestNewNeedsTheStoreAndTokenForTheAPI(t *testing.T) {
	t.Parallel()
	a := New(connector.Options{APISecret: clientSecret})
	if a.Webhook == nil || a.API != nil || a.Writer != nil || a.Registrar != nil {
		t.Fatalf("adapter = %+v", a)
	}
	a = New(connector.Options{StoreID: "1003", AccessToken: token})
	if a.API == nil || a.Writer == nil || a.Registrar != nil {
		t.Fatalf("adapter = %+v", a)
	}
	if got := a.API.(*API).store; got != DefaultURL+"/1003" {
		t.Fatalf("store = %s", got)
	}
}
