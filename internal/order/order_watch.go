package order

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// The promise watch: on an order's last promised day an undelivered order
// is at risk ("it should arrive about today"); past that day and the
// shop's grace it is late (the apology, the compensation and an operator's
// task follow order.late in the playbook). Orders waiting at a pickup
// point have arrived and are neither. Both checks are set-based over the
// open orders' (status, promised_to) index, so a pass over a million open
// orders reads only the few days it concerns.

// watchStatuses are the open statuses, spelled as the partial index on
// orders (status, promised_to, placed_at) has them, so SQLite's planner
// can prove the query within it; ready_for_pickup is then left out by a
// term of its own.
const watchStatuses = `status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup') AND status <> 'ready_for_pickup'`

// lateLookback bounds how far back the watch looks for late orders: an
// order whose day passed long before shopcare watched (an import, an
// upgrade, a watch that was down for weeks) gets no apology out of the blue.
const lateLookback = 30

// WatchResult counts what a pass of the watch found.
type WatchResult struct {
	AtRisk int // orders journaled order.promise_due
	Late   int // orders journaled order.late
}

// Watch runs the promise watch once: it marks and journals, once each, the
// orders at risk on their promised day and the orders late past it. It does
// nothing for today before the shop's working hours begin, so the news
// reaches customers in the daytime.
func (s *Service) Watch(ctx context.Context) (WatchResult, error) {
	var res WatchResult
	now := s.clock.Now()
	loc := s.settings.Shop.Location()
	today := now.In(loc).Format(time.DateOnly)
	if start, ok := s.promiseDueAt(today); ok && now.Before(start) {
		today = now.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	day, _ := time.Parse(time.DateOnly, today)
	grace := s.settings.Compensation.LateGraceDays
	riskFrom := day.AddDate(0, 0, -grace).Format(time.DateOnly)
	lateBefore := day.AddDate(0, 0, -grace).Format(time.DateOnly) // promised_to + grace < today
	lateFrom := day.AddDate(0, 0, -grace-lateLookback).Format(time.DateOnly)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res = WatchResult{}
		var events []journal.Event
		err := store.Each(ctx, tx, `UPDATE orders SET risk_day = promised_to
			WHERE `+watchStatuses+` AND promised_to >= $1 AND promised_to <= $2 AND NOT history
			AND (risk_day IS NULL OR risk_day <> promised_to)
			RETURNING id, customer_id, promised_to, status`, []any{riskFrom, today}, func(r store.Rows) error {
			var id, customerID int64
			var promised string
			var st Status
			if err := r.Scan(&id, &customerID, &promised, &st); err != nil {
				return err
			}
			events = append(events, journal.Event{Kind: journal.OrderPromiseDue, OrderID: id, CustomerID: customerID, OccurredAt: now,
				Payload: journal.MustPayload(event.OrderPromiseDuePayload{PromisedTo: promised, Status: string(st)})})
			res.AtRisk++
			return nil
		})
		if err != nil {
			return fmt.Errorf("orders at risk: %w", err)
		}
		// SQLite's planner would rather take the open orders' index, whose
		// statistics it knows better; orders_late_pending is the one that
		// skips the orders found late before.
		hint := ""
		if s.db.Engine() == store.SQLite {
			hint = " INDEXED BY orders_late_pending"
		}
		err = store.Each(ctx, tx, `UPDATE orders`+hint+` SET late_at = $1
			WHERE `+watchStatuses+` AND late_at IS NULL AND NOT history AND promised_to >= $2 AND promised_to < $3
			RETURNING id, customer_id, promised_to, status, carrier`, []any{now, lateFrom, lateBefore}, func(r store.Rows) error {
			var id, customerID int64
			var pl event.OrderLatePayload
			if err := r.Scan(&id, &customerID, &pl.PromisedTo, &pl.Status, &pl.Carrier); err != nil {
				return err
			}
			if p, err := time.Parse(time.DateOnly, pl.PromisedTo); err == nil {
				pl.DaysLate = int64(day.Sub(p).Hours() / 24)
			}
			events = append(events, journal.Event{Kind: journal.OrderLate, OrderID: id, CustomerID: customerID, OccurredAt: now,
				Payload: journal.MustPayload(pl)})
			res.Late++
			return nil
		})
		if err != nil {
			return fmt.Errorf("late orders: %w", err)
		}
		return s.journal.Append(ctx, tx, events...)
	})
	if err == nil && res.AtRisk+res.Late > 0 {
		s.log.Info("promise watch", "at_risk", res.AtRisk, "late", res.Late)
	}
	return res, err
}

// WatchInterval is how often the watch runs; each pass is cheap when it
// finds nothing, and a new day's orders are caught within this much of
// the start of working hours.
const WatchInterval = 5 * time.Minute

// WatchArgs is the periodic job of the promise watch.
type WatchArgs struct{}

// Kind names the job.
func (WatchArgs) Kind() string { return "order_watch" }
