package stock

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// The resolutions of an order's short lines, as an operator settles them
// with the customer: the outcomes of the stock_short task.
const (
	ResolveAlternative = string(task.Alternative)
	ResolveSplit       = string(task.Split)
	ResolveRefund      = string(task.Refund)
	ResolveWait        = string(task.Wait)
)

// Resolutions lists the resolutions in the order a form offers them.
func Resolutions() []string {
	return []string{ResolveAlternative, ResolveSplit, ResolveRefund, ResolveWait}
}

// MaxAlternative is the most characters the name of an alternative item
// may have.
const MaxAlternative = 200

// ErrNothingShort is returned by Resolve for an order that waits for no
// stock (none of its lines is short, or they were settled by a refund or
// an alternative already): there is nothing to settle.
var ErrNothingShort = errors.New("the order waits for no stock")

// Resolution is what an operator agreed with the customer about an
// order's short lines.
type Resolution struct {
	OrderID int64
	// Resolution is alternative, split, refund or wait.
	Resolution string
	// Alternative names the item offered instead (alternative only).
	Alternative string
	// RefundMinor is the amount refunded in the order's currency, in
	// minor units (refund only): more than zero, at most the order's
	// total.
	RefundMinor int64
	// Note is the operator's own words, kept on the order.
	Note string
	// By is who settled it: an operator's e-mail, "api".
	By string
}

// Resolved says what Resolve did.
type Resolved struct {
	Resolution string
	// SKUs are the short lines settled.
	SKUs []string
	// Released counts the units given back to stock (refund and
	// alternative release what the short lines held).
	Released int
	// TasksClosed counts the stock_short tasks closed.
	TasksClosed int64
}

// Validate checks r on its own, before anything is read or written (the
// refund's ceiling, the order's total, is checked by Resolve): every
// mistake is an *invalid.Error naming its field. It trims r's texts.
func (r *Resolution) Validate() error {
	var errs invalid.List
	r.Resolution = strings.TrimSpace(r.Resolution)
	r.Alternative = strings.TrimSpace(r.Alternative)
	r.Note = strings.TrimSpace(r.Note)
	switch r.Resolution {
	case ResolveAlternative, ResolveSplit, ResolveRefund, ResolveWait:
	case "":
		errs.Add("resolution", "required", "say how it is settled: %s", strings.Join(Resolutions(), ", "))
	default:
		errs.Add("resolution", "invalid", "%q is not a resolution: %s", r.Resolution, strings.Join(Resolutions(), ", "))
	}
	switch {
	case r.Resolution == ResolveAlternative && r.Alternative == "":
		errs.Add("alternative", "required", "name the item offered instead")
	case r.Resolution != ResolveAlternative && r.Alternative != "":
		errs.Add("alternative", "invalid", "only an alternative names an item")
	case r.Alternative != "":
		if e := invalid.TextMax("alternative", r.Alternative, MaxAlternative, false); e != nil {
			errs = append(errs, e)
		}
	}
	switch {
	case r.Resolution == ResolveRefund && r.RefundMinor <= 0:
		errs.Add("refund", "required", "say how much is refunded, more than zero")
	case r.Resolution != ResolveRefund && r.RefundMinor != 0:
		errs.Add("refund", "invalid", "only a refund has an amount")
	}
	if e := invalid.Text("note", r.Note); e != nil {
		errs = append(errs, e)
	}
	if r.OrderID <= 0 {
		errs.Add("order_id", "invalid", "no such order")
	}
	return errs.Err()
}

// Resolve settles an order's short lines as the operator agreed with the
// customer, in one transaction: it records the resolution on the order's
// short reservations (a refund or an alternative releases what they held
// and drops them; a split or a wait keeps them waiting), closes the
// order's open stock_short tasks with the resolution as their outcome,
// writes a note on the order, and journals stock.resolved, which the
// playbook tells the customer about. Invalid input is an *invalid.Error
// naming the field and writes nothing; an order that waits for nothing
// is ErrNothingShort; an unknown order store.ErrNotFound.
func (s *Service) Resolve(ctx context.Context, r Resolution) (Resolved, error) {
	if err := r.Validate(); err != nil {
		return Resolved{}, err
	}
	var out Resolved
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.resolveTx(ctx, tx, r, s.clock.Now())
		return err
	})
	return out, err
}

func (s *Service) resolveTx(ctx context.Context, tx *store.Tx, r Resolution, now time.Time) (Resolved, error) {
	if s.orders == nil {
		return Resolved{}, errors.New("stock: Resolve needs Params.Orders")
	}
	o, err := s.orders.OrderOf(ctx, tx, r.OrderID)
	if err != nil {
		return Resolved{}, fmt.Errorf("resolve stock of order %d: %w", r.OrderID, err)
	}
	if r.Resolution == ResolveRefund && r.RefundMinor > o.TotalMinor {
		return Resolved{}, invalid.Field("refund", "too_much", "the order's total is %s %s",
			money.Format(o.TotalMinor, money.Scale(o.Currency)), o.Currency)
	}
	status := "open"
	if r.Resolution == ResolveRefund || r.Resolution == ResolveAlternative {
		status = "released"
	}
	// The update is the lock: of two operators settling the same lines
	// at once, the second finds them released, or settles them again.
	rows, err := tx.Query(ctx, `UPDATE stock_reservations SET resolution = $2, status = $3, updated_at = $4
		WHERE order_id = $1 AND status = 'open' AND held < qty
		RETURNING sku, held`, r.OrderID, r.Resolution, status, now)
	if err != nil {
		return Resolved{}, fmt.Errorf("resolve stock of order %d: %w", r.OrderID, err)
	}
	held := map[string]int{}
	out := Resolved{Resolution: r.Resolution}
	for rows.Next() {
		var sku string
		var n int
		if err := rows.Scan(&sku, &n); err != nil {
			rows.Close()
			return Resolved{}, fmt.Errorf("resolve stock of order %d: %w", r.OrderID, err)
		}
		out.SKUs = append(out.SKUs, sku)
		held[sku] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Resolved{}, fmt.Errorf("resolve stock of order %d: %w", r.OrderID, err)
	}
	if len(out.SKUs) == 0 {
		return Resolved{}, ErrNothingShort
	}
	if status == "released" {
		for _, n := range held {
			out.Released += n
		}
		// The units the lines held serve the orders waiting for them,
		// then the customers waiting to be told.
		if err := s.takeOff(ctx, tx, held, nil, status, now); err != nil {
			return Resolved{}, fmt.Errorf("release the stock of order %d: %w", r.OrderID, err)
		}
	}
	by := r.By
	if by == "" {
		by = "api"
	}
	if out.TasksClosed, err = task.CloseOpen(ctx, tx, r.OrderID, task.StockShort, task.Outcome(r.Resolution), by, now); err != nil {
		return Resolved{}, err
	}
	body := r.Note
	switch r.Resolution {
	case ResolveAlternative:
		body = strings.TrimSpace(r.Alternative + "\n" + r.Note)
	case ResolveRefund:
		body = strings.TrimSpace(money.Format(r.RefundMinor, money.Scale(o.Currency)) + " " + o.Currency + "\n" + r.Note)
	}
	if err := s.orders.NoteAdd(ctx, tx, r.OrderID, NoteKind(r.Resolution), body, by, now); err != nil {
		return Resolved{}, err
	}
	pl := event.StockResolvedPayload{Resolution: r.Resolution, SKUs: out.SKUs, Alternative: r.Alternative,
		RefundMinor: r.RefundMinor, Note: r.Note}
	if err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.StockResolved, OrderID: r.OrderID,
		CustomerID: o.CustomerID, Payload: journal.MustPayload(pl), OccurredAt: now}); err != nil {
		return Resolved{}, err
	}
	return out, nil
}

// Orders is what Resolve needs of the orders (package order, which
// itself holds stock when it takes an order in, so stock cannot import
// it): the order a resolution is about, and a note on it. The app wires
// it.
type Orders interface {
	// OrderOf returns the order's total, currency and customer, read
	// with q; store.ErrNotFound when there is no such order.
	OrderOf(ctx context.Context, q store.Querier, orderID int64) (OrderFacts, error)
	// NoteAdd writes a note of kind on the order inside tx.
	NoteAdd(ctx context.Context, tx *store.Tx, orderID int64, kind, body, author string, at time.Time) error
}

// OrderFacts is what Resolve checks a resolution against.
type OrderFacts struct {
	CustomerID int64
	TotalMinor int64
	Currency   string
}

// NoteKind is the kind of the note a resolution leaves on the order:
// stock_alternative, stock_split, stock_refund, stock_wait.
func NoteKind(resolution string) string { return "stock_" + resolution }

// OrderHold is one of an order's reservations as it stands: what the
// line wants and holds, whether it still waits, and how it was settled.
type OrderHold struct {
	Hold
	// Status is open (held until shipped), shipped or released.
	Status string
	// Resolution is how an operator settled a short line: alternative,
	// split, refund, wait; "" while nobody has.
	Resolution string
}

// Waits tells whether the line still waits for stock: open and short.
func (h OrderHold) Waits() bool { return h.Status == "open" && h.Short() }

// OrderHolds returns an order's reservations, one per tracked SKU, read
// with q: the messages about the order and its call script read them in
// whatever transaction they are in. An order of untracked items has
// none.
func OrderHolds(ctx context.Context, q store.Querier, orderID int64) ([]OrderHold, error) {
	rows, err := q.Query(ctx, `SELECT sku, name, qty, held, status, COALESCE(expected_on, ''), resolution
		FROM stock_reservations WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("stock held for order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []OrderHold
	for rows.Next() {
		var h OrderHold
		var expected string
		if err := rows.Scan(&h.SKU, &h.Name, &h.Qty, &h.Held, &h.Status, &expected, &h.Resolution); err != nil {
			return nil, fmt.Errorf("stock held for order %d: %w", orderID, err)
		}
		if d, err := calendar.ParseDay(expected); err == nil {
			h.ExpectedOn = d
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// OrderHoldsMany returns the reservations of the orders ids, by order,
// each order's as OrderHolds returns them, with one statement for all of
// them (the message sweep's batch); an order with none is absent.
func OrderHoldsMany(ctx context.Context, q store.Querier, ids []int64) (map[int64][]OrderHold, error) {
	out := make(map[int64][]OrderHold)
	err := store.QueryIn(ctx, q, `SELECT order_id, sku, name, qty, held, status, COALESCE(expected_on, ''), resolution
		FROM stock_reservations WHERE order_id IN (IN_LIST) ORDER BY id`, nil, ids, func(r store.Rows) error {
		var id int64
		var h OrderHold
		var expected string
		if err := r.Scan(&id, &h.SKU, &h.Name, &h.Qty, &h.Held, &h.Status, &expected, &h.Resolution); err != nil {
			return err
		}
		if d, err := calendar.ParseDay(expected); err == nil {
			h.ExpectedOn = d
		}
		out[id] = append(out[id], h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stock held for %d orders: %w", len(ids), err)
	}
	return out, nil
}

// OnHand is a tracked SKU's stock as a person is told it: the units
// available to a new order and the next delivery.
type OnHand struct {
	SKU       string
	Available int
	// NextQty units are expected on NextOn; zero when nothing is on its
	// way.
	NextQty int
	NextOn  calendar.Day
}

// OnHandOf returns the stock of those of skus the shop tracks, read with
// q; a SKU it does not track is absent from the map (nobody knows its
// stock, and nobody guesses).
func OnHandOf(ctx context.Context, q store.Querier, skus []string) (map[string]OnHand, error) {
	out := make(map[string]OnHand, len(skus))
	for _, sku := range skus {
		if _, seen := out[sku]; seen || sku == "" {
			continue
		}
		var h OnHand
		err := q.QueryRow(ctx, `SELECT sku, on_hand - reserved FROM stock_items WHERE sku = $1`, sku).Scan(&h.SKU, &h.Available)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("stock of %s: %w", sku, err)
		}
		var next string
		err = q.QueryRow(ctx, `SELECT qty, expected_on FROM stock_incoming WHERE sku = $1 ORDER BY expected_on, id LIMIT 1`, sku).
			Scan(&h.NextQty, &next)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, fmt.Errorf("incoming of %s: %w", sku, err)
		default:
			if d, err := calendar.ParseDay(next); err == nil {
				h.NextOn = d
			}
		}
		out[sku] = h
	}
	return out, nil
}

// OrderHoldsOf is OrderHolds read from the database now, for the pages
// that show an order.
func (s *Service) OrderHoldsOf(ctx context.Context, orderID int64) ([]OrderHold, error) {
	return OrderHolds(ctx, s.db.Read(), orderID)
}
