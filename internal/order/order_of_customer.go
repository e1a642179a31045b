package order

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// CustomerOrder is one order as its customer's own page lists it: what
// the row says (number, date, total, status, promise), without items or
// history, which the order's own page reads.
type CustomerOrder struct {
	ID             int64
	ExternalID     string
	Status         Status
	TotalMinor     int64
	Currency       string
	Carrier        string
	TrackingNumber string
	PlacedAt       time.Time
	DeliveryFrom   string // the promise's days, YYYY-MM-DD; "" when not known
	PromisedTo     string
	DeliveredOn    string
}

// Cursor is where the next page of the customer's orders starts: after
// this row.
func (o CustomerOrder) Cursor() string {
	return store.Cursor(o.PlacedAt, o.ID)
}

// CustomerOrdersSQL reads a page of one customer's orders, newest first.
// The orders_customer index (customer_id, placed_at, …) serves both the
// filter and the order, so the page costs the same on a million orders
// as on a hundred: the customer's rows are a range of the index, read
// from its end. $2 and $3 are the cursor (placed_at, id) of the row
// before the page; a first page passes a time after every order and an
// id above every id. The plan test runs EXPLAIN QUERY PLAN on it.
const CustomerOrdersSQL = `SELECT id, external_id, status, total_minor, currency, carrier, tracking_number, placed_at,
	COALESCE(delivery_from, ''), COALESCE(promised_to, ''), COALESCE(delivered_on, '')
	FROM orders
	WHERE customer_id = $1 AND placed_at <= $2 AND (placed_at < $2 OR id < $3)
	ORDER BY placed_at DESC, id DESC LIMIT $4`

// ListOfCustomer returns a page of limit orders of the customer, newest
// first, after the cursor after (a row's Cursor; "" or one that does not
// parse is the first page), and whether more follow.
func ListOfCustomer(ctx context.Context, q store.Querier, customerID int64, after string, limit int) ([]CustomerOrder, bool, error) {
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	// A first page starts after the far future: one statement, one plan.
	at, id := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), int64(1<<62)
	if t, i, ok := store.ParseCursor(after); ok {
		at, id = t.UTC(), i
	}
	var out []CustomerOrder
	err := store.Each(ctx, q, CustomerOrdersSQL, []any{customerID, at, id, limit + 1}, func(r store.Rows) error {
		var o CustomerOrder
		var bad bool // a stored time that cannot be read leaves it zero
		if err := r.Scan(&o.ID, &o.ExternalID, &o.Status, &o.TotalMinor, &o.Currency, &o.Carrier, &o.TrackingNumber,
			store.LenientTime{T: &o.PlacedAt, Bad: &bad}, &o.DeliveryFrom, &o.PromisedTo, &o.DeliveredOn); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("list orders of customer %d: %w", customerID, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// ListOfCustomer returns a page of the customer's orders (see
// ListOfCustomer).
func (s *Service) ListOfCustomer(ctx context.Context, customerID int64, after string, limit int) ([]CustomerOrder, bool, error) {
	return ListOfCustomer(ctx, s.db.Read(), customerID, after, limit)
}
