package order

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
)

// Promise returns the order's promise as stored.
func (o *Order) Promise() promise.Stored {
	return promise.Stored{ProductionDate: o.ProductionDate, ShipDate: o.ShipDate,
		DeliveryFrom: o.DeliveryFrom, DeliveryTo: o.PromisedTo}
}

// PromiseState says how the order stands against its promise.
type PromiseState string

// The promise states of GET /orders/{id} (README.md, API).
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

// Now returns the time on the shop's clock, which dates handed in are
// checked against.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Today returns the shop-local day now, as YYYY-MM-DD.
func (s *Service) Today() string {
	return s.clock.Now().In(s.settings.Shop.Location()).Format(time.DateOnly)
}

// firstPromise computes a new order's promise; a delivery date the shop
// gave (promised_to) takes the place of the computed one.
func firstPromise(e *promise.Engine, n *NewOrder) promise.Stored {
	d, _ := e.Quote(newPromiseRequest(n)) // a carrier unknown to the shop (history) leaves the delivery open
	return given(d.Store(), n.PromisedTo)
}

// newPromiseRequest is what the engine needs for a new order's promise.
func newPromiseRequest(n *NewOrder) promise.Request {
	req := promise.Request{PlacedAt: n.PlacedAt, Carrier: n.Carrier, Country: n.Customer.Country}
	for _, it := range n.Items {
		req.AddItem(it.MadeToOrder, it.ProductionDays)
	}
	return req
}

// given puts a delivery day the shop gave in place of the computed one.
func given(p promise.Stored, promisedTo string) promise.Stored {
	if promisedTo == "" {
		return p
	}
	p.DeliveryTo = promisedTo
	if p.DeliveryFrom == "" || p.DeliveryFrom > promisedTo {
		p.DeliveryFrom = promisedTo
	}
	return p
}

// promiseRequest is what the engine needs to compute o's promise now: it must
// hold the order's items and status history.
func promiseRequest(o *Order, country string) promise.Request {
	req := promise.Request{PlacedAt: o.PlacedAt, Carrier: o.Carrier, Country: country}
	for _, it := range o.Items {
		req.AddItem(it.MadeToOrder, it.ProductionDays)
	}
	for _, h := range o.StatusHistory {
		noteStep(&req, h.To, h.At)
	}
	return req
}

// noteStep records when work began and when the parcel left.
func noteStep(req *promise.Request, to Status, at time.Time) {
	switch to {
	case Processing, ReadyToShip:
		if req.StartedAt.IsZero() || at.Before(req.StartedAt) {
			req.StartedAt = at
		}
	case Shipped:
		if req.ShippedAt.IsZero() || at.Before(req.ShippedAt) {
			req.ShippedAt = at
		}
	}
}

// Explanation is an order's promise told in words.
type Explanation struct {
	Steps       []string
	Provisional bool
	Changes     []promise.Change
}

// Explain tells in lang how o's promise follows, and lists its changes.
// o must come from Get (items, status history and customer loaded).
func (s *Service) Explain(ctx context.Context, q store.Querier, o *Order, lang i18n.Lang) (Explanation, error) {
	var ex Explanation
	country := ""
	if o.Customer != nil {
		country = o.Customer.Country
	}
	req := promiseRequest(o, country)
	if err := s.stockExplain(ctx, o, &req); err != nil {
		return ex, err
	}
	d, steps, err := s.promises.Engine().Explain(req, lang)
	if err != nil && !errors.Is(err, promise.ErrUnknownCarrier) {
		return ex, err
	}
	ex.Steps, ex.Provisional = steps, d.Provisional
	computed := d.Store()
	if o.PromiseGiven {
		ex.Steps = append(ex.Steps, i18n.Text(lang, "promise.given", map[string]any{"Day": formatStored(lang, o.PromisedTo)}))
		computed = given(computed, o.PromisedTo)
	}
	if o.PromiseVersion > 1 {
		if ex.Changes, err = promise.Changes(ctx, q, o.ID); err != nil {
			return ex, err
		}
	}
	if stored := o.Promise(); computed != stored && stored.ShipDate != "" {
		// The settings changed since: say what was promised, not how.
		ex.Steps = append(ex.Steps, i18n.Text(lang, "promise.as_given", map[string]any{
			"Ship": formatStored(lang, stored.ShipDate), "Delivery": formatStoredRange(lang, stored.DeliveryFrom, stored.DeliveryTo),
		}))
	}
	return ex, nil
}

func formatStored(lang i18n.Lang, day string) string {
	d, err := calendar.ParseDay(day)
	if err != nil {
		return day
	}
	return i18n.FormatDay(lang, d)
}

func formatStoredRange(lang i18n.Lang, from, to string) string {
	f, err1 := calendar.ParseDay(from)
	t, err2 := calendar.ParseDay(to)
	if err1 != nil || err2 != nil {
		return from + " – " + to
	}
	return i18n.FormatRange(lang, f, t)
}

// promiseDueAt is when, on the promised delivery day, shopcare checks
// whether the order arrived: the start of the shop's working hours.
func (s *Service) promiseDueAt(day string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, day, s.settings.Shop.Location())
	if err != nil {
		return time.Time{}, false
	}
	return d.Add(time.Duration(s.settings.Shop.WorkingHours.From) * time.Minute), true
}

// promiseDueJobs schedules the check on each promised delivery day of
// days whose moment is still to come: one job a day, not one an order
// (issue 22: a job per order cost the intake a River row, its index
// entries and its statement for each order). The job is unique by its
// day, so transactions of a day's orders enqueue it once; once one of
// this process's transactions committed it, the next ones leave it out
// (dueDays), so that concurrent committers do not wait on each other's
// insert of the same unique key. When it runs, the promise watch takes
// every order promised for that day; the periodic watch is the safety
// net for a job lost some other way.
func (s *Service) promiseDueJobs(tx *store.Tx, days map[string]bool, now time.Time) []river.InsertManyParams {
	var due []river.InsertManyParams
	var fresh []string
	for _, day := range slices.Sorted(maps.Keys(days)) {
		at, ok := s.promiseDueAt(day)
		if !ok || !at.After(now) {
			continue
		}
		if _, done := s.dueDays.Load(day); done {
			continue
		}
		fresh = append(fresh, day)
		due = append(due, river.InsertManyParams{Args: PromiseDueArgs{Day: day},
			InsertOpts: &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}}})
	}
	if len(fresh) > 0 {
		tx.AfterCommit(func() {
			for _, day := range fresh {
				s.dueDays.Store(day, true)
			}
		})
	}
	return due
}

// PromiseDueArgs is the job that runs on a promised delivery day. Jobs
// enqueued before issue 22 name one order; those since name the day only.
type PromiseDueArgs struct {
	OrderID int64 `json:"order_id,omitempty"`
	// Day is the promised day the job was scheduled for; a job left over
	// from a promise that moved since does nothing.
	Day string `json:"day,omitempty"`
}

// Kind names the job.
func (PromiseDueArgs) Kind() string { return "order_promise_due" }

// PromiseDueWorker journals order.promise_due for the orders still on their
// way on their promised day; the playbook reacts to it ("it should arrive
// today").
type PromiseDueWorker struct {
	river.WorkerDefaults[PromiseDueArgs]
	Service *Service
}

// Timeout is jobs.LongTimeout: the work may walk many rows.
func (w *PromiseDueWorker) Timeout(*river.Job[PromiseDueArgs]) time.Duration { return jobs.LongTimeout }

// Work runs the promise watch for the day's orders (each is told once:
// the watch marks risk_day), or, for a job that names an order, checks
// that order alone.
func (w *PromiseDueWorker) Work(ctx context.Context, job *river.Job[PromiseDueArgs]) error {
	s := w.Service
	if job.Args.OrderID == 0 {
		_, err := s.Watch(ctx)
		return err
	}
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
		if st == Delivered || !st.Counted() || promised == nil || job.Args.Day != "" && job.Args.Day != *promised {
			return nil
		}
		// risk_day marks the day told, so the watch and this job tell it once.
		marked, err := tx.Exec(ctx, `UPDATE orders SET risk_day = promised_to
			WHERE id = $1 AND (risk_day IS NULL OR risk_day <> promised_to)`, job.Args.OrderID)
		if err != nil {
			return fmt.Errorf("mark order %d at risk: %w", job.Args.OrderID, err)
		}
		if marked == 0 {
			return nil
		}
		return s.journal.Append(ctx, tx, journal.Event{
			Kind: journal.OrderPromiseDue, OrderID: job.Args.OrderID, CustomerID: customerID, OccurredAt: s.clock.Now(),
			Payload: journal.MustPayload(event.OrderPromiseDuePayload{PromisedTo: *promised, Status: string(st)}),
		})
	})
}

// openStatuses are those in which a promise can still move.
var openStatuses = []Status{New, Processing, ReadyToShip, Shipped}

// repromise re-computes the promises of the orders ids inside tx, after
// something that may move them (reason), and stores what changed. A late
// start, a late shipment or a day off only ever move a promise out; a new
// carrier may move it either way.
func (s *Service) repromise(ctx context.Context, tx *store.Tx, ids []int64, reason, detail string) (int, error) {
	inputs, err := loadPromiseInputs(ctx, tx, ids)
	if err != nil {
		return 0, err
	}
	engine := s.promises.Engine()
	now := s.clock.Now()
	var changes []promise.Change
	var events []journal.Event
	days := map[string]bool{}
	for _, in := range inputs {
		if in.history || !slices.Contains(openStatuses, in.status) {
			continue
		}
		d, _ := engine.Quote(in.req)
		fresh := d.Store()
		if reason != promise.ReasonCarrierChanged {
			fresh = latest(in.current, fresh)
		} else if in.given && fresh.DeliveryTo == "" {
			fresh = given(fresh, in.current.DeliveryTo)
		}
		if fresh == in.current {
			continue
		}
		_, err := tx.Exec(ctx, `UPDATE orders SET production_date = $2, ship_date = $3, delivery_from = $4,
			promised_to = $5, promise_version = promise_version + 1, updated_at = $6 WHERE id = $1`, in.id, store.NullText(fresh.ProductionDate), store.NullText(fresh.ShipDate),
			store.NullText(fresh.DeliveryFrom), store.NullText(fresh.DeliveryTo), now)
		if err != nil {
			return 0, fmt.Errorf("update promise of order %d: %w", in.id, err)
		}
		changes = append(changes, promise.Change{OrderID: in.id, Reason: reason, Detail: detail,
			Old: in.current, New: fresh, ChangedAt: now})
		events = append(events, journal.Event{Kind: journal.OrderPromiseChanged, OrderID: in.id, CustomerID: in.customerID,
			OccurredAt: now, Payload: journal.MustPayload(event.OrderPromiseChangedPayload{Reason: reason, Detail: detail,
				Old: event.PromiseDates(in.current), New: event.PromiseDates(fresh)})})
		if fresh.DeliveryTo != in.current.DeliveryTo && in.status != Delivered && fresh.DeliveryTo != "" {
			days[fresh.DeliveryTo] = true
		}
	}
	if len(changes) == 0 {
		return 0, nil
	}
	if err := promise.RecordChanges(ctx, tx, changes); err != nil {
		return 0, err
	}
	if err := s.journal.Append(ctx, tx, events...); err != nil {
		return 0, err
	}
	return len(changes), s.jobs.InsertManyTx(ctx, tx, s.promiseDueJobs(tx, days, now))
}

// latest is the later of two promises, date by date.
func latest(a, b promise.Stored) promise.Stored {
	later := func(x, y string) string {
		if y > x {
			return y
		}
		return x
	}
	return promise.Stored{
		ProductionDate: later(a.ProductionDate, b.ProductionDate),
		ShipDate:       later(a.ShipDate, b.ShipDate),
		DeliveryFrom:   later(a.DeliveryFrom, b.DeliveryFrom),
		DeliveryTo:     later(a.DeliveryTo, b.DeliveryTo),
	}
}

type promiseInput struct {
	id, customerID int64
	status         Status
	history, given bool
	current        promise.Stored
	req            promise.Request
}

// loadPromiseInputs reads what the engine needs for each order, with three
// set-based queries.
func loadPromiseInputs(ctx context.Context, q store.Querier, ids []int64) ([]*promiseInput, error) {
	byID := make(map[int64]*promiseInput, len(ids))
	var out []*promiseInput
	err := store.QueryIn(ctx, q, `SELECT o.id, o.customer_id, o.status, o.history, o.carrier, o.placed_at,
		o.production_date, o.ship_date, o.delivery_from, o.promised_to, o.promise_given, c.country
		FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id IN (IN_LIST)`, nil, ids,
		func(r store.Rows) error {
			in := &promiseInput{}
			var p [4]*string
			if err := r.Scan(&in.id, &in.customerID, &in.status, &in.history, &in.req.Carrier, &in.req.PlacedAt,
				&p[0], &p[1], &p[2], &p[3], &in.given, &in.req.Country); err != nil {
				return err
			}
			in.current = promise.Stored{ProductionDate: store.Text(p[0]), ShipDate: store.Text(p[1]),
				DeliveryFrom: store.Text(p[2]), DeliveryTo: store.Text(p[3])}
			byID[in.id] = in
			out = append(out, in)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load orders to re-promise: %w", err)
	}
	err = store.QueryIn(ctx, q, `SELECT order_id, made_to_order, production_days FROM order_items
		WHERE order_id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		var id int64
		var made bool
		var days int
		if err := r.Scan(&id, &made, &days); err != nil {
			return err
		}
		if in := byID[id]; in != nil {
			in.req.AddItem(made, days)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load items to re-promise: %w", err)
	}
	err = store.QueryIn(ctx, q, `SELECT order_id, to_status, at FROM order_status_history
		WHERE to_status IN ('processing', 'ready_to_ship', 'shipped') AND order_id IN (IN_LIST)`, nil, ids,
		func(r store.Rows) error {
			var id int64
			var to Status
			var at time.Time
			if err := r.Scan(&id, &to, &at); err != nil {
				return err
			}
			if in := byID[id]; in != nil {
				noteStep(&in.req, to, at)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load status history to re-promise: %w", err)
	}
	return out, nil
}

// RecomputeWorker re-computes the promises of the open orders a new shop
// day off may move: those not yet shipped whose ship date is on or after
// the day off.
type RecomputeWorker struct {
	river.WorkerDefaults[promise.RecomputeArgs]
	Service *Service
}

// Timeout is jobs.LongTimeout: the work may walk many rows.
func (w *RecomputeWorker) Timeout(*river.Job[promise.RecomputeArgs]) time.Duration {
	return jobs.LongTimeout
}

// Work walks the open orders in batches, each in its own transaction.
func (w *RecomputeWorker) Work(ctx context.Context, job *river.Job[promise.RecomputeArgs]) error {
	s := w.Service
	if err := s.promises.Reload(ctx); err != nil {
		return err
	}
	detail := job.Args.From.String()
	if job.Args.To != job.Args.From {
		detail += "/" + job.Args.To.String()
	}
	if job.Args.Reason != "" {
		detail += " " + job.Args.Reason
	}
	var after int64
	total := 0
	for {
		var ids []int64
		rows, err := s.db.Read().Query(ctx, `SELECT id FROM orders
			WHERE status IN ('new', 'processing', 'ready_to_ship') AND ship_date >= $1 AND id > $2
			ORDER BY id LIMIT 1000`, job.Args.From.String(), after)
		if err != nil {
			return fmt.Errorf("find orders to re-promise: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		after = ids[len(ids)-1]
		var moved int // set by the last, committed try of the transaction
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			moved, err = s.repromise(ctx, tx, ids, promise.ReasonDayOff, detail)
			return err
		})
		if err != nil {
			return err
		}
		total += moved
	}
	s.log.Info("promises re-computed for a shop day off", "from", job.Args.From, "to", job.Args.To, "moved", total)
	return nil
}
