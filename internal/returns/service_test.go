package returns_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/returns"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// msk is a Moscow wall-clock time, the default shop's zone.
func msk(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s+"+03:00")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shop is a test shop with two customers' orders: Anna's delivered on
// Thursday 26 November 2026 at 18:10 shop time (two lines, 3 pots and a
// lid), her shipped one, and Boris's delivered one.
type shop struct {
	app                       *app.App
	clock                     *clock.Fake
	anna, boris               int64 // customers
	delivered, shipped, other int64 // orders
}

func newShop(t *testing.T, engine store.Engine, yaml ...string) *shop {
	t.Helper()
	a, clk := apptest.New(t, engine, false, yaml...)
	ctx := context.Background()
	create := func(ext string, c customer.Input, items ...order.Item) *order.Order {
		t.Helper()
		n := order.NewOrder{ExternalID: ext, Customer: c, Carrier: "courier", Items: items}
		o := apptest.Order(t, a, n)
		return o
	}
	move := func(id int64, at string, s order.Status) {
		t.Helper()
		clk.Set(msk(t, at))
		if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: s, At: msk(t, at), Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	anna := customer.Input{ExternalID: "c-1", Name: "Анна Орлова", Email: "anna@example.com", Language: "ru"}
	boris := customer.Input{ExternalID: "c-2", Name: "Boris Ozols", Email: "boris@example.lv", Language: "lv"}
	d := create("R-1", anna, order.Item{SKU: "POT", Name: "Кастрюля", Qty: 3, PriceMinor: 249000},
		order.Item{SKU: "LID", Name: "Крышка", Qty: 1, PriceMinor: 9900})
	sh := create("R-2", anna, order.Item{SKU: "PAN", Name: "Сковорода", Qty: 1, PriceMinor: 99000})
	o := create("B-1", boris, order.Item{SKU: "PAN", Name: "Panna", Qty: 1, PriceMinor: 99000})
	for _, id := range []int64{d.ID, o.ID} {
		move(id, "2026-11-24T10:00:00", order.Shipped)
		move(id, "2026-11-26T18:10:00", order.Delivered)
	}
	move(sh.ID, "2026-11-26T19:00:00", order.Shipped)
	return &shop{app: a, clock: clk, anna: d.CustomerID, boris: o.CustomerID, delivered: d.ID, shipped: sh.ID, other: o.ID}
}

// count counts the rows a query finds.
func (s *shop) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.app.DB.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rows counts the return requests, their lines, the return tasks and the
// return events.
func (s *shop) rows(t *testing.T) [4]int {
	t.Helper()
	return [4]int{
		s.count(t, `SELECT COUNT(*) FROM return_requests`),
		s.count(t, `SELECT COUNT(*) FROM return_request_items`),
		s.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'return_request'`),
		s.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'order.return_requested'`),
	}
}

// TestReturnWindowEdges: the window counts from the shop-local delivery
// day on the business clock; day 14 is in, day 15 is out and says until
// when returns were open; an order not delivered and a shop with no
// window are refused.
func TestReturnWindowEdges(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			off := newShop(t, engine, "returns:\n  window_days: 0\n")
			ctx := context.Background()
			tests := []struct {
				name    string
				shop    *shop
				order   func(*shop) int64
				at      string
				wantErr error
				until   string
			}{
				{"day 14, late evening", s, func(s *shop) int64 { return s.delivered }, "2026-12-10T23:59:00", nil, ""},
				{"day 15, just after midnight", s, func(s *shop) int64 { return s.delivered }, "2026-12-11T00:01:00", &returns.ClosedError{}, "2026-12-10"},
				{"not delivered", s, func(s *shop) int64 { return s.shipped }, "2026-11-30T12:00:00", returns.ErrNotDelivered, ""},
				{"no window", off, func(s *shop) int64 { return s.delivered }, "2026-11-27T12:00:00", &returns.ClosedError{}, ""},
			}
			for _, tc := range tests {
				tc.shop.clock.Set(msk(t, tc.at))
				before := tc.shop.rows(t)
				o, err := tc.shop.app.Orders.Get(ctx, tc.order(tc.shop))
				if err != nil {
					t.Fatal(err)
				}
				f, err := tc.shop.app.Returns.Form(ctx, o)
				if err != nil {
					t.Fatal(err)
				}
				_, err = tc.shop.app.Returns.Create(ctx, returns.Input{OrderID: o.ID, CustomerID: o.CustomerID,
					Qty: map[int]int64{1: 1}, Reason: "damaged"})
				var closed *returns.ClosedError
				switch {
				case tc.wantErr == nil:
					if err != nil || !f.Window.Open {
						t.Errorf("%s: %v, form open %t, want taken", tc.name, err, f.Window.Open)
					}
				case errors.As(tc.wantErr, &closed):
					if !errors.As(err, &closed) || closed.Until != tc.until || f.Window.Open || f.Window.Until != tc.until {
						t.Errorf("%s: %v (form %+v), want closed until %q", tc.name, err, f.Window, tc.until)
					}
				default:
					if !errors.Is(err, tc.wantErr) || f.Window.Delivered {
						t.Errorf("%s: %v (form %+v), want %v", tc.name, err, f.Window, tc.wantErr)
					}
				}
				if tc.wantErr != nil && tc.shop.rows(t) != before {
					t.Errorf("%s: refused, yet rows went from %v to %v", tc.name, before, tc.shop.rows(t))
				}
			}
			// A delivered order that came back whole: nothing to return.
			s.clock.Set(msk(t, "2026-11-28T12:00:00"))
			if _, err := s.app.Orders.ChangeStatus(ctx, s.other, order.StatusUpdate{Status: order.Returned, At: s.clock.Now(), Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			o, err := s.app.Orders.Get(ctx, s.other)
			if err != nil {
				t.Fatal(err)
			}
			f, err := s.app.Returns.Form(ctx, o)
			if err != nil || !f.Window.Returned || f.Window.Delivered || f.Window.Open {
				t.Errorf("a returned order's window: %+v, %v", f.Window, err)
			}
			if _, err := s.app.Returns.Create(ctx, returns.Input{OrderID: o.ID, CustomerID: o.CustomerID, Qty: map[int]int64{1: 1},
				Reason: "damaged"}); !errors.Is(err, returns.ErrNotDelivered) {
				t.Errorf("returning a returned order: %v", err)
			}
		})
	}
}

// TestReturnQuantitiesAndValidation: a form is checked whole against the
// order's lines less earlier requests; any problem names its field and
// leaves no row; another customer's order is not found.
func TestReturnQuantitiesAndValidation(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			s.clock.Set(msk(t, "2026-11-30T12:00:00"))
			ctx := context.Background()
			first, err := s.app.Returns.Create(ctx, returns.Input{OrderID: s.delivered, CustomerID: s.anna,
				Qty: map[int]int64{1: 2, 2: 0}, Reason: "did_not_fit", Comment: "  малы\x00  ", FormID: "f1"})
			if err != nil {
				t.Fatal(err)
			}
			if len(first.Lines) != 1 || first.Lines[0] != (returns.Line{Line: 1, SKU: "POT", Name: "Кастрюля", Qty: 2}) || first.Comment != "малы" {
				t.Fatalf("first request %+v", first)
			}
			before := s.rows(t)
			if before != [4]int{1, 1, 1, 1} {
				t.Fatalf("after one request: %v", before)
			}
			tests := []struct {
				name  string
				in    returns.Input
				field string
			}{
				{"more than left", returns.Input{Qty: map[int]int64{1: 2}, Reason: "damaged"}, "qty_1"},
				{"a line the order lacks", returns.Input{Qty: map[int]int64{3: 1}, Reason: "damaged"}, "qty_3"},
				{"line zero", returns.Input{Qty: map[int]int64{0: 1}, Reason: "damaged"}, "qty_0"},
				{"negative", returns.Input{Qty: map[int]int64{2: -1}, Reason: "damaged"}, "qty_2"},
				{"nothing chosen", returns.Input{Qty: map[int]int64{1: 0}, Reason: "damaged"}, "items"},
				{"no reason", returns.Input{Qty: map[int]int64{2: 1}}, "reason"},
				{"unknown reason", returns.Input{Qty: map[int]int64{2: 1}, Reason: "bored"}, "reason"},
				{"other without words", returns.Input{Qty: map[int]int64{2: 1}, Reason: "other", Comment: " \n "}, "comment"},
				{"comment too long", returns.Input{Qty: map[int]int64{2: 1}, Reason: "damaged", Comment: strings.Repeat("я", returns.MaxComment+1)}, "comment"},
			}
			for _, tc := range tests {
				tc.in.OrderID, tc.in.CustomerID = s.delivered, s.anna
				_, err := s.app.Returns.Create(ctx, tc.in)
				var list invalid.List
				if !errors.As(err, &list) || len(list) == 0 {
					t.Errorf("%s: %v, want a form to correct", tc.name, err)
					continue
				}
				if e, _ := invalid.First(err); e.Field != tc.field {
					t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
				}
			}
			if _, err := s.app.Returns.Create(ctx, returns.Input{OrderID: s.other, CustomerID: s.anna,
				Qty: map[int]int64{1: 1}, Reason: "damaged"}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Anna returning Boris's order: %v, want not found", err)
			}
			if got := s.rows(t); got != before {
				t.Errorf("refused forms changed the rows from %v to %v", before, got)
			}
			// The last unit of line 1 and the lid are still hers to return.
			if _, err := s.app.Returns.Create(ctx, returns.Input{OrderID: s.delivered, CustomerID: s.anna,
				Qty: map[int]int64{1: 1, 2: 1}, Reason: "other", Comment: "передумала"}); err != nil {
				t.Fatal(err)
			}
			o, err := s.app.Orders.Get(ctx, s.delivered)
			if err != nil {
				t.Fatal(err)
			}
			f, err := s.app.Returns.Form(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if f.Any() || len(f.Requests) != 2 || f.Lines[0].Requested != 3 || f.Lines[1].Left() != 0 {
				t.Errorf("after returning everything: %+v", f)
			}
		})
	}
}

// TestReturnWritesTaskAndEvent: one request writes its task and its
// event in the same transaction, and the same form posted again finds
// the first request instead of making a twin; the closed task makes the
// request handled; an erasure blanks the comment.
func TestReturnWritesTaskAndEvent(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			s.clock.Set(msk(t, "2026-11-30T12:00:00"))
			ctx := context.Background()
			in := returns.Input{OrderID: s.delivered, CustomerID: s.anna, Qty: map[int]int64{1: 1, 2: 1},
				Reason: "damaged", Comment: "крышка треснула", FormID: "form-1"}
			r, err := s.app.Returns.Create(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			again, err := s.app.Returns.Create(ctx, in)
			if err != nil || again.ID != r.ID {
				t.Fatalf("the same form again: %+v, %v; want request %d", again, err, r.ID)
			}
			if got := s.rows(t); got != [4]int{1, 2, 1, 1} {
				t.Fatalf("rows %v, want one request of two lines, one task, one event", got)
			}
			ts, err := s.app.Tasks.ListByOrder(ctx, s.delivered)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, tk := range ts {
				if tk.Kind == task.ReturnRequest {
					found = true
					if tk.Status != task.Open || tk.CustomerID != s.anna || tk.Note != "Кастрюля × 1, Крышка × 1" {
						t.Errorf("task %+v", tk)
					}
				}
			}
			if !found {
				t.Errorf("no return task among %+v", ts)
			}
			var raw string
			var orderID, customerID int64
			err = s.app.DB.Read().QueryRow(ctx, `SELECT order_id, customer_id, payload FROM events WHERE kind = 'order.return_requested'`).
				Scan(&orderID, &customerID, &raw)
			if err != nil {
				t.Fatal(err)
			}
			var p event.OrderReturnRequestedPayload
			if err := (journal.Event{Kind: journal.OrderReturnRequested, Payload: []byte(raw)}).Decode(&p); err != nil {
				t.Fatal(err)
			}
			want := event.OrderReturnRequestedPayload{RequestID: r.ID, Reason: "damaged", Lines: 2, Units: 2, DeliveredOn: "2026-11-26", DaysSinceDelivery: 4}
			if p != want || orderID != s.delivered || customerID != s.anna {
				t.Errorf("event of order %d, customer %d: %+v, want %+v", orderID, customerID, p, want)
			}
			if strings.Contains(raw, "крышка") {
				t.Errorf("the event carries the customer's words: %s", raw)
			}

			// The operator closes the task: the request reads handled.
			var taskID int64
			for _, tk := range ts {
				if tk.Kind == task.ReturnRequest {
					taskID = tk.ID
				}
			}
			if _, err := s.app.Tasks.Resolve(ctx, taskID, task.ReturnRequest, "operator@shop.test", s.clock.Now()); err != nil {
				t.Fatal(err)
			}
			reqs, err := s.app.Returns.ListByOrder(ctx, s.delivered)
			if err != nil || len(reqs) != 1 || reqs[0].State != returns.Handled || reqs[0].Comment != "крышка треснула" {
				t.Fatalf("after the task: %+v, %v", reqs, err)
			}

			// Erasing Anna blanks her words and keeps the request.
			res, err := s.app.Orders.EraseCustomer(ctx, s.anna, true, order.SourceAPI, returns.ErasePersonal)
			if err != nil || res.Rows["return_comments"] != 1 {
				t.Fatalf("erase: %+v, %v", res, err)
			}
			if reqs, err = s.app.Returns.ListByOrder(ctx, s.delivered); err != nil || len(reqs) != 1 || reqs[0].Comment != "" || reqs[0].Units() != 2 {
				t.Errorf("after the erasure: %+v, %v", reqs, err)
			}
			res, err = s.app.Orders.EraseCustomer(ctx, s.boris, true, order.SourceAPI, returns.ErasePersonal)
			if _, ok := res.Rows["return_comments"]; err != nil || ok {
				t.Errorf("erasing a customer without returns: %+v, %v", res.Rows, err)
			}
		})
	}
}
