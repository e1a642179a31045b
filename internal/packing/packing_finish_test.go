package packing_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/storetest"
)

// packed is what the database holds about an order's packing.
type packed struct {
	status   order.Status
	packedAt *time.Time
	notes    []string // bodies of the "packed" notes, by author
	moves    int      // status changes to ready_to_ship, with source admin
	events   int      // journal events of a change to ready_to_ship
}

func packState(t *testing.T, a *app.App, id int64) packed {
	t.Helper()
	ctx := context.Background()
	q := a.DB.Read()
	var p packed
	if err := q.QueryRow(ctx, `SELECT status, packed_at FROM orders WHERE id = $1`, id).Scan(&p.status, &p.packedAt); err != nil {
		t.Fatal(err)
	}
	rows, err := q.Query(ctx, `SELECT author, body FROM order_notes WHERE order_id = $1 AND kind = $2 ORDER BY id`, id, packing.NoteKind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var author, body string
		if err := rows.Scan(&author, &body); err != nil {
			t.Fatal(err)
		}
		p.notes = append(p.notes, author+": "+body)
	}
	err = q.QueryRow(ctx, `SELECT COUNT(*) FROM order_status_history WHERE order_id = $1 AND to_status = 'ready_to_ship' AND source = 'admin'`, id).Scan(&p.moves)
	if err != nil {
		t.Fatal(err)
	}
	err = q.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'order.status_changed' AND payload LIKE '%ready_to_ship%'`, id).Scan(&p.events)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFinish: every line must be ticked; then the order is packed once,
// noted once and moved to ready_to_ship once, however often Finish runs.
func TestFinish(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := shop(t, engine)
			n := newOrder("1042", andrei)
			n.GiftWrap = true
			id := place(t, a, n)
			now := at("Europe/Moscow", "2026-12-20", 11)
			sheet := build(t, a, id, now)
			all := ids(sheet)

			// One line unticked: refused, naming the field and the line.
			_, err := packing.Finish(ctx, a.DB, a.Orders, sheet, slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "insert.holiday_card" }), "anna", now)
			ie, ok := invalid.First(err)
			if !ok || ie.Field != "checklist" || ie.Code != "unchecked" || !strings.Contains(ie.Message, "Holiday card: New Year") {
				t.Fatalf("Finish without the holiday card = %v, want an invalid checklist error naming it", err)
			}
			if got := sheet.Unticked([]string{"tape", " bubble_wrap "}); len(got) != len(all)-2 {
				t.Errorf("Unticked: %d lines, want %d", len(got), len(all)-2)
			}
			if p := packState(t, a, id); p.status != order.Processing || p.packedAt != nil || len(p.notes) != 0 {
				t.Fatalf("a refused Finish wrote: %+v", p)
			}

			res, err := packing.Finish(ctx, a.DB, a.Orders, sheet, all, "anna", now)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Recorded || !res.Moved || !res.PackedAt.Equal(now) {
				t.Errorf("Finish = %+v", res)
			}
			want := "anna: Упакован. Вложения: Благодарственная открытка; Праздничная открытка: Новый год; Сувенир. В подарочной упаковке."
			p := packState(t, a, id)
			if p.status != order.ReadyToShip || p.packedAt == nil || !p.packedAt.Equal(now) ||
				!slices.Equal(p.notes, []string{want}) || p.moves != 1 || p.events != 1 {
				t.Fatalf("after Finish: %+v; want ready_to_ship, packed at %v, the note %q, one move", p, now, want)
			}

			// Again, later: a double click changes nothing.
			res, err = packing.Finish(ctx, a.DB, a.Orders, sheet, all, "boris", now.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if res.Recorded || res.Moved || !res.PackedAt.Equal(now) {
				t.Errorf("second Finish = %+v, want nothing new and the first packing's time", res)
			}
			if again := packState(t, a, id); !slices.Equal(again.notes, p.notes) || again.moves != 1 || again.events != 1 {
				t.Errorf("second Finish wrote: %+v", again)
			}

			// After the parcel has shipped, too.
			if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Shipped, Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			if _, err := packing.Finish(ctx, a.DB, a.Orders, sheet, all, "anna", now.Add(time.Hour)); err != nil {
				t.Errorf("Finish of a packed, shipped order = %v, want nothing done", err)
			}
			if got := packState(t, a, id).status; got != order.Shipped {
				t.Errorf("status %s, want shipped", got)
			}
		})
	}
}

// TestFinishNotProcessing: a new order (not started) or a cancelled one
// cannot be packed, and nothing is written.
func TestFinishNotProcessing(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := shop(t, engine)
			id := place(t, a, newOrder("1", andrei))
			sheet := build(t, a, id, apptest.Start)
			run(t, a, `UPDATE orders SET status = 'new' WHERE id = $1`, id)
			_, err := packing.Finish(ctx, a.DB, a.Orders, sheet, ids(sheet), "anna", apptest.Start)
			var se *packing.StatusError
			if !errors.Is(err, packing.ErrNotProcessing) || !errors.As(err, &se) || se.Status != order.New {
				t.Fatalf("Finish of a new order = %v, want ErrNotProcessing naming status new", err)
			}
			if p := packState(t, a, id); p.packedAt != nil || len(p.notes) != 0 || p.status != order.New {
				t.Errorf("a refused Finish wrote: %+v", p)
			}
		})
	}
}

// TestFinishCompletesAnInterruptedOne: packing recorded but the order
// still processing (the process stopped between Finish's two steps): the
// order stays in the queue, and finishing again moves it on without a
// second note.
func TestFinishCompletesAnInterruptedOne(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := shop(t, engine)
			id := place(t, a, newOrder("1", andrei))
			sheet := build(t, a, id, apptest.Start)
			run(t, a, `UPDATE orders SET packed_at = $2 WHERE id = $1`, id, apptest.Start)
			run(t, a, `INSERT INTO order_notes (order_id, kind, body, author, created_at) VALUES ($1, 'packed', 'Упакован.', 'anna', $2)`, id, apptest.Start)
			items, err := packing.Queue(ctx, a.DB.Read(), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 || !items[0].Packed {
				t.Fatalf("queue %+v, want the order marked packed", items)
			}
			res, err := packing.Finish(ctx, a.DB, a.Orders, sheet, ids(sheet), "boris", apptest.Start.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if res.Recorded || !res.Moved || !res.PackedAt.Equal(apptest.Start) {
				t.Errorf("Finish = %+v, want the move only, packed at the first time", res)
			}
			if p := packState(t, a, id); p.status != order.ReadyToShip || len(p.notes) != 1 || p.moves != 1 {
				t.Errorf("after completing: %+v", p)
			}
		})
	}
}

// TestFinishConcurrently: two packers finishing the same order at once
// pack it once.
func TestFinishConcurrently(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a := shop(t, engine)
			id := place(t, a, newOrder("1", andrei))
			sheet := build(t, a, id, apptest.Start)
			var wg sync.WaitGroup
			results := make([]packing.Finished, 8)
			errs := make([]error, len(results))
			for i := range results {
				wg.Go(func() {
					results[i], errs[i] = packing.Finish(context.Background(), a.DB, a.Orders, sheet, ids(sheet), "anna", apptest.Start)
				})
			}
			wg.Wait()
			recorded, moved := 0, 0
			for i, r := range results {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
				if r.Recorded {
					recorded++
				}
				if r.Moved {
					moved++
				}
			}
			if p := packState(t, a, id); recorded != 1 || moved != 1 || len(p.notes) != 1 || p.moves != 1 || p.events != 1 {
				t.Errorf("%d recorded, %d moved; %+v; want each once", recorded, moved, p)
			}
		})
	}
}
