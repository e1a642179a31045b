package customer

// The facts analytics reads from and keeps on the customers: the columns
// of migration 00011 (placed, purchases, acquired_on, acquired_channel,
// last_purchase_on, activity) are the analytics roll-up's share of each
// customer, computed by the analytics package and stored here, in the
// owner of the table. Every function is one set-based statement (or one
// per chunk of ids).

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Analytics is a customer's share of the analytics roll-ups. Empty strings
// stand for NULL columns.
type Analytics struct {
	ID              int64
	Placed          int64  // orders
	Purchases       int64  // counted orders
	AcquiredOn      string // YYYY-MM-DD of the first counted order
	AcquiredChannel string // its channel
	LastPurchaseOn  string // YYYY-MM-DD of the last counted order
	Activity        string // the months, as the analytics package encodes them
}

// FactsMaxID is the highest customer id, 0 without customers.
func FactsMaxID(ctx context.Context, q store.Querier) (int64, error) {
	var last int64
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM customers`).Scan(&last)
	return last, err
}

// FactsDestinationsEach calls fn with every customer's id, country and
// city, by id: one scan of the table in its own order, for a caller that
// joins millions of rows to their customer's destination in memory rather
// than looking each customer up.
func FactsDestinationsEach(ctx context.Context, q store.Querier, fn func(id int64, country, city string) error) error {
	return store.Each(ctx, q, `SELECT id, country, city FROM customers ORDER BY id`, nil, func(r store.Rows) error {
		var id int64
		var country, city string
		if err := r.Scan(&id, &country, &city); err != nil {
			return err
		}
		return fn(id, country, city)
	})
}

// FactsReset clears the analytics share of the customers with an id in
// [fromID, toID) that have one.
func FactsReset(ctx context.Context, q store.Querier, fromID, toID int64) error {
	_, err := q.Exec(ctx, `UPDATE customers SET placed = 0, purchases = 0, acquired_on = NULL, acquired_channel = NULL,
		last_purchase_on = NULL, activity = '' WHERE id >= $1 AND id < $2 AND placed <> 0`, fromID, toID)
	return err
}

// FactsEachOf calls fn with the analytics share of each of the customers
// ids that exists.
func FactsEachOf(ctx context.Context, q store.Querier, ids []int64, fn func(Analytics) error) error {
	return store.QueryIn(ctx, q, `SELECT id, placed, purchases, COALESCE(acquired_on, ''), COALESCE(acquired_channel, ''),
		COALESCE(last_purchase_on, ''), activity FROM customers WHERE id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		var a Analytics
		if err := r.Scan(&a.ID, &a.Placed, &a.Purchases, &a.AcquiredOn, &a.AcquiredChannel, &a.LastPurchaseOn, &a.Activity); err != nil {
			return err
		}
		return fn(a)
	})
}

// FactsSave writes the customers' analytics shares: row by row through
// the transaction's prepared statement on SQLite, in one statement over
// arrays on PostgreSQL (a round trip per customer would be the rebuild's
// cost). A share without AcquiredOn has no acquisition channel nor last
// purchase day.
func FactsSave(ctx context.Context, q store.Querier, engine store.Engine, as []Analytics) error {
	if len(as) == 0 {
		return nil
	}
	if engine == store.Postgres {
		ids := make([]int64, len(as))
		purchases := make([]int64, len(as))
		placed := make([]int64, len(as))
		days, channels, last, activity := make([]*string, len(as)), make([]*string, len(as)), make([]*string, len(as)), make([]string, len(as))
		for i, a := range as {
			ids[i], placed[i], purchases[i], activity[i] = a.ID, a.Placed, a.Purchases, a.Activity
			if a.AcquiredOn != "" {
				days[i], channels[i], last[i] = &a.AcquiredOn, &a.AcquiredChannel, &a.LastPurchaseOn
			}
		}
		_, err := q.Exec(ctx, `UPDATE customers AS c SET placed = v.placed, purchases = v.purchases, acquired_on = v.acquired_on,
			acquired_channel = v.acquired_channel, last_purchase_on = v.last_purchase_on, activity = v.activity
			FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
				AS v (id, placed, purchases, acquired_on, acquired_channel, last_purchase_on, activity)
			WHERE c.id = v.id`, ids, placed, purchases, days, channels, last, activity)
		if err != nil {
			return fmt.Errorf("save customers' analytics: %w", err)
		}
		return nil
	}
	for _, a := range as {
		var channel *string
		if a.AcquiredOn != "" {
			channel = &a.AcquiredChannel
		}
		_, err := q.Exec(ctx, `UPDATE customers SET placed = $2, purchases = $3, acquired_on = $4, acquired_channel = $5,
			last_purchase_on = $6, activity = $7 WHERE id = $1`,
			a.ID, a.Placed, a.Purchases, store.NullText(a.AcquiredOn), channel, store.NullText(a.LastPurchaseOn), a.Activity)
		if err != nil {
			return fmt.Errorf("save analytics of customer %d: %w", a.ID, err)
		}
	}
	return nil
}

// FactsCountPurchasedSince counts the customers whose last counted order
// is on or after each of two days (YYYY-MM-DD): both are ranges of the
// index on last_purchase_on.
func FactsCountPurchasedSince(ctx context.Context, q store.Querier, first, second string) (int64, int64, error) {
	var a, b int64
	err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM customers WHERE last_purchase_on >= $1),
		(SELECT COUNT(*) FROM customers WHERE last_purchase_on >= $2)`, first, second).Scan(&a, &b)
	return a, b, err
}

// LastPurchaseParams selects customers by the day of their last counted
// order: on or after From, before To (YYYY-MM-DD both), at most Limit.
type LastPurchaseParams struct {
	From, To string
	Limit    int
}

// FactsEachByLastPurchase calls fn with the analytics share and name of
// the customers p selects, the most recent last purchase (then the highest
// id) first. Name is the customer's name.
func FactsEachByLastPurchase(ctx context.Context, q store.Querier, p LastPurchaseParams, fn func(a Analytics, name string) error) error {
	return store.Each(ctx, q, `SELECT id, name, last_purchase_on, purchases, activity FROM customers
		WHERE last_purchase_on >= $1 AND last_purchase_on < $2 ORDER BY last_purchase_on DESC, id DESC LIMIT $3`,
		[]any{p.From, p.To, p.Limit}, func(r store.Rows) error {
			var a Analytics
			var name string
			if err := r.Scan(&a.ID, &name, &a.LastPurchaseOn, &a.Purchases, &a.Activity); err != nil {
				return err
			}
			return fn(a, name)
		})
}

// Card is what a list of customers shows of each: who they are and what
// they bought.
type Card struct {
	ID          int64
	Name        string
	Email       string // "" when unknown
	Orders      int64
	LastOrderAt *time.Time // nil before any order
	SpentMinor  int64
}

// FactsCardsEach calls fn with the card of each of the customers ids that
// exists, in no particular order.
func FactsCardsEach(ctx context.Context, q store.Querier, ids []int64, fn func(Card) error) error {
	return store.QueryIn(ctx, q, `SELECT id, name, COALESCE(email, ''), orders_count, last_order_at, spent_minor
		FROM customers WHERE id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		var c Card
		if err := r.Scan(&c.ID, &c.Name, &c.Email, &c.Orders, &c.LastOrderAt, &c.SpentMinor); err != nil {
			return err
		}
		return fn(c)
	})
}
