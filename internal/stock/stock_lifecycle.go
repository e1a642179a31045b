package stock

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// The order statuses the stock follows: an order leaves the shop with
// the first of leaving; it gives its units back when it ends in one of
// dropping before that.
var (
	leaving  = []string{"shipped", "ready_for_pickup", "delivered"}
	dropping = []string{"cancelled", "returned"}
)

// HandleEvents follows the orders' lifecycle (a journal.Handler): when an
// order leaves the shop (shipped, ready for pickup or delivered, the
// first of them) its held units leave on hand and reserved; when it is
// cancelled or returned before that, its units are released and serve
// the orders and the customers waiting for them. It is idempotent (the
// journal delivers at least once: only open reservations change), and
// imported history is left alone.
func (s *Service) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	var ship, release []int64
	for _, e := range events {
		if e.History || e.OrderID == 0 {
			continue
		}
		var to string
		switch e.Kind {
		case journal.OrderStatusChanged:
			var p event.OrderStatusChangedPayload
			if err := e.Decode(&p); err != nil {
				return err
			}
			to = p.To
		case journal.OrderCreated:
			var p event.OrderCreatedPayload
			if err := e.Decode(&p); err != nil {
				return err
			}
			to = p.Status
		default:
			continue
		}
		switch {
		case slices.Contains(leaving, to):
			ship = append(ship, e.OrderID)
		case slices.Contains(dropping, to):
			release = append(release, e.OrderID)
		}
	}
	if len(ship) > 0 {
		if err := s.close(ctx, tx, ship, "shipped"); err != nil {
			return err
		}
	}
	if len(release) > 0 {
		if err := s.close(ctx, tx, release, "released"); err != nil {
			return err
		}
	}
	return nil
}

// close ends the open reservations of orders with status: shipped takes
// the held units off on hand and reserved; released gives them back and
// serves those waiting.
func (s *Service) close(ctx context.Context, tx *store.Tx, orders []int64, status string) error {
	slices.Sort(orders)
	orders = slices.Compact(orders)
	now := s.clock.Now()
	type open struct {
		id   int64
		sku  string
		held int
	}
	var rows []open
	err := store.QueryIn(ctx, tx, `SELECT id, sku, held FROM stock_reservations WHERE status = 'open' AND order_id IN (IN_LIST)`,
		nil, orders, func(r store.Rows) error {
			var o open
			err := r.Scan(&o.id, &o.sku, &o.held)
			rows = append(rows, o)
			return err
		})
	if err != nil {
		return fmt.Errorf("read the orders' reservations: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	held := map[string]int{}
	ids := make([]int64, len(rows))
	for i, o := range rows {
		held[o.sku] += o.held
		ids[i] = o.id
	}
	return s.takeOff(ctx, tx, held, ids, status, now)
}

// takeOff takes units the orders held off their SKUs' levels, held by
// SKU: shipped units leave on hand too; released ones serve the orders
// waiting for them, then the customers waiting to be told. It the reservations ids shipped or released once the levels are
// locked (PostgreSQL: levels first, then reservations, always in that
// order, so two transactions never wait on each other); nil ids when
// the caller has marked them.
func (s *Service) takeOff(ctx context.Context, tx *store.Tx, held map[string]int, ids []int64, status string, now time.Time) error {
	skus := make([]string, 0, len(held))
	for sku := range held {
		skus = append(skus, sku)
	}
	slices.Sort(skus)
	items, err := s.lockItems(ctx, tx, skus, status == "released")
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		if err := store.QueryIn(ctx, tx, `UPDATE stock_reservations SET status = '`+status+`', updated_at = $1 WHERE id IN (IN_LIST)`,
			[]any{now}, ids, nil); err != nil {
			return fmt.Errorf("close %d reservations: %w", len(ids), err)
		}
	}
	for _, it := range items {
		n := min(held[it.sku], it.reserved)
		it.reserved -= n
		if status == "shipped" {
			it.onHand = max(0, it.onHand-n)
		}
	}
	if status == "released" {
		if err := s.rebalance(ctx, tx, items, now); err != nil {
			return err
		}
	}
	for _, sku := range skus {
		it := items[sku]
		if it == nil {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE stock_items SET on_hand = $1, reserved = $2, updated_at = $3 WHERE sku = $4`,
			it.onHand, it.reserved, now, sku); err != nil {
			return fmt.Errorf("update the level of %s: %w", sku, err)
		}
	}
	if status == "released" {
		if err := s.tellAll(ctx, tx, items); err != nil {
			return err
		}
		s.remember(tx, items)
		return nil
	}
	avail := make(map[string]int, len(items))
	for sku, it := range items {
		avail[sku] = it.available()
	}
	stamp := s.cache.stamp()
	tx.AfterCommit(func() { s.cache.adjust(avail, stamp) })
	return nil
}
