package order

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// This file holds the order tables' SQL that other packages need: the
// orders, order_items, order_notes and order_status_history tables belong
// to this package (style rule 14a), so the packing station, the call-back
// desk, the loyalty program and the rest call these functions rather than
// naming the tables. Each takes a store.Querier, so a caller keeps its
// change in one transaction. A lookup of a missing order returns the
// store's ErrNotFound as it is, for the caller to wrap.

// Brief is the little most callers outside this package need of an order.
type Brief struct {
	ID         int64
	CustomerID int64
	Status     Status
	TotalMinor int64
	Currency   string
	Carrier    string
}

// GetBrief returns an order's Brief; a missing order is store.ErrNotFound.
func GetBrief(ctx context.Context, q store.Querier, id int64) (Brief, error) {
	b := Brief{ID: id}
	err := q.QueryRow(ctx, `SELECT customer_id, status, total_minor, currency, carrier FROM orders WHERE id = $1`, id).Scan(
		&b.CustomerID, &b.Status, &b.TotalMinor, &b.Currency, &b.Carrier)
	return b, err
}

// GetStatusAddress returns an order's status and delivery address.
func GetStatusAddress(ctx context.Context, q store.Querier, id int64) (Status, string, error) {
	var status Status
	var address string
	err := q.QueryRow(ctx, `SELECT status, address FROM orders WHERE id = $1`, id).Scan(&status, &address)
	return status, address, err
}

// DeliveryConfirm is what a call to the customer confirmed about an order.
type DeliveryConfirm struct {
	OrderID int64
	// Address and Window replace the order's when not empty.
	Address string
	Window  string
	At      time.Time
}

// SetDeliveryConfirmed keeps what a call confirmed on the order: the address
// and delivery window given (an empty one leaves the order's as it is), and
// that the address is confirmed as of At.
func SetDeliveryConfirmed(ctx context.Context, q store.Querier, c DeliveryConfirm) error {
	sets, args := []string{"updated_at = $2", "address_confirmed_at = $2"}, []any{c.OrderID, c.At}
	for col, v := range map[string]string{"address": c.Address, "delivery_window": c.Window} {
		if v != "" {
			args = append(args, v)
			sets = append(sets, col+" = $"+strconv.Itoa(len(args)))
		}
	}
	_, err := q.Exec(ctx, `UPDATE orders SET `+strings.Join(sets, ", ")+` WHERE id = $1`, args...)
	return err
}

// Contact is what a call-back needs of an order's customer.
type Contact struct {
	CustomerID int64
	Number     string // the order's external id
	Zone       string
	Phone      *string
	Email      *string
}

// GetContact returns the contact facts of the customer who placed order id.
func GetContact(ctx context.Context, q store.Querier, id int64) (Contact, error) {
	var c Contact
	err := q.QueryRow(ctx, `SELECT c.id, o.external_id, c.timezone, c.phone, c.email
		FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1`, id).Scan(
		&c.CustomerID, &c.Number, &c.Zone, &c.Phone, &c.Email)
	return c, err
}

// SetPacked records that a processing order not packed before was packed
// at at, and reports whether it did (false: packed before, not
// processing, or not there).
func SetPacked(ctx context.Context, q store.Querier, id int64, at time.Time) (bool, error) {
	n, err := q.Exec(ctx, `UPDATE orders SET packed_at = $2, updated_at = $2
			WHERE id = $1 AND status = $3 AND packed_at IS NULL`, id, at, string(Processing))
	return n > 0, err
}

// GetPacked returns an order's status and when it was packed (nil: not).
func GetPacked(ctx context.Context, q store.Querier, id int64) (Status, *time.Time, error) {
	var status Status
	var packedAt *time.Time
	err := q.QueryRow(ctx, `SELECT status, packed_at FROM orders WHERE id = $1`, id).Scan(&status, &packedAt)
	return status, packedAt, err
}

// GetAddressPacked returns an order's delivery address and when it was
// packed (nil: not).
func GetAddressPacked(ctx context.Context, q store.Querier, id int64) (string, *time.Time, error) {
	var address string
	var packedAt *time.Time
	err := q.QueryRow(ctx, `SELECT address, packed_at FROM orders WHERE id = $1`, id).Scan(&address, &packedAt)
	return address, packedAt, err
}

// FirstOpenID returns the id of the customer's first order placed that was
// neither cancelled nor returned.
func FirstOpenID(ctx context.Context, q store.Querier, customerID int64) (int64, error) {
	var first int64
	err := q.QueryRow(ctx, `SELECT id FROM orders WHERE customer_id = $1 AND status NOT IN ($2, $3)
		ORDER BY placed_at, id LIMIT 1`, customerID, string(Cancelled), string(Returned)).Scan(&first)
	return first, err
}

// ToPack is an order in the packing queue.
type ToPack struct {
	ID           int64
	ExternalID   string
	CustomerName string
	ShipDate     string // "" when none
	PlacedAt     time.Time
	GiftWrap     bool
	Packed       bool  // packing recorded, status not moved on yet
	Pieces       int64 // the items' quantities added up
}

// ToPackSQL is the query of ListToPack, for a test of its plan. It lists the processing orders by ship date, then by when they
// were placed. Orders without a ship date (imported ones: nobody was
// promised a day) come first, so they are looked at rather than forgotten;
// NULLS FIRST says so to PostgreSQL and is SQLite's own order. The partial
// index orders_to_pack (migration 00006) holds exactly these orders in
// this order, so a page is read straight off it however many orders the
// table has; the status must stay a literal for SQLite to use it.
const ToPackSQL = `SELECT o.id, o.external_id, c.name, o.ship_date, o.placed_at, o.gift_wrap, o.packed_at IS NOT NULL,
		(SELECT COALESCE(SUM(i.qty), 0) FROM order_items i WHERE i.order_id = o.id)
	FROM orders o JOIN customers c ON c.id = o.customer_id
	WHERE o.status = 'processing'
	ORDER BY o.ship_date NULLS FIRST, o.placed_at, o.id
	LIMIT $1`

// ListToPack returns up to limit processing orders in packing order: the
// earliest ship date first (none before any), then the earliest placed.
func ListToPack(ctx context.Context, q store.Querier, limit int) ([]ToPack, error) {
	rows, err := q.Query(ctx, ToPackSQL, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ToPack
	for rows.Next() {
		var it ToPack
		var ship *string
		if err := rows.Scan(&it.ID, &it.ExternalID, &it.CustomerName, &ship, &it.PlacedAt, &it.GiftWrap,
			&it.Packed, &it.Pieces); err != nil {
			return nil, err
		}
		it.ShipDate = store.Text(ship)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Earning is what the loyalty program reads of an order to credit points.
type Earning struct {
	ID, CustomerID int64
	Status         Status
	TotalMinor     int64
	PlacedAt       time.Time
	DeliveredAt    *time.Time
	ReferralCode   string
}

// ListEarnings returns the Earning of each order of ids that exists, by id.
func ListEarnings(ctx context.Context, q store.Querier, ids []int64) (map[int64]Earning, error) {
	out := make(map[int64]Earning, len(ids))
	err := store.QueryIn(ctx, q, `SELECT id, customer_id, status, total_minor, placed_at, delivered_at, COALESCE(referral_code, '')
		FROM orders WHERE id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		var f Earning
		if err := r.Scan(&f.ID, &f.CustomerID, &f.Status, &f.TotalMinor, &f.PlacedAt, &f.DeliveredAt, &f.ReferralCode); err != nil {
			return err
		}
		out[f.ID] = f
		return nil
	})
	return out, err
}

// CountDeliveredBefore counts the customer's orders other than exceptID
// delivered (or returned after delivery) before before, the placing time
// standing in for an unknown delivery time.
func CountDeliveredBefore(ctx context.Context, q store.Querier, customerID, exceptID int64, before time.Time) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN id <> $2 AND status IN ('delivered', 'returned')
		AND COALESCE(delivered_at, placed_at) < $3 THEN 1 ELSE 0 END), 0) FROM orders WHERE customer_id = $1`,
		customerID, exceptID, before).Scan(&n)
	return n, err
}

// CountPlacedBy counts the customer's orders other than exceptID placed at
// or before by.
func CountPlacedBy(ctx context.Context, q store.Querier, customerID, exceptID int64, by time.Time) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND id <> $2 AND placed_at <= $3`,
		customerID, exceptID, by).Scan(&n)
	return n, err
}

// Spend is a customer's delivered orders in a window: how many and their
// total.
type Spend struct {
	CustomerID int64
	Orders     int64
	SpentMinor int64
}

// deliveredSince tests an order of GetDeliveredSince. It and
// CountDeliveredBefore read a customer's orders by the customer's index
// alone: the status and time tests are in the sums, not the WHERE clause.
// With them in the WHERE clause SQLite's planner, without statistics (a
// shop that grew through the API and never ran an import's ANALYZE), took
// the status index and read every delivered order of the shop for each
// customer: the loyalty handler's two reads a delivered order cost more
// than the rest of a carrier event's handling together.
const deliveredSince = `status = 'delivered' AND COALESCE(delivered_at, placed_at) >= $2`

// GetDeliveredSince returns the customer's delivered orders delivered (or,
// without a delivery time, placed) at or after since.
func GetDeliveredSince(ctx context.Context, q store.Querier, customerID int64, since time.Time) (Spend, error) {
	sp := Spend{CustomerID: customerID}
	err := q.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN `+deliveredSince+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+deliveredSince+` THEN total_minor ELSE 0 END), 0)
		FROM orders WHERE customer_id = $1`, customerID, since).Scan(&sp.Orders, &sp.SpentMinor)
	return sp, err
}

// DeliveredSinceOf is GetDeliveredSince for many customers in one query
// (by the customer's index, as GetDeliveredSince reads): a customer with
// no delivered order in the window is missing from the map.
func DeliveredSinceOf(ctx context.Context, q store.Querier, customerIDs []int64, since time.Time) (map[int64]Spend, error) {
	const test = `status = 'delivered' AND COALESCE(delivered_at, placed_at) >= $1`
	out := make(map[int64]Spend, len(customerIDs))
	err := store.QueryIn(ctx, q, `SELECT customer_id, COALESCE(SUM(CASE WHEN `+test+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+test+` THEN total_minor ELSE 0 END), 0)
		FROM orders WHERE customer_id IN (IN_LIST) GROUP BY customer_id`, []any{since}, customerIDs, func(r store.Rows) error {
		var sp Spend
		if err := r.Scan(&sp.CustomerID, &sp.Orders, &sp.SpentMinor); err != nil {
			return err
		}
		out[sp.CustomerID] = sp
		return nil
	})
	return out, err
}

// EachDeliveredSince calls fn with the Spend since since of every customer
// with a delivered order in it, in one pass over the orders.
func EachDeliveredSince(ctx context.Context, q store.Querier, since time.Time, fn func(Spend) error) error {
	return store.Each(ctx, q, `SELECT customer_id, COUNT(*), SUM(total_minor) FROM orders
		WHERE status = 'delivered' AND COALESCE(delivered_at, placed_at) >= $1 GROUP BY customer_id`, []any{since},
		func(r store.Rows) error {
			var sp Spend
			if err := r.Scan(&sp.CustomerID, &sp.Orders, &sp.SpentMinor); err != nil {
				return err
			}
			return fn(sp)
		})
}

// PlaybookFacts is what the playbook reads of an order and its customer
// to decide on a message.
type PlaybookFacts struct {
	ID            int64
	Status        Status
	CustomerID    int64
	PaymentMethod string
	PlacedAt      time.Time
	Country       string
	Timezone      string
	Language      string
	FirstOrderAt  *time.Time // the customer's
}

const playbookFactsColumns = `o.id, o.status, o.customer_id, o.payment_method, o.placed_at,
		c.country, c.timezone, c.language, c.first_order_at
		FROM orders o JOIN customers c ON c.id = o.customer_id`

func scanPlaybookFacts(r store.Row) (PlaybookFacts, error) {
	var f PlaybookFacts
	err := r.Scan(&f.ID, &f.Status, &f.CustomerID, &f.PaymentMethod, &f.PlacedAt, &f.Country, &f.Timezone, &f.Language, &f.FirstOrderAt)
	return f, err
}

// GetPlaybookFacts returns the PlaybookFacts of order id.
func GetPlaybookFacts(ctx context.Context, q store.Querier, id int64) (PlaybookFacts, error) {
	return scanPlaybookFacts(q.QueryRow(ctx, `SELECT `+playbookFactsColumns+` WHERE o.id = $1`, id))
}

// EachPlaybookFacts calls fn with the PlaybookFacts of each order of ids
// that exists, set-based.
func EachPlaybookFacts(ctx context.Context, q store.Querier, ids []int64, fn func(PlaybookFacts) error) error {
	return store.QueryIn(ctx, q, `SELECT `+playbookFactsColumns+` WHERE o.id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		f, err := scanPlaybookFacts(r)
		if err != nil {
			return err
		}
		return fn(f)
	})
}

// Tracked is an order found by its tracking number.
type Tracked struct {
	ID             int64
	CustomerID     int64
	Carrier        string
	Status         Status
	History        bool
	TrackingNumber string
}

// EachByTrackingNumber calls fn with each order whose tracking number is
// one of numbers.
func EachByTrackingNumber(ctx context.Context, q store.Querier, numbers []string, fn func(Tracked) error) error {
	return store.QueryIn(ctx, q, `SELECT id, customer_id, carrier, status, history, tracking_number FROM orders
		WHERE tracking_number IN (IN_LIST)`, nil, numbers, func(r store.Rows) error {
		var o Tracked
		if err := r.Scan(&o.ID, &o.CustomerID, &o.Carrier, &o.Status, &o.History, &o.TrackingNumber); err != nil {
			return err
		}
		return fn(o)
	})
}

// LastUpdatedAt returns when an order was last changed; store.ErrNotFound
// when there is no order.
func LastUpdatedAt(ctx context.Context, q store.Querier) (time.Time, error) {
	var last time.Time
	err := q.QueryRow(ctx, `SELECT updated_at FROM orders ORDER BY updated_at DESC LIMIT 1`).Scan(&last)
	return last, err
}

// EachExternalID calls fn with the external id of every order.
func EachExternalID(ctx context.Context, q store.Querier, fn func(ext string) error) error {
	return store.Each(ctx, q, `SELECT external_id FROM orders`, nil, func(r store.Rows) error {
		var ext string
		if err := r.Scan(&ext); err != nil {
			return err
		}
		return fn(ext)
	})
}

// Moving is a live order that has not reached its end yet, with where its
// customer is, as the demo moves it on.
type Moving struct {
	ID, CustomerID    int64
	Status            Status
	Carrier           string
	Country, Language string // the customer's
	// DeliveryFrom and PromisedTo are the promised delivery days, "" when
	// none.
	DeliveryFrom, PromisedTo string
	TrackingNumber           string
}

// EachMoving calls fn with every live (not imported) order that is new,
// processing, ready to ship, shipped or ready for pickup, by id.
func EachMoving(ctx context.Context, q store.Querier, fn func(Moving) error) error {
	return store.Each(ctx, q, `SELECT o.id, o.customer_id, o.status, o.carrier, c.country, c.language, o.delivery_from, o.promised_to,
		o.tracking_number FROM orders o JOIN customers c ON c.id = o.customer_id
		WHERE NOT o.history AND o.status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup')
		ORDER BY o.id`, nil, func(r store.Rows) error {
		var o Moving
		var from, to *string
		if err := r.Scan(&o.ID, &o.CustomerID, &o.Status, &o.Carrier, &o.Country, &o.Language, &from, &to, &o.TrackingNumber); err != nil {
			return err
		}
		o.DeliveryFrom, o.PromisedTo = store.Text(from), store.Text(to)
		return fn(o)
	})
}

// EachStatusStep calls fn with the time of every status step of the
// orders of ids, in the order they were taken.
func EachStatusStep(ctx context.Context, q store.Querier, ids []int64, fn func(orderID int64, at time.Time) error) error {
	return store.QueryIn(ctx, q, `SELECT order_id, at FROM order_status_history WHERE order_id IN (IN_LIST) ORDER BY id`,
		nil, ids, func(r store.Rows) error {
			var id int64
			var at time.Time
			if err := r.Scan(&id, &at); err != nil {
				return err
			}
			return fn(id, at)
		})
}

// EachImportedSpend calls fn, by customer id, with what each customer spent
// on imported (history) orders delivered (or, without a delivery time,
// placed) at or after since.
func EachImportedSpend(ctx context.Context, q store.Querier, since time.Time, fn func(customerID, spentMinor int64) error) error {
	return store.Each(ctx, q, `SELECT customer_id, SUM(total_minor) FROM orders
		WHERE history AND status = 'delivered' AND COALESCE(delivered_at, placed_at) >= $1
		GROUP BY customer_id ORDER BY customer_id`, []any{since}, func(r store.Rows) error {
		var c, spent int64
		if err := r.Scan(&c, &spent); err != nil {
			return err
		}
		return fn(c, spent)
	})
}
