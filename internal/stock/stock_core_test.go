package stock_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// stockShop is an App with helpers to take orders in and reserve them.
type stockShop struct {
	t     *testing.T
	app   *app.App
	clock *clock.Fake
	n     int
}

func newStockShop(t *testing.T, engine store.Engine) *stockShop {
	t.Helper()
	a, clk := apptest.New(t, engine, false)
	return &stockShop{t: t, app: a, clock: clk}
}

// put sets levels and fails the test on an error.
func (s *stockShop) put(levels ...stock.Level) stock.PutResult {
	s.t.Helper()
	res, err := s.app.Stock.Put(context.Background(), "api", levels)
	if err != nil {
		s.t.Fatal(err)
	}
	return res
}

// order takes an order in and returns its id (the order intake does not
// reserve here: reserve does).
func (s *stockShop) order() int64 {
	s.t.Helper()
	s.n++
	o := apptest.Order(s.t, s.app, order.NewOrder{ExternalID: fmt.Sprintf("S-%d", s.n), Carrier: "courier",
		Customer: customer.Input{ExternalID: fmt.Sprintf("c%d", s.n), Name: "Anna", Email: fmt.Sprintf("a%d@example.com", s.n)},
		// A card the shop does not track: the intake holds nothing, the
		// tests hold what they mean to with reserve.
		Items: []order.Item{{SKU: "CARD", Name: "Card", Qty: 1, PriceMinor: 1000}}})
	return o.ID
}

// reserve holds lines for order id in a transaction of its own.
func (s *stockShop) reserve(id int64, lines ...stock.Line) []stock.Hold {
	s.t.Helper()
	var holds []stock.Hold
	err := s.app.DB.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		holds, err = s.app.Stock.Reserve(context.Background(), tx, id, lines, s.clock.Now())
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return holds
}

func (s *stockShop) level(sku string) stock.Level {
	s.t.Helper()
	l, err := s.app.Stock.Get(context.Background(), sku)
	if err != nil {
		s.t.Fatal(err)
	}
	return l
}

func (s *stockShop) holds(id int64) []stock.Hold {
	s.t.Helper()
	h, err := s.app.Stock.Holds(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return h
}

// move changes an order's status and drains the journal.
func (s *stockShop) move(id int64, st order.Status) {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.app.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: st, At: s.clock.Now(), Source: order.SourceAPI}); err != nil {
		s.t.Fatal(err)
	}
	s.drain()
}

func (s *stockShop) drain() {
	s.t.Helper()
	if _, err := s.app.Dispatcher.Drain(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// events returns the payloads of the stock events of kind journaled so
// far, by order.
func (s *stockShop) events(kind event.Kind) map[int64][]string {
	s.t.Helper()
	out := map[int64][]string{}
	err := store.Each(context.Background(), s.app.DB.Read(), `SELECT order_id, payload FROM events WHERE kind = $1 ORDER BY id`,
		[]any{string(kind)}, func(r store.Rows) error {
			var id int64
			var p string
			if err := r.Scan(&id, &p); err != nil {
				return err
			}
			out[id] = append(out[id], p)
			return nil
		})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func held(h []stock.Hold, sku string) (qty, held int) {
	for _, x := range h {
		if x.SKU == sku {
			return x.Qty, x.Held
		}
	}
	return 0, 0
}

func TestPutValidatesEveryLevelBeforeWriting(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newStockShop(t, engine)
			ctx := context.Background()
			cases := []struct {
				levels []stock.Level
				field  string
			}{
				{[]stock.Level{{SKU: "A", OnHand: 1}, {SKU: " ", OnHand: 1}}, "items[1].sku"},
				{[]stock.Level{{SKU: "A", OnHand: -1}}, "items[0].on_hand"},
				{[]stock.Level{{SKU: "A", OnHand: 1}, {SKU: "B", Incoming: []stock.Incoming{{Qty: 1, Date: "2026-12-01"}, {Qty: 2, Date: "1.12.2026"}}}}, "items[1].incoming[1].date"},
				{[]stock.Level{{SKU: "A", Incoming: []stock.Incoming{{Qty: 0, Date: "2026-12-01"}}}}, "items[0].incoming[0].qty"},
				{[]stock.Level{{SKU: "A"}, {SKU: "A"}}, "items[1].sku"},
				{[]stock.Level{{SKU: string(make([]byte, 101))}}, "items[0].sku"},
			}
			for _, c := range cases {
				_, err := s.app.Stock.Put(ctx, "api", c.levels)
				ie, ok := invalid.First(err)
				if !ok || ie.Field != c.field {
					t.Errorf("%+v: error %v, want one about %s", c.levels, err, c.field)
				}
			}
			if _, err := s.app.Stock.Get(ctx, "A"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a refused batch left a row: %v", err)
			}
		})
	}
}

func TestPutCountsAndReplacesIncoming(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newStockShop(t, engine)
			res := s.put(stock.Level{SKU: "A", Name: "Pot", OnHand: 3, Incoming: []stock.Incoming{{Qty: 5, Date: "2026-12-10"}, {Qty: 2, Date: "2026-12-01"}}},
				stock.Level{SKU: "B", OnHand: 0})
			if res != (stock.PutResult{Created: 2}) {
				t.Errorf("first put: %+v", res)
			}
			res = s.put(stock.Level{SKU: "A", OnHand: 3, Incoming: []stock.Incoming{{Qty: 2, Date: "2026-12-01"}, {Qty: 5, Date: "2026-12-10"}}},
				stock.Level{SKU: "B", OnHand: 4})
			if res != (stock.PutResult{Updated: 1, Unchanged: 1}) {
				t.Errorf("second put: %+v", res)
			}
			a := s.level("A")
			if a.Name != "Pot" || a.OnHand != 3 || a.Available != 3 || len(a.Incoming) != 2 || a.Incoming[0].Date != "2026-12-01" {
				t.Errorf("A = %+v", a)
			}
			s.put(stock.Level{SKU: "A", OnHand: 3, Incoming: []stock.Incoming{{Qty: 1, Date: "2026-12-20"}}})
			if a = s.level("A"); len(a.Incoming) != 1 || a.Incoming[0] != (stock.Incoming{Qty: 1, Date: "2026-12-20"}) {
				t.Errorf("incoming not replaced: %+v", a.Incoming)
			}
			if av, ok := s.app.Stock.Available("B"); !ok || av.Available != 4 {
				t.Errorf("Available(B) = %+v, %v", av, ok)
			}
			if av, ok := s.app.Stock.Available("A"); !ok || av.NextOn != calendar.MustParseDay("2026-12-20") {
				t.Errorf("Available(A) = %+v, %v", av, ok)
			}
			if _, ok := s.app.Stock.Available("NOPE"); ok {
				t.Error("an untracked SKU is tracked")
			}
			page, next, err := s.app.Stock.List(context.Background(), stock.ListParams{Limit: 1})
			if err != nil || len(page) != 1 || page[0].SKU != "A" || next != "A" {
				t.Errorf("List = %+v, %q, %v", page, next, err)
			}
		})
	}
}

func TestReserveHoldsWhatIsAvailableAndDatesTheRest(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newStockShop(t, engine)
			s.put(stock.Level{SKU: "POT", OnHand: 3, Incoming: []stock.Incoming{{Qty: 2, Date: "2026-12-01"}, {Qty: 10, Date: "2026-12-15"}}})
			o1, o2, o3 := s.order(), s.order(), s.order()
			h := s.reserve(o1, stock.Line{SKU: "POT", Qty: 2}, stock.Line{SKU: "POT", Qty: 2}, stock.Line{SKU: "UNTRACKED", Qty: 1})
			if len(h) != 1 || h[0].Qty != 4 || h[0].Held != 3 || h[0].ExpectedOn != calendar.MustParseDay("2026-12-01") {
				t.Fatalf("first order: %+v", h)
			}
			// The first delivery covers o1's missing unit and one of o2's
			// two: o2 waits for the second.
			h = s.reserve(o2, stock.Line{SKU: "POT", Qty: 2})
			if h[0].Held != 0 || h[0].ExpectedOn != calendar.MustParseDay("2026-12-15") {
				t.Errorf("second order: %+v", h)
			}
			// Beyond every delivery: the restock estimate, 5 working days
			// after Monday 23 November 2026 is Monday 30 November.
			h = s.reserve(o3, stock.Line{SKU: "POT", Qty: 20})
			if h[0].ExpectedOn != calendar.MustParseDay("2026-11-30") {
				t.Errorf("third order: %+v", h)
			}
			if again := s.reserve(o1, stock.Line{SKU: "POT", Qty: 4}); len(again) != 1 || again[0].Held != 3 {
				t.Errorf("reserving again: %+v", again)
			}
			l := s.level("POT")
			if l.OnHand != 3 || l.Reserved != 3 || l.Available != 0 || l.Waiting != 1+2+20 {
				t.Errorf("level = %+v", l)
			}
			if av, _ := s.app.Stock.Available("POT"); av.Available != 0 {
				t.Errorf("cache: %+v", av)
			}
			page, _, err := s.app.Stock.List(context.Background(), stock.ListParams{Short: true})
			if err != nil || len(page) != 1 {
				t.Errorf("short list: %+v %v", page, err)
			}
		})
	}
}

func TestLifecycleShipsReleasesAndFillsOldestFirst(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newStockShop(t, engine)
			s.put(stock.Level{SKU: "POT", OnHand: 4})
			o1, o2, o3, o4 := s.order(), s.order(), s.order(), s.order()
			s.reserve(o1, stock.Line{SKU: "POT", Qty: 2})
			s.reserve(o2, stock.Line{SKU: "POT", Qty: 2})
			s.reserve(o3, stock.Line{SKU: "POT", Qty: 1})
			s.reserve(o4, stock.Line{SKU: "POT", Qty: 1})

			// o1 ships: its two units leave on hand and reserved.
			s.move(o1, order.Shipped)
			if l := s.level("POT"); l.OnHand != 2 || l.Reserved != 2 {
				t.Fatalf("after shipping: %+v", l)
			}
			s.move(o1, order.Delivered) // idempotent: nothing more leaves
			s.drain()
			if l := s.level("POT"); l.OnHand != 2 || l.Reserved != 2 {
				t.Fatalf("after delivery: %+v", l)
			}
			// o2 is cancelled: its units go to o3, then o4 (oldest first).
			s.move(o2, order.Cancelled)
			if _, h := held(s.holds(o3), "POT"); h != 1 {
				t.Errorf("o3 holds %d", h)
			}
			if _, h := held(s.holds(o4), "POT"); h != 1 {
				t.Errorf("o4 holds %d", h)
			}
			if l := s.level("POT"); l.OnHand != 2 || l.Reserved != 2 || l.Waiting != 0 {
				t.Errorf("after cancel: %+v", l)
			}
			filled := s.events(event.StockFilled)
			if len(filled[o3]) != 1 || len(filled[o4]) != 1 {
				t.Errorf("stock.filled: %v", filled)
			}
			// On hand drops to 1: the newest order (o4) loses its unit.
			s.put(stock.Level{SKU: "POT", OnHand: 1})
			if _, h := held(s.holds(o4), "POT"); h != 0 {
				t.Errorf("o4 holds %d after the drop", h)
			}
			if _, h := held(s.holds(o3), "POT"); h != 1 {
				t.Errorf("o3 holds %d after the drop", h)
			}
			short := s.events(event.StockShort)
			if len(short[o4]) != 1 || len(short[o3]) != 0 {
				t.Errorf("stock.short: %v", short)
			}
			// A delivery comes in: o4 is served.
			s.put(stock.Level{SKU: "POT", OnHand: 5})
			if _, h := held(s.holds(o4), "POT"); h != 1 {
				t.Errorf("o4 holds %d after the delivery", h)
			}
			if l := s.level("POT"); l.Available != 3 {
				t.Errorf("after the delivery: %+v", l)
			}
			if av, _ := s.app.Stock.Available("POT"); av.Available != 3 {
				t.Errorf("cache after the delivery: %+v", av)
			}
		})
	}
}

func TestHistoryIsIgnored(t *testing.T) {
	t.Parallel()
	s := newStockShop(t, store.SQLite)
	s.put(stock.Level{SKU: "POT", OnHand: 2})
	o := s.order()
	s.reserve(o, stock.Line{SKU: "POT", Qty: 2})
	err := s.app.DB.InTx(context.Background(), func(tx *store.Tx) error {
		return s.app.Stock.HandleEvents(context.Background(), tx, []journal.Event{{Kind: journal.OrderStatusChanged, OrderID: o, History: true,
			Payload: journal.MustPayload(event.OrderStatusChangedPayload{From: "new", To: "cancelled"})}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if l := s.level("POT"); l.Reserved != 2 {
		t.Errorf("history released stock: %+v", l)
	}
}

// TestConcurrentOrdersNeverHoldMoreThanOnHand: many goroutines order the
// same SKU at once; what they hold never passes on hand, and every unit
// on hand is held by someone.
func TestConcurrentOrdersNeverHoldMoreThanOnHand(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newStockShop(t, engine)
			const onHand, orders = 25, 40
			s.put(stock.Level{SKU: "POT", OnHand: onHand})
			ids := make([]int64, orders)
			for i := range ids {
				ids[i] = s.order()
			}
			var wg sync.WaitGroup
			errs := make(chan error, orders)
			for i, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := s.app.DB.InTx(context.Background(), func(tx *store.Tx) error {
						_, err := s.app.Stock.Reserve(context.Background(), tx, id, []stock.Line{{SKU: "POT", Qty: 1 + i%2}}, s.clock.Now())
						return err
					})
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			total := 0
			for _, id := range ids {
				_, h := held(s.holds(id), "POT")
				total += h
			}
			l := s.level("POT")
			if total != onHand || l.Reserved != onHand || l.Available != 0 {
				t.Errorf("held %d in all, level %+v; want %d held", total, l, onHand)
			}
			// Cancel half: what comes back is held again, never more.
			for _, id := range ids[:orders/2] {
				s.move(id, order.Cancelled)
			}
			total = 0
			for _, id := range ids {
				_, h := held(s.holds(id), "POT")
				total += h
			}
			if l = s.level("POT"); l.Reserved > l.OnHand || total != l.Reserved {
				t.Errorf("after cancelling: held %d, level %+v", total, l)
			}
			if !slices.ContainsFunc(ids, func(id int64) bool { return len(s.holds(id)) > 0 }) {
				t.Error("no holds")
			}
		})
	}
}
