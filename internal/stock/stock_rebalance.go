package stock

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// reservation is an open stock_reservations row as a rebalance sees it.
type reservation struct {
	id, orderID int64
	sku, name   string
	qty, held   int
	expectedOn  string
	createdAt   time.Time
	changed     bool
	filled      bool // held reached qty in this transaction
	gaveBack    bool // gave held units back in this transaction
}

// rebalance brings the open reservations of items in line with their
// levels (on hand set, reserved as held so far, incoming as they are now)
// inside tx: when on hand is below what is held, the newest reservations
// give units back and wait; when units are available, the reservations
// waiting for them are served, oldest first; the waiting ones' expected
// days follow the incoming deliveries. It sets each item's reserved
// count (the caller writes the rows) and journals stock.short and
// stock.filled for the orders it changed.
func (s *Service) rebalance(ctx context.Context, tx *store.Tx, items map[string]*item, now time.Time) error {
	var skus []string
	for sku, it := range items {
		if it.existed() {
			skus = append(skus, sku)
		}
	}
	if len(skus) == 0 {
		return nil
	}
	slices.Sort(skus)
	bySKU := map[string][]*reservation{}
	err := store.QueryIn(ctx, tx, `SELECT id, order_id, sku, name, qty, held, expected_on, created_at FROM stock_reservations
		WHERE status = 'open' AND sku IN (IN_LIST)`, nil, skus, func(r store.Rows) error {
		res := &reservation{}
		var exp *string
		if err := r.Scan(&res.id, &res.orderID, &res.sku, &res.name, &res.qty, &res.held, &exp, &res.createdAt); err != nil {
			return err
		}
		res.expectedOn = store.Text(exp)
		bySKU[res.sku] = append(bySKU[res.sku], res)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read open reservations: %w", err)
	}
	if len(bySKU) == 0 {
		return nil
	}
	shortened, filled := map[int64]bool{}, map[int64][]string{}
	var changed []*reservation
	for sku, list := range bySKU {
		slices.SortFunc(list, func(a, b *reservation) int {
			if c := a.createdAt.Compare(b.createdAt); c != 0 {
				return c
			}
			return int(a.id - b.id)
		})
		it := items[sku]
		s.settle(it, list, now)
		for _, res := range list {
			if !res.changed {
				continue
			}
			changed = append(changed, res)
			if res.gaveBack {
				shortened[res.orderID] = true
			}
			if res.filled {
				filled[res.orderID] = append(filled[res.orderID], res.sku)
			}
		}
	}
	for _, res := range changed {
		var filledAt *time.Time
		if res.filled {
			filledAt = &now
		}
		_, err := tx.Exec(ctx, `UPDATE stock_reservations SET held = $1, expected_on = $2, updated_at = $3,
			filled_at = COALESCE($4, filled_at) WHERE id = $5`, res.held, store.NullText(res.expectedOn), now, filledAt, res.id)
		if err != nil {
			return fmt.Errorf("update reservation %d: %w", res.id, err)
		}
	}
	return s.journalChanges(ctx, tx, shortened, filled, now)
}

// existed tells whether the item was in the database before the
// transaction (a new SKU has no reservations).
func (it *item) existed() bool { return it.known }

// settle applies it's level to its open reservations list (oldest
// first): the newest give units back while more is held than on hand;
// available units go to the oldest waiting; the waiting get their
// expected days. It sets it.reserved and marks what changed.
func (s *Service) settle(it *item, list []*reservation, now time.Time) {
	if it.onHand < it.reserved {
		need := it.reserved - it.onHand
		for i := len(list) - 1; i >= 0 && need > 0; i-- {
			res := list[i]
			take := min(res.held, need)
			if take == 0 {
				continue
			}
			res.held -= take
			need -= take
			it.reserved -= take
			res.changed, res.gaveBack = true, true
		}
		it.dirty = true
	}
	for _, res := range list {
		avail := it.available()
		if avail <= 0 {
			break
		}
		if res.held >= res.qty {
			continue
		}
		give := min(res.qty-res.held, avail)
		res.held += give
		it.reserved += give
		res.changed, it.dirty = true, true
		if res.held == res.qty {
			res.filled, res.expectedOn = true, ""
		}
	}
	s.schedule(it.incoming, list, now)
}

// schedule sets the expected day of each waiting reservation (oldest
// first): the day of the incoming delivery that covers its shortage
// after what the older ones wait for, else the shop's restock estimate
// (an estimate already given is kept while it is still ahead).
func (s *Service) schedule(incoming []Incoming, list []*reservation, now time.Time) {
	awaited, restock := 0, ""
	for _, res := range list {
		if res.held >= res.qty {
			continue
		}
		awaited += res.qty - res.held
		day, cum := "", 0
		for _, d := range incoming {
			cum += d.Qty
			if cum >= awaited {
				day = d.Date
				break
			}
		}
		if day == "" {
			if res.expectedOn != "" && !isIncomingDay(incoming, res.expectedOn) && res.expectedOn >= s.today(now).String() {
				day = res.expectedOn
			} else {
				if restock == "" {
					restock = s.restockDay(now)
				}
				day = restock
			}
		}
		if day != res.expectedOn {
			res.expectedOn, res.changed = day, true
		}
	}
}

func isIncomingDay(incoming []Incoming, day string) bool {
	for _, d := range incoming {
		if d.Date == day {
			return true
		}
	}
	return false
}

// restockDay is the shop's estimate for an item with nothing on its way:
// stock.restock_days working days after today.
func (s *Service) restockDay(now time.Time) string {
	today := s.today(now)
	days := s.settings.Stock.RestockDays
	if days <= 0 {
		days = 5
	}
	if s.calendar != nil {
		if cal := s.calendar(); cal != nil {
			return cal.AddWorkdays(today, days).String()
		}
	}
	return today.AddDays(days).String()
}

// journalChanges journals stock.short for the orders that lost held
// units (with all their waiting lines) and stock.filled for those whose
// lines are all held now.
func (s *Service) journalChanges(ctx context.Context, tx *store.Tx, shortened map[int64]bool, filled map[int64][]string, now time.Time) error {
	var ids []int64
	for id := range shortened {
		ids = append(ids, id)
	}
	for id := range filled {
		if !shortened[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	waiting := map[int64][]event.StockLine{}
	err := store.QueryIn(ctx, tx, `SELECT order_id, sku, name, qty, held, expected_on FROM stock_reservations
		WHERE status = 'open' AND held < qty AND order_id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		var id int64
		var l event.StockLine
		var exp *string
		if err := r.Scan(&id, &l.SKU, &l.Name, &l.Qty, &l.Held, &exp); err != nil {
			return err
		}
		l.ExpectedOn = store.Text(exp)
		waiting[id] = append(waiting[id], l)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read waiting lines: %w", err)
	}
	var events []journal.Event
	for _, id := range ids {
		lines := waiting[id]
		switch {
		case shortened[id] && len(lines) > 0:
			slices.SortFunc(lines, func(a, b event.StockLine) int { return strings.Compare(a.SKU, b.SKU) })
			events = append(events, journal.Event{Kind: journal.StockShort, OrderID: id, OccurredAt: now,
				Payload: journal.MustPayload(event.StockShortPayload{Lines: lines})})
		case len(filled[id]) > 0 && len(lines) == 0:
			skus := filled[id]
			slices.Sort(skus)
			events = append(events, journal.Event{Kind: journal.StockFilled, OrderID: id, OccurredAt: now,
				Payload: journal.MustPayload(event.StockFilledPayload{SKUs: slices.Compact(skus)})})
		}
	}
	if len(events) == 0 || s.journal == nil {
		return nil
	}
	return s.journal.Append(ctx, tx, events...)
}

// tellAll tells the customers waiting for the items whose available
// count rose in this transaction (after the orders were served), with
// what is left available of each. Only the SKUs someone waits for are
// handed on, so a large batch costs one query.
func (s *Service) tellAll(ctx context.Context, tx *store.Tx, items map[string]*item) error {
	var rose []string
	for sku, it := range items {
		if it.available() > 0 && it.available() > it.before {
			rose = append(rose, sku)
		}
	}
	if len(rose) == 0 {
		return nil
	}
	slices.Sort(rose)
	var asked []string
	err := store.QueryIn(ctx, tx, `SELECT DISTINCT sku FROM stock_waitlist
		WHERE told_at IS NULL AND cancelled_at IS NULL AND sku IN (IN_LIST)`, nil, rose, func(r store.Rows) error {
		var sku string
		if err := r.Scan(&sku); err != nil {
			return err
		}
		asked = append(asked, sku)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the waitlist: %w", err)
	}
	slices.Sort(asked)
	for _, sku := range asked {
		if err := s.tellWaiting(ctx, tx, sku, items[sku].available()); err != nil {
			return fmt.Errorf("tell those waiting for %s: %w", sku, err)
		}
	}
	return nil
}
