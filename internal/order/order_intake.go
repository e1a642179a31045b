package order

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// JobInserter enqueues jobs inside a store transaction.
type JobInserter interface {
	InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
}

// Service takes orders in and changes their status.
type Service struct {
	db       *store.DB
	journal  *journal.Journal
	jobs     JobInserter
	clock    clock.Clock
	settings config.Settings
	promises *promise.Service
	stock    Stock
	due      DueFunc
	log      *slog.Logger

	// intake commits concurrent Creates together (group commit) and reads
	// the orders back for all of them at once.
	intake *store.Group[NewOrder, intakeResult]
	// dueDays are the promised days whose promise-due job a transaction
	// of this process committed (promiseDueJobs).
	dueDays sync.Map
}

// intakeResult is a Result with the order as it was written, read back
// after the commit (nil when that read failed: the caller reads it).
type intakeResult struct {
	Result
	order *Order
}

// Params are the collaborators of an order Service.
type Params struct {
	// Journal records the orders' events.
	Journal *journal.Journal
	// Jobs enqueues the jobs a change sets off (a promise coming due).
	Jobs JobInserter
	// Promises quotes the delivery promise of each order.
	Promises *promise.Service
	// Stock, when set, holds the stock live orders take and tells what
	// they wait for (issue 27); StockDue is when the stock_short task of
	// an order short of stock is due (playbook.CallbackDue; nil: within
	// the call-back window).
	Stock    Stock
	StockDue DueFunc
}

// NewService returns a Service. Call Start to batch concurrent creates into
// shared transactions (group commit); without it each Create commits alone.
func NewService(d service.Deps, p Params) *Service {
	s := &Service{db: d.DB, journal: p.Journal, jobs: p.Jobs, clock: d.Clock, settings: d.Settings, promises: p.Promises, log: d.Log,
		stock: p.Stock, due: p.StockDue}
	s.intake = store.NewGroup(d.DB, maxGroup, func(ctx context.Context, tx *store.Tx, orders []NewOrder) ([]intakeResult, error) {
		results, written, err := s.createBatch(ctx, tx, orders, SourceAPI, true)
		if err != nil {
			return nil, err
		}
		out := make([]intakeResult, len(results))
		for i, r := range results {
			out[i].Result = r
			if r.Created {
				out[i].order = written[r.ID]
			}
		}
		return out, nil
	}).Then(s.readBack)
	return s
}

// readBack completes the answers of a committed group outside the
// transaction, which the next group needs. An order this group created
// is answered from what it wrote (issue 22: reading it back cost four
// statements a group and the customers one each); only its customer is
// read, as Resolve may have merged it with what was stored. An order
// that existed already (a retry) is read as Get reads it.
func (s *Service) readBack(ctx context.Context, results []intakeResult) {
	var ids []int64
	written := map[int64]*Order{}
	for _, r := range results {
		switch {
		case r.order != nil:
			written[r.ID] = r.order
		case r.ID != 0:
			ids = append(ids, r.ID)
		}
	}
	q := s.db.Read()
	err := attachCustomers(ctx, q, written)
	if err != nil {
		for i := range results {
			results[i].order = nil
		}
	}
	var orders map[int64]*Order
	if err == nil && len(ids) > 0 {
		orders, err = GetMany(ctx, q, ids)
	}
	if err != nil {
		if s.log != nil {
			s.log.Warn("read back new orders", "orders", len(results), "err", err)
		}
		return
	}
	for i := range results {
		if results[i].order == nil {
			results[i].order = orders[results[i].ID]
		}
	}
}

// GetMany returns the orders ids, each as Get returns it, by id, with a
// statement per table for all of them; an id with no order is left out.
func GetMany(ctx context.Context, q store.Querier, ids []int64) (map[int64]*Order, error) {
	out := make(map[int64]*Order, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := store.QueryIn(ctx, q, `SELECT `+orderColumns+` FROM orders WHERE id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		o, err := scanOrder(r)
		if err == nil {
			out[o.ID] = o
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load %d orders: %w", len(ids), err)
	}
	if err := loadDetailsOf(ctx, q, out, fmt.Sprintf("%d orders", len(ids))); err != nil {
		return nil, err
	}
	return out, nil
}

// Result is the outcome of handing in one order.
type Result struct {
	ID         int64
	CustomerID int64
	// Created is false when the order existed already (a retry, a re-import).
	Created bool
	// Conflict is set when the existing order was handed in with different
	// content: the external id is being reused for another order.
	Conflict bool
}

// ErrIdempotencyConflict reports an external id reused for a different order.
var ErrIdempotencyConflict = errors.New("an order with this external_id exists with different content")

// maxGroup bounds the orders one group-commit transaction takes.
const maxGroup = 256

// Start runs the group committers: concurrent Create calls wait at most for
// the transaction in flight, then commit together in the next one.
func (s *Service) Start() { s.intake.Start() }

// Stop lets the committers finish what they hold and returns.
func (s *Service) Stop() { s.intake.Stop() }

// Create stores one normalized order, or finds it when it exists already.
func (s *Service) Create(ctx context.Context, n NewOrder) (Result, error) {
	res, _, err := s.CreateRead(ctx, n)
	return res, err
}

// CreateRead is Create that also returns the order as Get returns it,
// read once its transaction committed, together with the other orders
// of that transaction; the order is nil when that read failed.
func (s *Service) CreateRead(ctx context.Context, n NewOrder) (Result, *Order, error) {
	var res intakeResult
	results, err := s.intake.Submit(ctx, []NewOrder{n})
	if err == nil {
		res = results[0]
	}
	if err == nil && res.Conflict {
		err = ErrIdempotencyConflict
	}
	return res.Result, res.order, err
}

// CreateBatch stores normalized orders inside tx and returns one Result per
// order, in order. Orders whose external id exists already are not touched.
func (s *Service) CreateBatch(ctx context.Context, tx *store.Tx, orders []NewOrder, source Source) ([]Result, error) {
	results, _, err := s.createBatch(ctx, tx, orders, source, false)
	return results, err
}

// createBatch is CreateBatch that, with keep, also returns the orders it
// created by id, as Get would read them once the transaction commits,
// but without their Customer.
func (s *Service) createBatch(ctx context.Context, tx *store.Tx, orders []NewOrder, source Source, keep bool) ([]Result, map[int64]*Order, error) {
	now := s.clock.Now()
	results := make([]Result, len(orders))

	// Which external ids exist, and which repeat within the batch?
	firstAt := map[string]int{}
	for i, n := range orders {
		if _, ok := firstAt[n.ExternalID]; !ok {
			firstAt[n.ExternalID] = i
		}
	}
	existing := map[string]Result{}
	hashes := map[string]string{}
	extIDs := make([]string, 0, len(firstAt))
	for id := range firstAt {
		extIDs = append(extIDs, id)
	}
	err := store.QueryIn(ctx, tx, `SELECT id, customer_id, external_id, request_hash FROM orders WHERE external_id IN (IN_LIST)`,
		nil, extIDs, func(r store.Rows) error {
			var res Result
			var ext, hash string
			if err := r.Scan(&res.ID, &res.CustomerID, &ext, &hash); err != nil {
				return err
			}
			existing[ext] = res
			hashes[ext] = hash
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("look up existing orders: %w", err)
	}

	var fresh []int // indexes of orders to insert
	for i, n := range orders {
		if _, ok := existing[n.ExternalID]; ok || firstAt[n.ExternalID] != i {
			continue
		}
		fresh = append(fresh, i)
	}

	var inserted written
	if len(fresh) > 0 {
		inputs := make([]customer.Input, len(fresh))
		for k, i := range fresh {
			inputs[k] = orders[i].Customer
			// Marketing consents given with the order: the order is the
			// proof when the shop names no source; with double opt-in
			// an e-mail consent waits for the customer's confirmation.
			inputs[k].DoubleOptIn = s.settings.Campaigns.DoubleOptIn
			if inputs[k].ConsentSource == "" {
				inputs[k].ConsentSource = "order " + orders[i].ExternalID + " (" + string(source) + ")"
			}
		}
		customerIDs, err := customer.Resolve(ctx, tx, inputs, now)
		if err != nil {
			return nil, nil, err
		}
		if inserted, err = s.insert(ctx, tx, orders, fresh, customerIDs, now, source, keep); err != nil {
			return nil, nil, err
		}
		for k, i := range fresh {
			ext := orders[i].ExternalID
			if id, ok := inserted.ids[ext]; ok {
				results[i] = Result{ID: id, CustomerID: customerIDs[k], Created: true}
				hashes[ext] = orders[i].hash
			}
		}
		// Lost a race to another transaction: read the winner.
		for _, i := range fresh {
			if results[i].ID == 0 {
				var res Result
				var hash string
				err := tx.QueryRow(ctx, `SELECT id, customer_id, request_hash FROM orders WHERE external_id = $1`,
					orders[i].ExternalID).Scan(&res.ID, &res.CustomerID, &hash)
				if err != nil {
					return nil, nil, fmt.Errorf("load order %s: %w", orders[i].ExternalID, err)
				}
				existing[orders[i].ExternalID] = res
				hashes[orders[i].ExternalID] = hash
			}
		}
	}
	for i, n := range orders {
		if results[i].Created && firstAt[n.ExternalID] == i {
			continue
		}
		res, ok := existing[n.ExternalID]
		if !ok {
			res = results[firstAt[n.ExternalID]]
			res.Created = false
		}
		res.Conflict = hashes[n.ExternalID] != "" && n.hash != "" && hashes[n.ExternalID] != n.hash
		results[i] = res
	}
	return results, inserted.orders, nil
}

// written is what insert wrote: the new ids by external id and, when
// asked for, the new orders by id.
type written struct {
	ids    map[string]int64
	orders map[int64]*Order
}

// insert writes the orders at fresh, their items, first status, events and
// scheduled jobs, and returns the new ids by external id; with keep, the
// new orders too (see writtenOrder).
func (s *Service) insert(ctx context.Context, tx *store.Tx, orders []NewOrder, fresh []int, customerIDs []int64, now time.Time,
	source Source, keep bool) (written, error) {
	loc := s.settings.Shop.Location()
	engine := s.promises.Engine()
	rows := make([][]any, len(fresh))
	promised := make([]promise.Stored, len(fresh))
	tokens := make([]string, len(fresh))
	for k, i := range fresh {
		n := &orders[i]
		if n.PlacedAt.IsZero() {
			n.PlacedAt = now
		}
		var deliveredOn *string
		if n.DeliveredAt != nil {
			d := n.DeliveredAt.In(loc).Format(time.DateOnly)
			deliveredOn = &d
		}
		p := firstPromise(engine, n)
		promised[k] = p
		rows[k] = []any{n.ExternalID, customerIDs[k], string(n.Status), n.TotalMinor, n.Currency, n.Channel, n.Carrier,
			n.Payment.Method, n.Payment.Paid, n.GiftWrap, n.History,
			store.NullText(p.ProductionDate), store.NullText(p.ShipDate), store.NullText(p.DeliveryFrom), store.NullText(p.DeliveryTo), n.PromisedTo != "",
			n.DeliveredAt, deliveredOn, n.hash, n.PlacedAt, now, now, TidyAddress(n.Address), store.NullText(strings.TrimSpace(n.ReferralCode)), nil}
		if !n.History {
			tokens[k] = secret.Token()
			rows[k][len(rows[k])-1] = tokens[k]
		}
	}
	ids := make(map[string]int64, len(fresh))
	err := store.InsertMany(ctx, tx, "orders", []string{"external_id", "customer_id", "status", "total_minor", "currency",
		"channel", "carrier", "payment_method", "paid", "gift_wrap", "history",
		"production_date", "ship_date", "delivery_from", "promised_to", "promise_given", "delivered_at",
		"delivered_on", "request_hash", "placed_at", "created_at", "updated_at", "address", "referral_code", "tracking_token"}, rows,
		"ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id", func(r store.Rows) error {
			var id int64
			var ext string
			if err := r.Scan(&id, &ext); err != nil {
				return err
			}
			ids[ext] = id
			return nil
		})
	if err != nil {
		return written{}, fmt.Errorf("insert %d orders: %w", len(fresh), err)
	}
	// Stock the new orders hold, and the promise of those that wait for
	// some (promised changes for them).
	short, err := s.reserveStock(ctx, tx, engine, intakeBatch{orders: orders, fresh: fresh, ids: ids,
		customerIDs: customerIDs, promised: promised, now: now})
	if err != nil {
		return written{}, err
	}

	var items, history [][]any
	var events []journal.Event
	days := map[string]bool{} // the promised days of the orders
	for k, i := range fresh {
		n := &orders[i]
		id, ok := ids[n.ExternalID]
		if !ok {
			continue
		}
		for _, it := range n.Items {
			items = append(items, []any{id, it.SKU, it.Name, it.Qty, it.PriceMinor, it.MadeToOrder, it.ProductionDays, it.VariantID})
		}
		at := n.PlacedAt
		if n.DeliveredAt != nil {
			at = *n.DeliveredAt
		}
		history = append(history, []any{id, nil, string(n.Status), at, string(source)})
		events = append(events, journal.Event{
			Kind: journal.OrderCreated, OrderID: id, CustomerID: customerIDs[k], History: n.History, OccurredAt: n.PlacedAt,
			Payload: journal.MustPayload(event.OrderCreatedPayload{
				OrderFacts: event.OrderFacts{TotalMinor: n.TotalMinor, Counted: n.Status.Counted(), PlacedAt: n.PlacedAt},
				ExternalID: n.ExternalID, Status: string(n.Status), Currency: n.Currency, Source: string(source),
			}),
		})
		if !n.History && n.Status.Counted() && n.Status != Delivered {
			if day := promised[k].DeliveryTo; day != "" {
				days[day] = true
			}
		}
	}
	if err := store.InsertMany(ctx, tx, "order_items", []string{"order_id", "sku", "name", "qty", "price_minor",
		"made_to_order", "production_days", "variant_id"}, items, "", nil); err != nil {
		return written{}, fmt.Errorf("insert order items: %w", err)
	}
	if err := store.InsertMany(ctx, tx, "order_status_history", []string{"order_id", "from_status", "to_status", "at", "source"},
		history, "", nil); err != nil {
		return written{}, fmt.Errorf("insert status history: %w", err)
	}
	if err := s.journal.Append(ctx, tx, append(events, short...)...); err != nil {
		return written{}, err
	}
	if err := s.jobs.InsertManyTx(ctx, tx, s.promiseDueJobs(tx, days, now)); err != nil {
		return written{}, err
	}
	out := written{ids: ids}
	if keep {
		out.orders = make(map[int64]*Order, len(ids))
		for k, i := range fresh {
			n := &orders[i]
			if id, ok := ids[n.ExternalID]; ok {
				out.orders[id] = s.writtenOrder(n, id, customerIDs[k], promised[k], tokens[k], now, source)
			}
		}
	}
	return out, nil
}

// writtenOrder is the new order n as insert wrote it with id, and as Get
// reads it back once committed, but for its Customer: the intake answers
// from it (TestWrittenOrderIsReadBack holds the two together). p is its
// promise after reserveStock; times are as the engine stores them.
func (s *Service) writtenOrder(n *NewOrder, id, customerID int64, p promise.Stored, token string, now time.Time, source Source) *Order {
	stored := func(t time.Time) time.Time {
		if s.db.Engine() == store.Postgres {
			t = t.Truncate(time.Microsecond) // pgx sends whole microseconds
		}
		return t.UTC() // as both drivers read times back
	}
	o := &Order{
		ID: id, ExternalID: n.ExternalID, CustomerID: customerID, Status: n.Status, TotalMinor: n.TotalMinor,
		Currency: n.Currency, Channel: n.Channel, Carrier: n.Carrier, Payment: n.Payment, GiftWrap: n.GiftWrap,
		History: n.History, ProductionDate: p.ProductionDate, ShipDate: p.ShipDate, DeliveryFrom: p.DeliveryFrom,
		PromisedTo: p.DeliveryTo, PromiseGiven: n.PromisedTo != "", PromiseVersion: 1, TrackingToken: token,
		Address: TidyAddress(n.Address), PlacedAt: stored(n.PlacedAt), CreatedAt: stored(now), UpdatedAt: stored(now),
		Items: slices.Clone(n.Items),
	}
	at := n.PlacedAt
	if n.DeliveredAt != nil {
		d := stored(*n.DeliveredAt)
		o.DeliveredAt = &d
		o.DeliveredOn = n.DeliveredAt.In(s.settings.Shop.Location()).Format(time.DateOnly)
		at = *n.DeliveredAt
	}
	o.StatusHistory = []StatusChange{{To: n.Status, At: stored(at), Source: string(source)}}
	return o
}
