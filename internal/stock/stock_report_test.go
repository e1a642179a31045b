package stock

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// reportShop is a shop's stock written by test SQL: three tracked SKUs,
// one untracked one an order still waits for, four orders (one
// cancelled) and a waitlist.
type reportShop struct {
	svc    *Service
	orders map[string]int64 // by number
	t0     time.Time
}

func newReportShop(t *testing.T, engine store.Engine) reportShop {
	t.Helper()
	ctx := context.Background()
	db, _ := storetest.OpenTest(t, engine)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	sh := reportShop{svc: New(service.Deps{DB: db, Clock: clock.NewFake(t0), Log: slog.New(slog.DiscardHandler)}, Params{}),
		orders: map[string]int64{}, t0: t0}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for _, it := range []struct {
			sku, name        string
			onHand, reserved int
		}{{"POT-1", "Кастрюля", 3, 3}, {"PAN-2", "Сковородка", 5, 1}, {"LID-3", "Lid 100% steel", 0, 0}} {
			exec(`INSERT INTO stock_items (sku, name, on_hand, reserved, source, updated_at) VALUES ($1, $2, $3, $4, 'api', $5)`,
				it.sku, it.name, it.onHand, it.reserved, t0)
		}
		exec(`INSERT INTO stock_incoming (sku, qty, expected_on, created_at) VALUES ('POT-1', 4, '2026-12-10', $1)`, t0)
		exec(`INSERT INTO stock_incoming (sku, qty, expected_on, created_at) VALUES ('POT-1', 2, '2026-12-04', $1)`, t0)
		var cust [2]int64
		for i, name := range []string{"Андрей Петров", "Līga"} {
			if err := tx.QueryRow(ctx, `INSERT INTO customers (name, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id`,
				name, t0).Scan(&cust[i]); err != nil {
				t.Fatal(err)
			}
		}
		for i, o := range []struct {
			number string
			cust   int
			status string
		}{{"A-1", 0, "new"}, {"A-2", 1, "new"}, {"A-3", 0, "processing"}, {"A-4", 1, "cancelled"}} {
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at)
				VALUES ($1, $2, $3, 100, 'EUR', $4, $4, $4) RETURNING id`, o.number, cust[o.cust], o.status,
				t0.Add(time.Duration(i)*time.Hour)).Scan(&id); err != nil {
				t.Fatal(err)
			}
			sh.orders[o.number] = id
		}
		line := func(number, sku, name string, qty, held int, status string, expected any, at time.Time) {
			exec(`INSERT INTO stock_reservations (order_id, sku, name, qty, held, status, expected_on, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, sh.orders[number], sku, name, qty, held, status, expected, at)
		}
		// A-1 (oldest) holds 2 pots and waits for 1, expected on the 4th,
		// and waits for 2 of an untracked kettle with no day known.
		line("A-1", "POT-1", "Pot", 3, 2, "open", "2026-12-04", t0.Add(-72*time.Hour))
		line("A-1", "KETTLE", "Чайник", 2, 0, "open", nil, t0.Add(-72*time.Hour))
		// A-2 holds the last pot and waits for 2 more by the 10th.
		line("A-2", "POT-1", "Pot", 3, 1, "open", "2026-12-10", t0.Add(-24*time.Hour))
		// A-3 holds a pan: nothing waits.
		line("A-3", "PAN-2", "Pan", 1, 1, "open", nil, t0.Add(-2*time.Hour))
		// A-4 was cancelled: released lines count for nothing.
		line("A-4", "POT-1", "Pot", 5, 0, "released", nil, t0.Add(-96*time.Hour))
		for i, w := range []struct {
			sku          string
			told, cancel bool
		}{{"POT-1", false, false}, {"POT-1", false, true}, {"LID-3", true, false}, {"LID-3", false, false}} {
			var told, cancelled any
			if w.told {
				told = t0
			}
			if w.cancel {
				cancelled = t0
			}
			exec(`INSERT INTO stock_waitlist (sku, customer_id, created_at, told_at, cancelled_at) VALUES ($1, $2, $3, $4, $5)`,
				w.sku, cust[i%2], t0, told, cancelled)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestStockReportReads(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			sh := newReportShop(t, engine)

			items, more, err := sh.svc.Items(ctx, ItemFilter{})
			if err != nil || more {
				t.Fatalf("Items: more %v, %v", more, err)
			}
			var skus []string
			for _, it := range items {
				skus = append(skus, it.SKU)
			}
			if !slices.Equal(skus, []string{"LID-3", "PAN-2", "POT-1"}) {
				t.Fatalf("Items: %q, want the three SKUs in order", skus)
			}
			pot := items[2]
			if pot.OnHand != 3 || pot.Reserved != 3 || pot.Available != 0 || pot.Waiting != 3 || pot.Waitlist != 1 ||
				pot.IncomingQty() != 6 || pot.Incoming[0] != (Incoming{Qty: 2, Date: "2026-12-04"}) || pot.Source != "api" {
				t.Errorf("POT-1: %+v", pot)
			}
			if pan := items[1]; pan.Available != 4 || pan.Waiting != 0 || pan.Waitlist != 0 || len(pan.Incoming) != 0 {
				t.Errorf("PAN-2: %+v", pan)
			}
			if lid := items[0]; lid.Waitlist != 1 {
				t.Errorf("LID-3 waitlist: %d, want the one not yet told", lid.Waitlist)
			}

			// Paging and searching.
			page, more, err := sh.svc.Items(ctx, ItemFilter{Limit: 2})
			if err != nil || !more || len(page) != 2 {
				t.Fatalf("first page: %d, more %v, %v", len(page), more, err)
			}
			page, more, err = sh.svc.Items(ctx, ItemFilter{Limit: 2, After: page[1].SKU})
			if err != nil || more || len(page) != 1 || page[0].SKU != "POT-1" {
				t.Fatalf("second page: %+v, more %v, %v", page, more, err)
			}
			for q, want := range map[string][]string{
				"pot": {"POT-1"}, "кастрюля": {"POT-1"}, "сковор": {"PAN-2"}, "100%": {"LID-3"}, "0%": {"LID-3"}, "x%": nil, "x_y": nil,
			} {
				found, _, err := sh.svc.Items(ctx, ItemFilter{Query: q})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, it := range found {
					got = append(got, it.SKU)
				}
				if !slices.Equal(got, want) {
					t.Errorf("search %q: %q, want %q", q, got, want)
				}
			}

			one, err := sh.svc.Item(ctx, "POT-1")
			if err != nil || one.Waiting != 3 || len(one.Incoming) != 2 || one.Name != "Кастрюля" {
				t.Errorf("Item POT-1: %+v, %v", one, err)
			}
			if _, err := sh.svc.Item(ctx, "NOPE"); err == nil || !isNotFound(err) {
				t.Errorf("Item NOPE: %v, want not found", err)
			}

			shorts, err := sh.svc.Shortages(ctx, 10)
			if err != nil || len(shorts) != 2 {
				t.Fatalf("Shortages: %+v, %v", shorts, err)
			}
			if s := shorts[0]; s.SKU != "POT-1" || s.Waiting != 3 || s.Orders != 2 || !s.Tracked || s.Name != "Кастрюля" ||
				!s.Since.Equal(sh.t0.Add(-72*time.Hour)) || len(s.Incoming) != 2 {
				t.Errorf("the first shortage: %+v", s)
			}
			if s := shorts[1]; s.SKU != "KETTLE" || s.Waiting != 2 || s.Orders != 1 || s.Tracked || s.Name != "Чайник" {
				t.Errorf("the second shortage: %+v", s)
			}

			// By expected day: A-2 (all of it on the 10th) before A-1
			// (its kettle has no day).
			byDay, more, err := sh.svc.WaitingOrders(ctx, WaitingFilter{})
			if err != nil || more || len(byDay) != 2 {
				t.Fatalf("WaitingOrders: %+v, %v, %v", byDay, more, err)
			}
			if a2 := byDay[0]; a2.ExternalID != "A-2" || a2.CustomerName != "Līga" || a2.ExpectedOn != calendar.MustParseDay("2026-12-10") ||
				len(a2.Lines) != 1 || a2.Lines[0].Held != 1 {
				t.Errorf("first by day: %+v", a2)
			}
			if a1 := byDay[1]; a1.ExternalID != "A-1" || a1.ExpectedOn != 0 || len(a1.Lines) != 2 || a1.Lines[0].SKU != "KETTLE" ||
				!a1.Since.Equal(sh.t0.Add(-72*time.Hour)) {
				t.Errorf("second by day: %+v", a1)
			}
			oldest, _, err := sh.svc.WaitingOrders(ctx, WaitingFilter{Oldest: true, Limit: 1})
			if err != nil || len(oldest) != 1 || oldest[0].ExternalID != "A-1" {
				t.Fatalf("oldest: %+v, %v", oldest, err)
			}
			for _, f := range []WaitingFilter{{Limit: 1}, {Oldest: true, Limit: 1}} {
				first, more, err := sh.svc.WaitingOrders(ctx, f)
				if err != nil || !more || len(first) != 1 {
					t.Fatalf("%+v: %+v, %v, %v", f, first, more, err)
				}
				f.After = first[0].Cursor
				next, more, err := sh.svc.WaitingOrders(ctx, f)
				if err != nil || more || len(next) != 1 || next[0].OrderID == first[0].OrderID {
					t.Errorf("%+v after %s: %+v, %v, %v", f, first[0].ExternalID, next, more, err)
				}
			}
			ofPot, _, err := sh.svc.WaitingOrders(ctx, WaitingFilter{SKU: "PAN-2"})
			if err != nil || len(ofPot) != 0 {
				t.Errorf("waiting for PAN-2: %+v, %v", ofPot, err)
			}

			holders, more, err := sh.svc.Holders(ctx, HolderFilter{SKU: "POT-1", Limit: 1})
			if err != nil || !more || len(holders) != 1 || holders[0].ExternalID != "A-1" || !holders[0].Waits() {
				t.Fatalf("holders of POT-1: %+v, %v, %v", holders, more, err)
			}
			holders, more, err = sh.svc.Holders(ctx, HolderFilter{SKU: "POT-1", After: holders[0].Cursor})
			if err != nil || more || len(holders) != 1 || holders[0].ExternalID != "A-2" || holders[0].CustomerName != "Līga" {
				t.Errorf("holders of POT-1, page 2: %+v, %v, %v", holders, more, err)
			}
			pans, _, err := sh.svc.Holders(ctx, HolderFilter{SKU: "PAN-2"})
			if err != nil || len(pans) != 1 || pans[0].Waits() {
				t.Errorf("holders of PAN-2: %+v, %v", pans, err)
			}
		})
	}
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func TestNameVariants(t *testing.T) {
	t.Parallel()
	for q, want := range map[string][]string{
		"кастрюля": {"кастрюля", "Кастрюля"},
		"Pot":      {"Pot", "pot"},
		"pot":      {"pot", "Pot"},
		"POT":      {"POT", "pot", "Pot"},
	} {
		if got := nameVariants(q); !slices.Equal(got, want) {
			t.Errorf("nameVariants(%q) = %q, want %q", q, got, want)
		}
	}
}
