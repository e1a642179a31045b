package insales

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
)

func optsFor(url, login, password string, sleep func(context.Context, time.Duration) error) connector.Options {
	return connector.Options{Name: "ivanchai", URL: url, APIKey: login, Password: password, WebhookSecret: "s3cret", Sleep: sleep}
}

func TestCheckReadsTheAccount(t *testing.T) {
	t.Parallel()
	api, _ := newShop(t, 0).start(t)
	shop, err := api.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if shop.Name != "Иван-чай из Карелии" || shop.Currency != "RUB" {
		t.Fatalf("shop = %+v", shop)
	}
}

func TestCheckWithAWrongPasswordIs401(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0)
	api, _ := s.start(t)
	s.password = "changed in the shop's admin"
	_, err := api.Check(context.Background())
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || !strings.Contains(ae.Body, "Неверный") {
		t.Fatalf("Check = %v, want the 401", err)
	}
}

func TestOrdersPagesThroughTheHistory(t *testing.T) {
	t.Parallel()
	s := newShop(t, 2*PerPage+3)
	api, _ := s.start(t)
	var ids []string
	q := connector.Query{}
	pages := 0
	for {
		p, err := api.Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if p.Total != -1 {
			t.Fatalf("Total = %d, want -1", p.Total)
		}
		for _, o := range p.Orders {
			ids = append(ids, o.ID)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if pages != 3 || len(ids) != 2*PerPage+3 || ids[0] != "1000" || ids[len(ids)-1] != "1502" {
		t.Fatalf("%d pages, %d orders (%v…%v)", pages, len(ids), ids[0], ids[len(ids)-1])
	}
	if !strings.Contains(s.calls[0], "per_page=250") || !strings.Contains(s.calls[2], "page=3") {
		t.Fatalf("calls = %v", s.calls)
	}
}

func TestOrdersSinceAskForChangesOnly(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10)
	api, _ := s.start(t)
	since := time.Date(2024, 1, 1, 5, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	p, err := api.Orders(context.Background(), connector.Query{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Orders) != 5 || p.Orders[0].ID != "1005" || p.Next != "" {
		t.Fatalf("%d orders from %s, next %q", len(p.Orders), p.Orders[0].ID, p.Next)
	}
	if !strings.Contains(s.calls[0], "updated_since=2024-01-01T05%3A00%3A00%2B03%3A00") {
		t.Fatalf("call = %s", s.calls[0])
	}
}

func TestOrdersRefusesABadCursor(t *testing.T) {
	t.Parallel()
	api, _ := newShop(t, 1).start(t)
	if _, err := api.Orders(context.Background(), connector.Query{Cursor: "x"}); err == nil || !strings.Contains(err.Error(), "cursor") {
		t.Fatalf("Orders = %v", err)
	}
}

func TestOrderByID(t *testing.T) {
	t.Parallel()
	api, _ := newShop(t, 3).start(t)
	o, err := api.Order(context.Background(), "1002")
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != "1002" || o.Number != "5002" || o.TotalMinor != 361000 {
		t.Fatalf("order = %+v", o)
	}
	_, err = api.Order(context.Background(), "77")
	if !wire.IsNotFound(err) {
		t.Fatalf("missing order: %v, want 404", err)
	}
}

func TestA503WaitsItsRetryAfterAndTriesAgain(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1)
	s.refuse = 2
	api, waits := s.start(t)
	if _, err := api.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*waits, []time.Duration{7 * time.Second, 7 * time.Second}) {
		t.Fatalf("waits = %v", *waits)
	}
}

func TestRateLimitGivesUpAfterItsRetries(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1)
	s.refuse = 100
	api, waits := s.start(t)
	_, err := api.Check(context.Background())
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusServiceUnavailable {
		t.Fatalf("Check = %v", err)
	}
	if len(*waits) != 5 {
		t.Fatalf("%d waits, want 5", len(*waits))
	}
}

func TestAWaitCutShortStopsTheCall(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1)
	s.refuse = 1
	srvAPI, _ := s.start(t)
	o := srvAPI.opts
	o.Sleep = func(ctx context.Context, d time.Duration) error { return context.Canceled }
	api := New(o).API
	if _, err := api.Check(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Check = %v, want context.Canceled", err)
	}
}

func TestPaceSlowsDownNearTheBudget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"garbage", 0},
		{"1/500", 0},
		{"449/500", 0},
		{"450/500", 600 * time.Millisecond},
		{"494/500", 600 * time.Millisecond},
		{"495/500", 30 * time.Second},
		{"500/500", 30 * time.Second},
		{"x/500", 0},
	}
	for _, c := range cases {
		h := http.Header{}
		if c.header != "" {
			h.Set("API-Usage-Limit", c.header)
		}
		if got := Pace(h); got != c.want {
			t.Errorf("Pace(%q) = %v, want %v", c.header, got, c.want)
		}
	}
}

func TestABackfillNearTheBudgetIsPaced(t *testing.T) {
	t.Parallel()
	s := newShop(t, 1)
	s.used = 460
	api, waits := s.start(t)
	if _, err := api.Orders(context.Background(), connector.Query{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*waits, []time.Duration{600 * time.Millisecond}) {
		t.Fatalf("waits = %v", *waits)
	}
}

func TestRegisterAddsTheMissingTopicsOnce(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0)
	api, _ := s.start(t)
	const address = "https://care.example.com/hooks/ivanchai"
	s.webhooks = append(s.webhooks, webhook{ID: 850, Address: address + "/s3cret?topic=orders%2Fcreate", Topic: "orders/create", FormatType: "json"})
	added, err := api.Register(context.Background(), address)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(added, []string{"orders/update"}) {
		t.Fatalf("added = %v", added)
	}
	last := s.webhooks[len(s.webhooks)-1]
	if last.Address != address+"/s3cret?topic=orders%2Fupdate" || last.Topic != "orders/update" || last.FormatType != "json" {
		t.Fatalf("registered %+v", last)
	}
	again, err := api.Register(context.Background(), address+"/s3cret")
	if err != nil || len(again) != 0 {
		t.Fatalf("second Register = %v, %v", again, err)
	}
}

func TestRegisterTakesAnAddressPastedByHandAsThere(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0)
	api, _ := s.start(t)
	const address = "https://care.example.com/hooks/ivanchai/s3cret"
	for i, topic := range Topics {
		s.webhooks = append(s.webhooks, webhook{ID: int64(860 + i), Address: address, Topic: topic, FormatType: "xml"})
	}
	added, err := api.Register(context.Background(), address)
	if err != nil || len(added) != 0 {
		t.Fatalf("Register = %v, %v", added, err)
	}
}

func TestRegisterNeedsASecretAndAnAddress(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0)
	api, _ := s.start(t)
	if _, err := api.Register(context.Background(), "/hooks/x"); err == nil || !strings.Contains(err.Error(), "absolute") {
		t.Fatalf("Register = %v", err)
	}
	o := api.opts
	o.WebhookSecret = ""
	if _, err := New(o).Registrar.Register(context.Background(), "https://care.example.com/hooks/x"); err == nil || !strings.Contains(err.Error(), "webhook_secret") {
		t.Fatalf("Register = %v", err)
	}
}

func TestNewWithoutAnAddressHasNoAPI(t *testing.T) {
	t.Parallel()
	a := New(connector.Options{WebhookSecret: "s"})
	if a.Webhook == nil || a.API != nil || a.Registrar != nil || a.Writer != nil {
		t.Fatalf("adapter = %+v", a)
	}
}
