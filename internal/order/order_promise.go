package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Promise is what the customer was told: dates in the shop's time zone,
// YYYY-MM-DD, empty when not known.
type Promise struct {
	ProductionDate string
	ShipDate       string
	DeliveryFrom   string
	DeliveryTo     string
}

// Promise returns the order's promise. Until the promise engine computes
// dates, it is the delivery date the shop gave (promised_to).
func (o *Order) Promise() Promise {
	return Promise{DeliveryTo: o.PromisedTo}
}

// PromiseState says how the order stands against its promise.
type PromiseState string

// The promise states of DESIGN.md.
const (
	OnTrack PromiseState = "on_track" // before the last promised day
	AtRisk  PromiseState = "at_risk"  // the last promised day, or within the grace after it
	Late    PromiseState = "late"     // past the promised day and the grace, not delivered
	Kept    PromiseState = "kept"     // delivered on or before the promised day
	Broken  PromiseState = "broken"   // delivered after the promised day
)

// PromiseState tells where the order stands on the shop-local day today;
// "" when there is no promise or the order was cancelled undelivered.
func (o *Order) PromiseState(today string, graceDays int) PromiseState {
	if o.PromisedTo == "" {
		return ""
	}
	if o.DeliveredOn != "" {
		if o.DeliveredOn <= o.PromisedTo {
			return Kept
		}
		return Broken
	}
	if o.Status == Cancelled || o.Status == Returned {
		return ""
	}
	promised, err := time.Parse(time.DateOnly, o.PromisedTo)
	if err != nil {
		return ""
	}
	switch {
	case today < o.PromisedTo:
		return OnTrack
	case today <= promised.AddDate(0, 0, graceDays).Format(time.DateOnly):
		return AtRisk
	default:
		return Late
	}
}

// Today returns the shop-local date now.
func (s *Service) Today() string {
	return s.clock.Now().In(s.settings.Shop.Location()).Format(time.DateOnly)
}

// promiseDueAt is when, on the promised day, shopcare checks whether the
// order arrived: the start of the shop's working hours.
func (s *Service) promiseDueAt(day string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, day, s.settings.Shop.Location())
	if err != nil {
		return time.Time{}, false
	}
	return d.Add(time.Duration(s.settings.Shop.WorkingHours.From) * time.Minute), true
}

// PromiseDueArgs is the job that runs on an order's promised delivery day.
type PromiseDueArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the job.
func (PromiseDueArgs) Kind() string { return "order_promise_due" }

// PromiseDueWorker journals order.promise_due for an order still on its way
// on its promised day; the playbook reacts to it ("it should arrive today").
type PromiseDueWorker struct {
	river.WorkerDefaults[PromiseDueArgs]
	Service *Service
}

// Work checks the order and journals the event once.
func (w *PromiseDueWorker) Work(ctx context.Context, job *river.Job[PromiseDueArgs]) error {
	s := w.Service
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var st Status
		var customerID int64
		var promised *string
		err := tx.QueryRow(ctx, `SELECT status, customer_id, promised_to FROM orders WHERE id = $1`, job.Args.OrderID).
			Scan(&st, &customerID, &promised)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load order %d: %w", job.Args.OrderID, err)
		}
		if st == Delivered || !st.Counted() || promised == nil {
			return nil
		}
		var seen int64
		err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = $2`,
			job.Args.OrderID, string(journal.OrderPromiseDue)).Scan(&seen)
		if err != nil || seen > 0 {
			return err
		}
		return s.journal.Append(ctx, tx, journal.Event{
			Kind: journal.OrderPromiseDue, OrderID: job.Args.OrderID, CustomerID: customerID, OccurredAt: s.clock.Now(),
			Payload: journal.MustPayload(map[string]string{"promised_to": *promised, "status": string(st)}),
		})
	})
}
