package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// withStock puts a stock keeper in place of the App's, for the tests
// that need stock rows while the real stock's reservations are built
// beside this code.
func withStock(s stockKeeper) Option { return func(h *Handler) { h.stock = s } }

// memStock is a tiny in-memory stock: what is available of each SKU and
// when more comes, and what each order holds.
type memStock struct {
	mu    sync.Mutex
	avail map[string]stock.Availability
	holds map[int64][]stock.Hold
}

func (m *memStock) Available(sku string) (stock.Availability, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.avail[sku]
	return a, ok
}

func (m *memStock) Reserve(_ context.Context, _ *store.Tx, orderID int64, lines []stock.Line, _ time.Time) ([]stock.Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var holds []stock.Hold
	for _, l := range lines {
		a := m.avail[l.SKU]
		h := stock.Hold{SKU: l.SKU, Name: l.Name, Qty: l.Qty, Held: max(min(l.Qty, a.Available), 0)}
		if h.Short() {
			h.ExpectedOn = a.NextOn
		}
		a.Available -= h.Held
		m.avail[l.SKU] = a
		holds = append(holds, h)
	}
	m.holds[orderID] = holds
	return holds, nil
}

func (m *memStock) Holds(_ context.Context, orderID int64) ([]stock.Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.holds[orderID], nil
}

func getJSON(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %d %s: %v", url, res.StatusCode, body, err)
	}
	return res.StatusCode
}

// TestQuoteWaitsForStock: a cart's plain SKU the shop tracks with
// nothing available moves the quote to its next delivery (or the
// restock estimate), and the answer says so — stock and text.waits in
// the quote's language; a SKU in stock or untracked changes nothing.
func TestQuoteWaitsForStock(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false)
	st := &memStock{avail: map[string]stock.Availability{
		"MUG":  {Available: 3},
		"VASE": {Available: 0, NextOn: calendar.MustParseDay("2026-12-01")},
		"BOWL": {Available: -2},
	}, holds: map[int64][]stock.Hold{}}
	srv := httptest.NewServer(New(a, withStock(st)))
	t.Cleanup(srv.Close)
	at := "&at=2026-11-24T11:50:00%2B03:00" // Tuesday before the cut-off: ships Wednesday 25 Nov, arrives Friday 27
	type quote struct {
		Promise struct {
			ShipDate string   `json:"ship_date"`
			To       string   `json:"delivery_to"`
			Explain  []string `json:"explain"`
		} `json:"promise"`
		Text  quoteTextJSON `json:"text"`
		Stock []struct {
			SKU       string  `json:"sku"`
			Available int     `json:"available"`
			NextOn    *string `json:"next_on"`
		} `json:"stock"`
	}
	tests := []struct {
		name, query, ship, waits, explain, stock string
	}{
		{name: "in stock and untracked", query: "items=MUG,PLATE&lang=en", ship: "2026-11-25", stock: "MUG:3:-"},
		{name: "a vase coming on Tuesday", query: "items=MUG,VASE&lang=en", ship: "2026-12-02",
			waits:   "Not in stock now, the next delivery is expected on Tuesday 1 Dec",
			explain: "«VASE» is not in stock: the next delivery is expected on Tuesday 1 Dec", stock: "MUG:3:-,VASE:0:2026-12-01"},
		{name: "in Russian", query: "items=VASE&lang=ru", ship: "2026-12-02",
			waits: "Сейчас нет в наличии, следующая поставка ожидается во вторник, 1 декабря", stock: "VASE:0:2026-12-01"},
		{name: "nothing on its way: the restock estimate, 5 working days", query: "items=BOWL&lang=lv", ship: "2026-12-02",
			waits: "Šobrīd nav noliktavā, nākamā piegāde gaidāma otrdien, 1. decembrī", stock: "BOWL:-2:2026-12-01"},
		{name: "made to order is not a stock line", query: "items=VASE:2&lang=en", ship: "2026-11-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q quote
			if status := getJSON(t, srv.URL+"/api/v1/promise/quote?"+tt.query+at, "", &q); status != 200 {
				t.Fatalf("status %d: %+v", status, q)
			}
			var stocks []string
			for _, s := range q.Stock {
				next := "-"
				if s.NextOn != nil {
					next = *s.NextOn
				}
				stocks = append(stocks, s.SKU+":"+itoa(int64(s.Available))+":"+next)
			}
			if q.Promise.ShipDate != tt.ship || q.Text.Waits != tt.waits || strings.Join(stocks, ",") != tt.stock {
				t.Errorf("ship %s, waits %q, stock %v; want %s, %q, %s", q.Promise.ShipDate, q.Text.Waits, stocks, tt.ship, tt.waits, tt.stock)
			}
			if tt.explain != "" && !strings.Contains(strings.Join(q.Promise.Explain, "\n"), tt.explain) {
				t.Errorf("explanation lacks %q: %v", tt.explain, q.Promise.Explain)
			}
		})
	}
}

// TestOrderGetShowsTasksAndStock: GET /orders/{id} of an order short of
// an item shows its tasks (the call-back-like stock_short) and what it
// holds and waits for; an order with no tracked SKU shows empty lists.
func TestOrderGetShowsTasksAndStock(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			st := &memStock{avail: map[string]stock.Availability{
				"VASE": {Available: 1, NextOn: calendar.MustParseDay("2026-12-01")},
			}, holds: map[int64][]stock.Hold{}}
			orders := order.NewService(a.Deps(), order.Params{Journal: a.Journal, Jobs: a.Queue, Promises: a.Promises,
				Stock: st, StockDue: a.Playbook.CallbackDue})
			create := func(ext string, items []order.Item) int64 {
				t.Helper()
				n := order.NewOrder{ExternalID: ext, Items: items,
					Customer: customer.Input{ExternalID: "c-" + ext, Name: "Ольга", Email: ext + "@example.com"}}
				if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
					t.Fatal(err)
				}
				res, err := orders.Create(ctx, n)
				if err != nil {
					t.Fatal(err)
				}
				return res.ID
			}
			short := create("G-1", []order.Item{{SKU: "VASE", Name: "Ваза", Qty: 3, PriceMinor: 100000}})
			plain := create("G-2", []order.Item{{SKU: "POT", Name: "Кастрюля", Qty: 1, PriceMinor: 100000}})
			token, err := auth.TokenAdd(ctx, a.DB, "t", nil, clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(New(a, withStock(st)))
			t.Cleanup(srv.Close)

			var got struct {
				ExternalID string `json:"external_id"`
				Promise    struct {
					ShipDate string `json:"ship_date"`
				} `json:"promise"`
				Tasks []map[string]any `json:"tasks"`
				Stock []map[string]any `json:"stock"`
			}
			if status := getJSON(t, srv.URL+"/api/v1/orders/"+itoa(short), token, &got); status != 200 {
				t.Fatalf("status %d", status)
			}
			if got.ExternalID != "G-1" || got.Promise.ShipDate != "2026-12-02" {
				t.Errorf("order %s ships %s, want G-1 shipping 2026-12-02", got.ExternalID, got.Promise.ShipDate)
			}
			var kinds []string
			for _, tk := range got.Tasks {
				kinds = append(kinds, tk["kind"].(string))
				if tk["kind"] == "stock_short" && (tk["status"] != "open" || tk["due_at"] == nil) {
					t.Errorf("stock_short task = %v, want open with a due time", tk)
				}
			}
			if !strings.Contains(strings.Join(kinds, ","), "stock_short") {
				t.Errorf("tasks = %v, want the stock_short task", got.Tasks)
			}
			want := map[string]any{"sku": "VASE", "name": "Ваза", "qty": float64(3), "held": float64(1), "expected_on": "2026-12-01"}
			if len(got.Stock) != 1 || !sameJSON(got.Stock[0], want) {
				t.Errorf("stock = %v, want [%v]", got.Stock, want)
			}

			var empty map[string]json.RawMessage
			if status := getJSON(t, srv.URL+"/api/v1/orders/"+itoa(plain), token, &empty); status != 200 {
				t.Fatalf("status %d", status)
			}
			if string(empty["tasks"]) != "[]" || string(empty["stock"]) != "[]" || empty["promise"] == nil {
				t.Errorf("plain order: tasks %s, stock %s, want empty lists beside the order's fields", empty["tasks"], empty["stock"])
			}
		})
	}
}

func sameJSON(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// BenchmarkQuoteStockLookups is what the quote endpoint's stock check
// costs a cart of three plain SKUs: the per-SKU Available lookups from
// memory and the waits they add, against the App's stock and a map.
// go test -run '^$' -bench QuoteStockLookups ./internal/api/
func BenchmarkQuoteStockLookups(b *testing.B) {
	a, _ := apptest.New(b, store.SQLite, false)
	mem := fakeAvailability{"MUG": {Available: 3}, "VASE": {NextOn: calendar.MustParseDay("2026-12-01")}, "PLATE": {Available: 1}}
	skus := []string{"MUG", "VASE", "PLATE"}
	restock := calendar.MustParseDay("2026-12-07")
	for _, c := range []struct {
		name string
		s    stockKeeper
	}{{"app", a.Stock}, {"map", mem}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := promise.Request{}
				_ = cartStock(c.s, skus, &req, restock)
			}
		})
	}
}
