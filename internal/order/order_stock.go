package order

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// Stock is what the order intake asks of the shop's stock (issue 27);
// *stock.Service satisfies it.
type Stock interface {
	// Available answers from memory whether a SKU is tracked, so an order
	// with no tracked SKU costs the intake no statement at all.
	Available(sku string) (a stock.Availability, tracked bool)
	// Reserve holds, inside tx, what the order wants of its tracked SKUs
	// and says what it could not hold and when that is expected.
	Reserve(ctx context.Context, tx *store.Tx, orderID int64, lines []stock.Line, now time.Time) ([]stock.Hold, error)
	// Holds returns what an order holds and waits for, for its
	// explanation.
	Holds(ctx context.Context, orderID int64) ([]stock.Hold, error)
}

// DueFunc is when an operator should act on an order that came in at
// at, for a customer in the zone customer: a call-back's due time
// (playbook.CallbackDue).
type DueFunc func(at time.Time, customer *time.Location) time.Time

// stockShortKey is the dedupe key of an order's stock_short task: one
// per order.
func stockShortKey(orderID int64) string {
	return "o" + strconv.FormatInt(orderID, 10) + ":stock_short"
}

// wantsStock tells whether an order handed in holds stock: a live order
// (not history) that counts and has not left the shop.
func wantsStock(n *NewOrder) bool {
	return !n.History && n.Status.Counted() && !n.Status.LeftShop()
}

// trackedLines are the order's lines of the SKUs the shop tracks, nil
// when it tracks none of them (asked of memory, not the database).
func (s *Service) trackedLines(items []Item) []stock.Line {
	var lines []stock.Line
	for _, it := range items {
		if it.SKU == "" || it.Qty <= 0 {
			continue
		}
		if _, tracked := s.stock.Available(it.SKU); !tracked {
			continue
		}
		lines = append(lines, stock.Line{SKU: it.SKU, Name: it.Name, Qty: int(min(it.Qty, 1<<31-1))})
	}
	return lines
}

// stockWaits turns the short holds into the promise's waits: a line with
// no expected day waits for its item's production days when it has them.
func stockWaits(holds []stock.Hold, items []Item) []promise.Wait {
	var waits []promise.Wait
	for _, h := range holds {
		if !h.Short() {
			continue
		}
		w := promise.Wait{Item: h.Name, On: h.ExpectedOn}
		if w.Item == "" {
			w.Item = h.SKU
		}
		if w.On == 0 {
			for _, it := range items {
				if it.SKU == h.SKU {
					w.ProductionDays = max(w.ProductionDays, it.ProductionDays)
				}
			}
		}
		waits = append(waits, w)
	}
	return waits
}

// reserveStock holds, inside the intake's transaction, the stock of the
// new live orders among fresh (inserted, by external id, in ids). An
// order short of some item gets its promise recomputed from the day the
// item is expected (promised[k] and its row are updated), a stock.short
// event and a stock_short task for an operator. An order with no tracked
// SKU costs nothing. It returns the stock.short events, for the intake
// to journal after the orders' own.
func (s *Service) reserveStock(ctx context.Context, tx *store.Tx, engine *promise.Engine, in intakeBatch) ([]journal.Event, error) {
	if s.stock == nil {
		return nil, nil
	}
	var events []journal.Event
	var tasks []task.Task
	for k, i := range in.fresh {
		n := &in.orders[i]
		id, ok := in.ids[n.ExternalID]
		if !ok || !wantsStock(n) {
			continue
		}
		lines := s.trackedLines(n.Items)
		if len(lines) == 0 {
			continue
		}
		holds, err := s.stock.Reserve(ctx, tx, id, lines, in.now)
		if err != nil {
			return nil, fmt.Errorf("reserve stock of order %s: %w", n.ExternalID, err)
		}
		waits := stockWaits(holds, n.Items)
		if len(waits) == 0 {
			continue
		}
		p, err := s.repromiseShort(ctx, tx, engine, n, id, waits, in.promised[k], in.now)
		if err != nil {
			return nil, err
		}
		in.promised[k] = p
		events = append(events, journal.Event{Kind: journal.StockShort, OrderID: id, CustomerID: in.customerIDs[k],
			OccurredAt: in.now, Payload: journal.MustPayload(event.StockShortPayload{Lines: shortLines(holds)})})
		tasks = append(tasks, task.Task{Kind: task.StockShort, OrderID: id, CustomerID: in.customerIDs[k],
			DedupeKey: stockShortKey(id), DueAt: s.stockTaskDue(n, in.now), Note: s.stockNote(waits)})
	}
	if len(tasks) == 0 {
		return nil, nil
	}
	if _, err := task.Create(ctx, tx, tasks, in.now); err != nil {
		return nil, err
	}
	return events, nil
}

// repromiseShort computes the promise of a new order that waits for
// stock and stores it in place of the first one. It is still the first
// promise the customer hears of, so its version stays 1. A delivery day
// the shop gave (promised_to) stands only when the wait fits before it.
func (s *Service) repromiseShort(ctx context.Context, tx *store.Tx, engine *promise.Engine, n *NewOrder, id int64,
	waits []promise.Wait, first promise.Stored, now time.Time) (promise.Stored, error) {
	req := newPromiseRequest(n)
	for _, w := range waits {
		req.AddWait(w)
	}
	d, _ := engine.Quote(req) // a carrier unknown to the shop leaves the delivery open
	p := d.Store()
	if n.PromisedTo != "" && n.PromisedTo >= p.DeliveryTo {
		p = given(p, n.PromisedTo)
	}
	if p == first {
		return p, nil
	}
	_, err := tx.Exec(ctx, `UPDATE orders SET production_date = $2, ship_date = $3, delivery_from = $4, promised_to = $5,
		updated_at = $6 WHERE id = $1`, id, store.NullText(p.ProductionDate), store.NullText(p.ShipDate),
		store.NullText(p.DeliveryFrom), store.NullText(p.DeliveryTo), now)
	if err != nil {
		return first, fmt.Errorf("promise of order %s waiting for stock: %w", n.ExternalID, err)
	}
	return p, nil
}

// shortLines are the short holds as the stock.short event names them.
func shortLines(holds []stock.Hold) []event.StockLine {
	var lines []event.StockLine
	for _, h := range holds {
		if !h.Short() {
			continue
		}
		l := event.StockLine{SKU: h.SKU, Name: h.Name, Qty: h.Qty, Held: h.Held}
		if h.ExpectedOn != 0 {
			l.ExpectedOn = h.ExpectedOn.String()
		}
		lines = append(lines, l)
	}
	return lines
}

// stockTaskDue is when an operator should call about the short items:
// as a call-back is due (within the shop's call-back window, in working
// hours and the customer's contact hours).
func (s *Service) stockTaskDue(n *NewOrder, now time.Time) time.Time {
	if s.due == nil {
		return now.Add(time.Duration(s.settings.Shop.CallbackWithin))
	}
	loc := s.settings.Shop.Location()
	if tz := n.Customer.Timezone; tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	return s.due(now, loc)
}

// stockNote is the stock_short task's note: each item not in stock and
// its day, in the shop's first language.
func (s *Service) stockNote(waits []promise.Wait) string {
	lang := i18n.RU
	if ls := s.settings.Shop.Languages; len(ls) > 0 {
		lang = i18n.Pick(ls[0], i18n.RU)
	}
	parts := make([]string, len(waits))
	for i, w := range waits {
		parts[i] = promise.WaitText(lang, w)
	}
	return strings.Join(parts, "; ")
}

// stockExplain adds to req what the order waits for, for its
// explanation; nothing without a stock keeper or a hold short.
func (s *Service) stockExplain(ctx context.Context, o *Order, req *promise.Request) error {
	if s.stock == nil || o.History || !o.Status.Counted() {
		return nil
	}
	holds, err := s.stock.Holds(ctx, o.ID)
	if err != nil {
		return fmt.Errorf("stock of order %d: %w", o.ID, err)
	}
	for _, w := range stockWaits(holds, o.Items) {
		req.AddWait(w)
	}
	return nil
}

// intakeBatch is what the intake's insert hands reserveStock.
type intakeBatch struct {
	orders      []NewOrder
	fresh       []int
	ids         map[string]int64
	customerIDs []int64
	promised    []promise.Stored
	now         time.Time
}
