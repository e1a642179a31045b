package order

// The facts analytics reads from the orders: set-based, one query per
// call and streamed to the caller's function, so a roll-up over millions of
// orders never loads them all or asks once per order. The analytics
// package owns what it makes of them (its roll-up tables); this file owns
// the SQL that names orders.
//
// Three reads join customers for the destination (country, city) or the
// customer's acquisition day, to group in the database rather than in Go:
// FactsDeliveredEach, FactsLateOpenEach and FactsCountBuyers.

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// CustomerOrderFact is one order of a customer as the roll-ups read it.
type CustomerOrderFact struct {
	CustomerID int64
	PlacedAt   time.Time
	TotalMinor int64
	Currency   string
	Channel    string
	Status     string
}

const customerOrderFactsSQL = `SELECT customer_id, placed_at, total_minor, currency, channel, status FROM orders `

func scanCustomerOrderFact(fn func(CustomerOrderFact) error) func(store.Rows) error {
	return func(r store.Rows) error {
		var f CustomerOrderFact
		if err := r.Scan(&f.CustomerID, &f.PlacedAt, &f.TotalMinor, &f.Currency, &f.Channel, &f.Status); err != nil {
			return err
		}
		return fn(f)
	}
}

// FactsEachInCustomerRange calls fn for every order of the customers with
// an id in [fromID, toID), by customer, oldest first.
func FactsEachInCustomerRange(ctx context.Context, q store.Querier, fromID, toID int64, fn func(CustomerOrderFact) error) error {
	return store.Each(ctx, q, customerOrderFactsSQL+`WHERE customer_id >= $1 AND customer_id < $2 ORDER BY customer_id, placed_at, id`,
		[]any{fromID, toID}, scanCustomerOrderFact(fn))
}

// FactsEachOfCustomers calls fn for every order of the customers ids, by
// customer, oldest first.
func FactsEachOfCustomers(ctx context.Context, q store.Querier, ids []int64, fn func(CustomerOrderFact) error) error {
	return store.QueryIn(ctx, q, customerOrderFactsSQL+`WHERE customer_id IN (IN_LIST) ORDER BY customer_id, placed_at, id`, nil, ids,
		scanCustomerOrderFact(fn))
}

// SaleFact is where an order counts in the sales roll-up.
type SaleFact struct {
	ID       int64
	PlacedAt time.Time
	Channel  string
	Currency string
}

// FactsSalesEach calls fn for each of the orders ids that exists.
func FactsSalesEach(ctx context.Context, q store.Querier, ids []int64, fn func(SaleFact) error) error {
	return store.QueryIn(ctx, q, `SELECT id, placed_at, channel, currency FROM orders WHERE id IN (IN_LIST)`, nil, ids,
		func(r store.Rows) error {
			var f SaleFact
			if err := r.Scan(&f.ID, &f.PlacedAt, &f.Channel, &f.Currency); err != nil {
				return err
			}
			return fn(f)
		})
}

// PurchaseFact is a counted order as the CLV models read it.
type PurchaseFact struct {
	CustomerID int64
	PlacedAt   time.Time
	TotalMinor int64
	Currency   string
}

// FactsPurchasesEach calls fn for every counted order (neither cancelled
// nor returned) placed before end, by customer, oldest first.
func FactsPurchasesEach(ctx context.Context, q store.Querier, end time.Time, fn func(PurchaseFact) error) error {
	return store.Each(ctx, q, `SELECT customer_id, placed_at, total_minor, currency FROM orders
		WHERE status NOT IN ('cancelled', 'returned') AND placed_at < $1 ORDER BY customer_id, placed_at`, []any{end},
		func(r store.Rows) error {
			var f PurchaseFact
			if err := r.Scan(&f.CustomerID, &f.PlacedAt, &f.TotalMinor, &f.Currency); err != nil {
				return err
			}
			return fn(f)
		})
}

// DeliveredFact counts the delivered orders of one delivery day, promised
// day, carrier and destination.
type DeliveredFact struct {
	DeliveredOn string // YYYY-MM-DD
	PromisedTo  string // YYYY-MM-DD
	Carrier     string
	Country     string
	City        string
	Orders      int64
}

// deliveredFactsSQL reads delivered orders with a promise the customer was
// given: those shopcare made, and those the shop gave itself
// (promised_to). A past order imported without one has dates computed for
// it, but nobody was told them.
const deliveredFactsSQL = `SELECT o.delivered_on, o.promised_to, o.carrier, c.country, c.city, COUNT(*)
	FROM orders o JOIN customers c ON c.id = o.customer_id
	WHERE o.delivered_on IS NOT NULL AND o.promised_to IS NOT NULL AND (o.promise_given OR NOT o.history)`

func scanDeliveredFact(fn func(DeliveredFact) error) func(store.Rows) error {
	return func(r store.Rows) error {
		var f DeliveredFact
		if err := r.Scan(&f.DeliveredOn, &f.PromisedTo, &f.Carrier, &f.Country, &f.City, &f.Orders); err != nil {
			return err
		}
		return fn(f)
	}
}

// FactsDeliveredEach calls fn for the whole promise record: every
// delivered order with a promise given, grouped.
func FactsDeliveredEach(ctx context.Context, q store.Querier, fn func(DeliveredFact) error) error {
	return store.Each(ctx, q, deliveredFactsSQL+` GROUP BY 1, 2, 3, 4, 5`, nil, scanDeliveredFact(fn))
}

// FactsDeliveredEachOf is FactsDeliveredEach over the orders ids only.
func FactsDeliveredEachOf(ctx context.Context, q store.Querier, ids []int64, fn func(DeliveredFact) error) error {
	return store.QueryIn(ctx, q, deliveredFactsSQL+` AND o.id IN (IN_LIST) GROUP BY 1, 2, 3, 4, 5`, nil, ids, scanDeliveredFact(fn))
}

// LateOpenFact counts the open orders found late, by carrier and
// destination.
type LateOpenFact struct {
	Carrier string
	Country string
	City    string
	Orders  int64
}

// FactsLateOpenEach calls fn for each carrier and destination with open
// orders found late (past history left out).
func FactsLateOpenEach(ctx context.Context, q store.Querier, fn func(LateOpenFact) error) error {
	return store.Each(ctx, q, `SELECT o.carrier, c.country, c.city, COUNT(*)
		FROM orders o JOIN customers c ON c.id = o.customer_id
		WHERE o.late_at IS NOT NULL AND o.status IN ('new', 'processing', 'ready_to_ship', 'shipped') AND NOT o.history
		GROUP BY 1, 2, 3`, nil, func(r store.Rows) error {
		var f LateOpenFact
		if err := r.Scan(&f.Carrier, &f.Country, &f.City, &f.Orders); err != nil {
			return err
		}
		return fn(f)
	})
}

// FactsCountAtRisk counts the open orders on their promised day and not
// yet found late (past history left out).
func FactsCountAtRisk(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE risk_day = promised_to AND late_at IS NULL
		AND status IN ('new', 'processing', 'ready_to_ship', 'shipped') AND NOT history`).Scan(&n)
	return n, err
}

// BuyerFacts counts the customers who ordered in a period.
type BuyerFacts struct {
	Customers int64 // with an order in the period, any status
	Buyers    int64 // with a counted order in it
	// Repeat had two counted orders by the period's end: two in it, or
	// one in it and acquired before it.
	Repeat *int64
}

// FactsCountBuyers counts the customers with an order placed in [from, to);
// acquiredBefore is the period's first day (YYYY-MM-DD), compared with the
// customers' acquisition day.
func FactsCountBuyers(ctx context.Context, q store.Querier, from, to time.Time, acquiredBefore string) (BuyerFacts, error) {
	var b BuyerFacts
	err := q.QueryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN b.n > 0 THEN 1 END),
		COUNT(CASE WHEN b.n >= 2 OR (b.n > 0 AND c.acquired_on < $3) THEN 1 END)
		FROM (SELECT customer_id, SUM(CASE WHEN status NOT IN ('cancelled', 'returned') THEN 1 ELSE 0 END) AS n
			FROM orders WHERE placed_at >= $1 AND placed_at < $2 GROUP BY customer_id) AS b
		JOIN customers c ON c.id = b.customer_id`, from, to, acquiredBefore).Scan(&b.Customers, &b.Buyers, &b.Repeat)
	return b, err
}
