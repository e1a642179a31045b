package experience_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// shop is a test shop: Anna with two orders, Boris with one.
type shop struct {
	app         *app.App
	clock       *clock.Fake
	anna, boris int64
	a1, a2, b1  int64
}

func newShop(t *testing.T, engine store.Engine) *shop {
	t.Helper()
	a, clk := apptest.New(t, engine, false)
	create := func(ext string, c customer.Input) *order.Order {
		t.Helper()
		n := order.NewOrder{ExternalID: ext, Customer: c, Carrier: "courier",
			Items: []order.Item{{SKU: "TEA", Name: "Чай", Qty: 1, PriceMinor: 99000}}}
		o := apptest.Order(t, a, n)
		return o
	}
	anna := customer.Input{ExternalID: "c-1", Name: "Анна Орлова", Email: "anna@example.com", Language: "ru"}
	boris := customer.Input{ExternalID: "c-2", Name: "Boris Ozols", Email: "boris@example.lv", Language: "lv"}
	o1, o2, o3 := create("E-1", anna), create("E-2", anna), create("E-3", boris)
	drain(t, a)
	return &shop{app: a, clock: clk, anna: o1.CustomerID, boris: o3.CustomerID, a1: o1.ID, a2: o2.ID, b1: o3.ID}
}

func drain(t *testing.T, a *app.App) {
	t.Helper()
	if _, err := a.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (s *shop) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.app.DB.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (s *shop) append(t *testing.T, events ...journal.Event) {
	t.Helper()
	err := s.app.DB.InTx(context.Background(), func(tx *store.Tx) error { return s.app.Journal.Append(context.Background(), tx, events...) })
	if err != nil {
		t.Fatal(err)
	}
}

// TestRegisterFromJournal: each event that tells of a bad moment makes
// one row of the right kind, however often it is told; a cancellation the
// customer made is no bad moment; experience.recorded counts the window;
// the second bad moment opens one service-recovery task, the third none.
func TestRegisterFromJournal(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			ctx := context.Background()
			now := s.clock.Now()
			late := journal.Event{Kind: journal.OrderLate, OrderID: s.a1, CustomerID: s.anna, OccurredAt: now,
				Payload: journal.MustPayload(event.OrderLatePayload{PromisedTo: "2026-11-20", DaysLate: 3, Status: "shipped"})}
			s.append(t, late)
			drain(t, s.app)
			s.append(t, late) // told twice
			drain(t, s.app)
			// Boris cancels himself: nothing. The shop cancels Anna's second.
			if _, err := s.app.Orders.ChangeStatus(ctx, s.b1, order.StatusUpdate{Status: order.Cancelled, Source: order.SourceCustomer}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.app.Orders.ChangeStatus(ctx, s.a2, order.StatusUpdate{Status: order.Cancelled, Source: order.SourceAdmin}); err != nil {
				t.Fatal(err)
			}
			drain(t, s.app)
			s.append(t,
				journal.Event{Kind: journal.ExperienceNegative, CustomerID: s.anna, OccurredAt: now,
					Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: "unanswered", ConversationID: 7})},
				journal.Event{Kind: journal.ExperienceNegative, CustomerID: s.boris, OccurredAt: now,
					Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: "low_score", SurveyID: 3})},
				journal.Event{Kind: journal.ExperienceNegative, CustomerID: s.boris, OrderID: s.b1, OccurredAt: now,
					Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: "wrong_number", TaskID: 9})},
				journal.Event{Kind: journal.ExperienceNegative, CustomerID: s.boris, OrderID: s.b1, OccurredAt: now,
					Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: "unreachable", MessageID: 21})},
				journal.Event{Kind: journal.ExperienceNegative, CustomerID: s.boris, OccurredAt: now,
					Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: "something_else"})},
			)
			drain(t, s.app)
			drain(t, s.app) // the experience.recorded events, for the playbook
			anna, err := s.app.Experiences.ListByCustomer(ctx, s.anna)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[experience.Kind]int{}
			for _, x := range anna {
				kinds[x.Kind]++
			}
			if len(anna) != 3 || kinds[experience.LateDelivery] != 1 || kinds[experience.CancelledByShop] != 1 || kinds[experience.UnansweredMessage] != 1 {
				t.Errorf("Anna's register: %+v", anna)
			}
			boris, err := s.app.Experiences.ListByCustomer(ctx, s.boris)
			if err != nil {
				t.Fatal(err)
			}
			kinds = map[experience.Kind]int{}
			for _, x := range boris {
				kinds[x.Kind]++
			}
			if len(boris) != 3 || kinds[experience.LowScore] != 1 || kinds[experience.MissedCallback] != 1 || kinds[experience.Unreachable] != 1 {
				t.Errorf("Boris's register: %+v", boris)
			}
			if got := s.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'experience.recorded'`); got != 6 {
				t.Errorf("%d experience.recorded events, want 6", got)
			}
			if got := s.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'experience.recorded' AND payload LIKE '%"count":3%'`); got != 2 {
				t.Errorf("%d third-in-the-window events, want 2", got)
			}
			// One service-recovery task each: at the second, not again at
			// the third.
			if got := s.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'service_recovery' AND customer_id = $1`, s.anna); got != 1 {
				t.Errorf("%d service-recovery tasks for Anna, want 1", got)
			}
			if got := s.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'service_recovery'`); got != 2 {
				t.Errorf("%d service-recovery tasks, want 2", got)
			}
		})
	}
}

// TestBrokenPromise: a re-promise later than the first promise is a
// broken promise, once per order; a promise moved later after one moved
// earlier, still not past the first, is not.
func TestBrokenPromise(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			now := s.clock.Now()
			move := func(orderID int64, from, to string) {
				t.Helper()
				old, fresh := promise.Stored{DeliveryTo: from}, promise.Stored{DeliveryTo: to}
				err := s.app.DB.InTx(context.Background(), func(tx *store.Tx) error {
					if err := promise.RecordChanges(context.Background(), tx, []promise.Change{{OrderID: orderID, Reason: "carrier_changed",
						Old: old, New: fresh, ChangedAt: now}}); err != nil {
						return err
					}
					return s.app.Journal.Append(context.Background(), tx, journal.Event{Kind: journal.OrderPromiseChanged, OrderID: orderID,
						CustomerID: s.anna, OccurredAt: now, Payload: journal.MustPayload(event.OrderPromiseChangedPayload{Reason: "carrier_changed",
							Old: event.PromiseDates{DeliveryTo: from}, New: event.PromiseDates{DeliveryTo: to}})})
				})
				if err != nil {
					t.Fatal(err)
				}
				drain(t, s.app)
			}
			// Order 1: 28th → 26th → 27th: never past the first.
			move(s.a1, "2026-11-28", "2026-11-26")
			move(s.a1, "2026-11-26", "2026-11-27")
			// Order 2: 28th → 30th → 2nd: one broken promise.
			move(s.a2, "2026-11-28", "2026-11-30")
			move(s.a2, "2026-11-30", "2026-12-02")
			list, err := s.app.Experiences.ListByCustomer(context.Background(), s.anna)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].Kind != experience.BrokenPromise || list[0].OrderID != s.a2 ||
				list[0].Detail != "promised_to=2026-11-28;now=2026-11-30" {
				t.Errorf("register: %+v", list)
			}
		})
	}
}

// TestResolve: a resolution needs a note and a sane amount, and writes
// nothing otherwise; it resolves once; another customer's row is not
// found; erasing the customer clears the note and keeps the row.
func TestResolve(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			ctx := context.Background()
			ids, err := s.app.Experiences.Record(ctx, experience.Entry{CustomerID: s.anna, OrderID: s.a1, Kind: experience.LateDelivery,
				Ref: "order:1", At: s.clock.Now()})
			if err != nil || len(ids) != 1 {
				t.Fatalf("record: %v %v", ids, err)
			}
			id := ids[0]
			bad := []experience.Resolution{{Note: "  "}, {Note: "ok", CompensationMinor: -1}, {Note: "a\x00b"},
				{Note: string(make([]rune, 1001))}}
			for _, r := range bad {
				_, err := s.app.Experiences.Resolve(ctx, s.anna, id, r)
				var list invalid.List
				if !errors.As(err, &list) {
					t.Errorf("resolution %+v: %v, want field errors", r, err)
				}
			}
			if got := s.count(t, `SELECT COUNT(*) FROM negative_experiences WHERE resolved_at IS NOT NULL`); got != 0 {
				t.Fatalf("%d resolved after bad input", got)
			}
			if _, err := s.app.Experiences.Resolve(ctx, s.boris, id, experience.Resolution{Note: "чужой"}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("another customer's row: %v", err)
			}
			x, err := s.app.Experiences.Resolve(ctx, s.anna, id, experience.Resolution{Note: "Позвонили Анне, извинились", CompensationMinor: 50000, By: "op@shop"})
			if err != nil || x.Open() || x.CompensationMinor != 50000 || x.ResolvedBy != "op@shop" {
				t.Fatalf("resolve: %+v %v", x, err)
			}
			if _, err := s.app.Experiences.Resolve(ctx, s.anna, id, experience.Resolution{Note: "again"}); !errors.Is(err, experience.ErrResolved) {
				t.Errorf("second resolve: %v", err)
			}
			err = s.app.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := experience.ErasePersonal(ctx, tx, s.anna, time.Time{})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := s.app.Experiences.Get(ctx, id); err != nil || got.Resolution != "" || got.Kind != experience.LateDelivery {
				t.Errorf("after erasure: %+v %v", got, err)
			}
		})
	}
}

// TestWorth: every customer who bought is in one group by their count of
// negative experiences; a bad query names its field.
func TestWorth(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine)
			ctx := context.Background()
			now := s.clock.Now()
			_, err := s.app.Experiences.Record(ctx,
				experience.Entry{CustomerID: s.anna, Kind: experience.LateDelivery, Ref: "order:1", At: now.Add(-48 * time.Hour)},
				experience.Entry{CustomerID: s.anna, Kind: experience.LowScore, Ref: "survey:1", At: now},
				experience.Entry{CustomerID: s.boris, Kind: experience.Unreachable, Ref: "order:3", At: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			w, err := s.app.Experiences.Worth(ctx, experience.WorthQuery{})
			if err != nil {
				t.Fatal(err)
			}
			buyers := s.count(t, `SELECT COUNT(*) FROM customers WHERE purchases > 0`)
			var total int64
			for _, g := range w.Groups {
				total += g.Customers
			}
			if total != int64(buyers) || len(w.Groups) != 3 || len(w.Kinds) != len(experience.Kinds()) {
				t.Errorf("worth %+v over %d buyers", w, buyers)
			}
			// Anna (two orders, placed after her first bad moment) has
			// several; Boris one, after his only order.
			if g := w.Groups[2]; g.Customers != 1 || g.Repeaters != 1 || g.BoughtAfter != 1 || w.Groups[0].Customers != 0 ||
				w.Groups[1].Customers != 1 || w.Groups[1].BoughtAfter != 0 {
				t.Errorf("groups %+v", w.Groups)
			}
			if w.Kinds[0].Kind != experience.LateDelivery || w.Kinds[0].Count != 1 {
				t.Errorf("kinds %+v", w.Kinds)
			}
			q, err := experience.ParseWorthQuery("2026-11-22", "2026-11-23", "low_score", time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if w, err = s.app.Experiences.Worth(ctx, q); err != nil || w.Kinds[4].Count != 1 || w.Kinds[0].Count != 0 || w.Groups[1].Customers != 1 {
				t.Errorf("narrowed worth %+v %v", w.Kinds, err)
			}
			for _, bad := range [][3]string{{"2026-13-01", "", ""}, {"", "x", ""}, {"2026-11-02", "2026-11-01", ""}, {"", "", "rude"}} {
				_, err := experience.ParseWorthQuery(bad[0], bad[1], bad[2], time.UTC)
				var list invalid.List
				if !errors.As(err, &list) || list[0].Field == "" {
					t.Errorf("%q: %v, want a field error", bad, err)
				}
			}
		})
	}
}
