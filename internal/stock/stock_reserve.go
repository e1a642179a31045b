package stock

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/store"
)

// Reserve holds, inside tx, what order orderID wants of the tracked
// SKUs among lines (lines of one SKU are summed; untracked SKUs are left
// out), as much as is available of each, and records the order's lines.
// It returns a Hold per tracked SKU. It journals nothing: the order's
// intake journals stock.short for the short lines.
//
// Concurrent orders never hold more than is on hand: on PostgreSQL the
// SKUs' rows are locked in SKU order for the rest of tx; SQLite runs one
// write transaction at a time; and the table's CHECK (reserved <=
// on_hand) is the last guard. A short line is expected on the day of the
// incoming delivery that covers it after what older orders already wait
// for, else on the shop's restock estimate (stock.restock_days working
// days). Reserving an order again returns what it holds.
func (s *Service) Reserve(ctx context.Context, tx *store.Tx, orderID int64, lines []Line, now time.Time) ([]Hold, error) {
	want := map[string]*Hold{}
	var skus []string
	for _, l := range lines {
		sku := strings.TrimSpace(l.SKU)
		if sku == "" || l.Qty <= 0 {
			continue
		}
		h := want[sku]
		if h == nil {
			h = &Hold{SKU: sku, Name: l.Name}
			want[sku] = h
			skus = append(skus, sku)
		}
		h.Qty = min(h.Qty+l.Qty, MaxQty)
	}
	if len(skus) == 0 {
		return nil, nil
	}
	slices.Sort(skus)
	items, err := s.lockItems(ctx, tx, skus, false)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	// An order reserved before (an intake retried) keeps what it holds.
	var holds []Hold
	err = store.Each(ctx, tx, `SELECT sku, name, qty, held, expected_on FROM stock_reservations WHERE order_id = $1`,
		[]any{orderID}, func(r store.Rows) error {
			h, err := scanHold(r)
			if err == nil && items[h.SKU] != nil {
				holds = append(holds, h)
				delete(items, h.SKU)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read the order's reservations: %w", err)
	}
	var short []string
	for _, sku := range skus {
		it := items[sku]
		if it == nil {
			continue
		}
		h := want[sku]
		h.Held = max(0, min(h.Qty, it.available()))
		if h.Short() {
			short = append(short, sku)
		}
	}
	if err := s.expect(ctx, tx, short, items, want, now); err != nil {
		return nil, err
	}
	rows := make([][]any, 0, len(items))
	avail := map[string]int{}
	for _, sku := range skus {
		it := items[sku]
		if it == nil {
			continue
		}
		h := want[sku]
		if h.Held > 0 {
			if _, err := tx.Exec(ctx, `UPDATE stock_items SET reserved = reserved + $1, updated_at = $2 WHERE sku = $3`,
				h.Held, now, sku); err != nil {
				return nil, fmt.Errorf("hold %d of %s: %w", h.Held, sku, err)
			}
			it.reserved += h.Held
			avail[sku] = it.available()
		}
		var exp *string
		var filledAt *time.Time
		if h.Short() {
			exp = store.NullText(h.ExpectedOn.String())
		} else {
			filledAt = &now
		}
		rows = append(rows, []any{orderID, sku, truncate(h.Name, 200), h.Qty, h.Held, "open", exp, now, now, filledAt})
		holds = append(holds, *h)
	}
	err = store.InsertMany(ctx, tx, "stock_reservations",
		[]string{"order_id", "sku", "name", "qty", "held", "status", "expected_on", "created_at", "updated_at", "filled_at"}, rows, "", nil)
	if err != nil {
		return nil, fmt.Errorf("record the order's stock lines: %w", err)
	}
	if len(avail) > 0 {
		stamp := s.cache.stamp()
		tx.AfterCommit(func() { s.cache.adjust(avail, stamp) })
	}
	slices.SortFunc(holds, func(a, b Hold) int { return strings.Compare(a.SKU, b.SKU) })
	return holds, nil
}

// expect sets ExpectedOn of the short holds: the incoming delivery that
// covers the shortage after what open orders already wait for, else the
// restock estimate.
func (s *Service) expect(ctx context.Context, tx *store.Tx, short []string, items map[string]*item, want map[string]*Hold, now time.Time) error {
	if len(short) == 0 {
		return nil
	}
	sub := make(map[string]*item, len(short))
	for _, sku := range short {
		sub[sku] = items[sku]
	}
	if err := s.readIncoming(ctx, tx, sub); err != nil {
		return err
	}
	awaited := map[string]int{}
	err := store.QueryIn(ctx, tx, `SELECT sku, SUM(qty - held) FROM stock_reservations
		WHERE status = 'open' AND held < qty AND sku IN (IN_LIST) GROUP BY sku`, nil, short, func(r store.Rows) error {
		var sku string
		var n int
		if err := r.Scan(&sku, &n); err != nil {
			return err
		}
		awaited[sku] = n
		return nil
	})
	if err != nil {
		return fmt.Errorf("read what orders wait for: %w", err)
	}
	for _, sku := range short {
		h := want[sku]
		need, cum := awaited[sku]+h.Qty-h.Held, 0
		for _, d := range sub[sku].incoming {
			cum += d.Qty
			if cum >= need {
				h.ExpectedOn, _ = calendar.ParseDay(d.Date)
				break
			}
		}
		if h.ExpectedOn == 0 {
			h.ExpectedOn, _ = calendar.ParseDay(s.restockDay(now))
		}
	}
	return nil
}

// Holds returns what an order holds of each tracked SKU, and what it
// waits for (its released lines left out).
func (s *Service) Holds(ctx context.Context, orderID int64) ([]Hold, error) {
	var holds []Hold
	err := store.Each(ctx, s.db.Read(), `SELECT sku, name, qty, held, expected_on FROM stock_reservations
		WHERE order_id = $1 AND status <> 'released' ORDER BY sku`, []any{orderID}, func(r store.Rows) error {
		h, err := scanHold(r)
		holds = append(holds, h)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the stock lines of order %d: %w", orderID, err)
	}
	return holds, nil
}

// scanHold reads sku, name, qty, held, expected_on.
func scanHold(r store.Rows) (Hold, error) {
	var h Hold
	var exp *string
	if err := r.Scan(&h.SKU, &h.Name, &h.Qty, &h.Held, &exp); err != nil {
		return h, err
	}
	if e := store.Text(exp); e != "" {
		h.ExpectedOn, _ = calendar.ParseDay(e)
	}
	return h, nil
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
