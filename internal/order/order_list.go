package order

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/store"
)

// ListFilter selects orders for the admin's list. Every filter is served
// by an index, so the list is as fast on a million orders as on a hundred.
type ListFilter struct {
	// Query is an order number, or words of a customer's name, e-mail or
	// phone (each matched by prefix).
	Query  string
	Status Status
	// State is AtRisk or Late: open orders on or past their last promised
	// day (Today and GraceDays say which); OnTrack: open orders before
	// it; Kept or Broken: delivered orders by whether they came in time.
	State     PromiseState
	Today     string // shop-local YYYY-MM-DD
	GraceDays int
	// From and To bound the time the order was placed (To exclusive).
	From, To time.Time
	// CustomerID keeps one customer's orders.
	CustomerID int64
	// UpdatedSince keeps the orders changed at or after it (the API's
	// sync: ?updated_since=).
	UpdatedSince time.Time
	// After is the cursor of the page before: the last row's Cursor.
	After string
	Limit int
}

// ListItem is one row of the order list.
type ListItem struct {
	ID           int64
	ExternalID   string
	Status       Status
	TotalMinor   int64
	Currency     string
	Carrier      string
	PlacedAt     time.Time
	UpdatedAt    time.Time
	PromisedTo   string
	DeliveredOn  string
	CustomerID   int64
	CustomerName string
	Phone        string
	Email        string
	// Unreadable marks a row whose stored time could not be read (a year
	// SQLite's text cannot hold): PlacedAt is zero.
	Unreadable bool
}

// Cursor is where the next page starts: after this row.
func (it ListItem) Cursor() string {
	return store.Cursor(it.PlacedAt, it.ID)
}

// openStatuses are those of an order still on its way to the customer.
const openStatusesSQL = `('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup')`

// List returns a page of orders, newest first, and whether there are more.
// Pages are cut by the last row seen (keyset), never by an offset, so page
// 1,000 costs what page 1 does.
func List(ctx context.Context, q store.Querier, f ListFilter) ([]ListItem, bool, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if query := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f.Query), "#")); query != "" {
		cond := "o.external_id = " + arg(query)
		// The customers are resolved first: a few become an IN list the
		// orders_customer index serves (then a sort of their orders);
		// many become a per-row check while the list walks orders_placed
		// newest first. One OR of a subquery left the choice to the
		// planners: SQLite sorted every order of 30,000 customers for
		// "петр" (0.7 s on a million orders), PostgreSQL walked every
		// order for a phone number or an order number (0.3 s).
		m, ok, err := customer.SearchMatch(ctx, q, query)
		if err != nil {
			return nil, false, fmt.Errorf("list orders: %w", err)
		}
		if ok && (!m.All || len(m.IDs) > 0) {
			clause, cargs := m.Clause("o.customer_id", len(args)+1)
			args = append(args, cargs...)
			cond = "(" + cond + " OR " + clause + ")"
		}
		where = append(where, cond)
	}
	if f.Status != "" {
		// A literal, not a parameter: PostgreSQL caches a generic plan
		// for a statement run often, and for "status = $1" that plan
		// walks all orders newest first, which for a status no order has
		// is every order (1 s on a million). The status is one of ours.
		if !slices.Contains(Statuses, f.Status) {
			return nil, false, fmt.Errorf("list orders: unknown status %q", f.Status)
		}
		where = append(where, "o.status = '"+string(f.Status)+"'")
	}
	switch f.State {
	case AtRisk, Late:
		today, err := time.Parse(time.DateOnly, f.Today)
		if err != nil {
			return nil, false, fmt.Errorf("list orders: today %q: %w", f.Today, err)
		}
		// The days are literals for the reason the status is: with
		// "promised_to < $1" PostgreSQL's generic plan walks all orders
		// newest first, every one of them when none is late. They are
		// dates this function formatted, digits and dashes only.
		day := func(t time.Time) string { return "'" + t.Format(time.DateOnly) + "'" }
		graceEnd := day(today.AddDate(0, 0, -f.GraceDays))
		where = append(where, "o.status IN "+openStatusesSQL, "o.promised_to IS NOT NULL")
		if f.State == AtRisk {
			where = append(where, "o.promised_to >= "+graceEnd, "o.promised_to <= "+day(today))
		} else {
			where = append(where, "o.promised_to < "+graceEnd)
		}
	case OnTrack:
		today, err := time.Parse(time.DateOnly, f.Today)
		if err != nil {
			return nil, false, fmt.Errorf("list orders: today %q: %w", f.Today, err)
		}
		where = append(where, "o.status IN "+openStatusesSQL, "o.promised_to > '"+today.Format(time.DateOnly)+"'")
	case Kept:
		where = append(where, "o.delivered_on IS NOT NULL", "o.promised_to IS NOT NULL", "o.delivered_on <= o.promised_to")
	case Broken:
		where = append(where, "o.delivered_on IS NOT NULL", "o.promised_to IS NOT NULL", "o.delivered_on > o.promised_to")
	}
	if !f.UpdatedSince.IsZero() {
		where = append(where, "o.updated_at >= "+arg(f.UpdatedSince.UTC()))
	}
	if !f.From.IsZero() {
		where = append(where, "o.placed_at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "o.placed_at < "+arg(f.To.UTC()))
	}
	if f.CustomerID != 0 {
		where = append(where, "o.customer_id = "+arg(f.CustomerID))
	}
	if at, id, ok := store.ParseCursor(f.After); ok {
		// placed_at <= bounds the index range; PostgreSQL does not
		// derive it from the OR and walked every newer order to reach a
		// deep page (0.2 s a page three years back).
		p, i := arg(at), arg(id)
		where = append(where, "o.placed_at <= "+p+" AND (o.placed_at < "+p+" OR o.id < "+i+")")
	}
	// The page's ids are picked first, from the orders alone, and only
	// they are joined to their customers: a filter whose rows must be
	// sorted (the late orders, a status, a search's orders) then sorts
	// index entries, not whole joined rows.
	page := `SELECT o.id FROM orders o`
	if len(where) > 0 {
		page += " WHERE " + strings.Join(where, " AND ")
	}
	page += " ORDER BY o.placed_at DESC, o.id DESC LIMIT " + strconv.Itoa(limit+1)
	sql := `SELECT o.id, o.external_id, o.status, o.total_minor, o.currency, o.carrier, o.placed_at, o.updated_at,
		COALESCE(o.promised_to, ''), COALESCE(o.delivered_on, ''), c.id, c.name, COALESCE(c.phone, ''), COALESCE(c.email, '')
		FROM orders o JOIN customers c ON c.id = o.customer_id
		WHERE o.id IN (` + page + `)
		ORDER BY o.placed_at DESC, o.id DESC`
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	var out []ListItem
	for rows.Next() {
		var it ListItem
		var badUpdate bool // a stored time that cannot be read leaves it zero
		if err := rows.Scan(&it.ID, &it.ExternalID, &it.Status, &it.TotalMinor, &it.Currency, &it.Carrier,
			store.LenientTime{T: &it.PlacedAt, Bad: &it.Unreadable}, store.LenientTime{T: &it.UpdatedAt, Bad: &badUpdate}, &it.PromisedTo, &it.DeliveredOn, &it.CustomerID,
			&it.CustomerName, &it.Phone, &it.Email); err != nil {
			return nil, false, fmt.Errorf("list orders: %w", err)
		}
		it.Unreadable = it.Unreadable || it.PlacedAt.Year() > 9999
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list orders: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// Note is one line of an order's log of what people did: a call-back's
// outcome, packing, a status set by hand.
type Note struct {
	ID        int64
	OrderID   int64
	Kind      string
	Body      string
	Author    string
	CreatedAt time.Time
}

// NoteAdd writes a note on the order inside tx.
func NoteAdd(ctx context.Context, tx *store.Tx, n Note) error {
	_, err := tx.Exec(ctx, `INSERT INTO order_notes (order_id, kind, body, author, created_at) VALUES ($1, $2, $3, $4, $5)`,
		n.OrderID, n.Kind, n.Body, n.Author, n.CreatedAt)
	if err != nil {
		return fmt.Errorf("note on order %d: %w", n.OrderID, err)
	}
	return nil
}

// Notes returns an order's notes, oldest first.
func Notes(ctx context.Context, q store.Querier, orderID int64) ([]Note, error) {
	rows, err := q.Query(ctx, `SELECT id, order_id, kind, body, author, created_at FROM order_notes
		WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("notes of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.OrderID, &n.Kind, &n.Body, &n.Author, &n.CreatedAt); err != nil {
			return nil, fmt.Errorf("notes of order %d: %w", orderID, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// PromiseState tells where the listed order stands, as Order.PromiseState.
func (it ListItem) PromiseState(today string, graceDays int) PromiseState {
	o := Order{Status: it.Status, PromisedTo: it.PromisedTo, DeliveredOn: it.DeliveredOn}
	return o.PromiseState(today, graceDays)
}
