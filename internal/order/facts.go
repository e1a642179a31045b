package order

// The facts analytics reads from the orders: set-based, one query per
// call and streamed to the caller's function, so a roll-up over millions of
// orders never loads them all or asks once per order. The analytics
// package owns what it makes of them (its roll-up tables); this file owns
// the SQL that names orders.
//
// Four reads join customers for the destination (country, city) or the
// customer's acquisition day, to group in the database rather than in Go:
// FactsDeliveredEach, FactsLateOpenEach, FactsCountBuyers and
// FactsCountBuyerShares.

import (
	"context"
	"fmt"
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

// DeliveredOrder is one delivered order of the promise record, with its
// customer instead of the destination.
type DeliveredOrder struct {
	CustomerID  int64
	DeliveredOn string // YYYY-MM-DD
	PromisedTo  string // YYYY-MM-DD
	Carrier     string
}

// FactsDeliveredOrdersEach calls fn for every order FactsDeliveredEach
// counts, one by one, in one scan of the orders in their own order and
// without the customers: FactsDeliveredEach's join looks up the customer
// of each order at random (16 µs an order at a million); a caller that
// holds the customers' destinations groups these itself. fn must not keep
// f past its call.
func FactsDeliveredOrdersEach(ctx context.Context, q store.Querier, fn func(f *DeliveredOrder) error) error {
	var f DeliveredOrder
	return store.Each(ctx, q, `SELECT customer_id, delivered_on, promised_to, carrier FROM orders
		WHERE delivered_on IS NOT NULL AND promised_to IS NOT NULL AND (promise_given OR NOT history)`, nil,
		func(r store.Rows) error {
			if err := r.Scan(&f.CustomerID, &f.DeliveredOn, &f.PromisedTo, &f.Carrier); err != nil {
				return err
			}
			return fn(&f)
		})
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

// openNotPickup is "status IN ('new', 'processing', 'ready_to_ship',
// 'shipped')" (of the orders aliased prefix) written as the open statuses
// of the partial indexes orders_open_promised_placed and
// orders_late_pending less 'ready_for_pickup': the same orders, but in
// the words a planner matches a partial index by, so the reports read the
// open orders from the index instead of scanning every order (3 s → 0 on
// 10M closed ones).
func openNotPickup(prefix string) string {
	return prefix + `status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup') AND ` +
		prefix + `status <> 'ready_for_pickup'`
}

// FactsLateOpenEach calls fn for each carrier and destination with open
// orders found late (past history left out).
func FactsLateOpenEach(ctx context.Context, q store.Querier, fn func(LateOpenFact) error) error {
	return store.Each(ctx, q, `SELECT o.carrier, c.country, c.city, COUNT(*)
		FROM orders o JOIN customers c ON c.id = o.customer_id
		WHERE `+openNotPickup("o.")+` AND o.late_at IS NOT NULL AND NOT o.history
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
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE `+openNotPickup("")+` AND late_at IS NULL AND NOT history
		AND risk_day = promised_to`).Scan(&n)
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

// BuyerShares counts the customers who ordered in a period, as
// FactsCountBuyers, but reads the acquisition day of those who bought
// twice in it only: the repeat buyers are the buyers less those acquired
// in the period who bought once in it, and the caller knows how many
// were acquired in it (analytics' acquisitions) without reading every
// buyer's row.
type BuyerShares struct {
	Customers int64 // with an order in the period, any status
	Buyers    int64 // with a counted order in it
	Several   int64 // with two counted orders or more in it
	// SeveralAcquired are those of Several acquired on or after the
	// period's first day.
	SeveralAcquired int64
}

// FactsCountBuyerShares counts the customers with an order placed in
// [from, to); acquiredFrom is the period's first day (YYYY-MM-DD).
func FactsCountBuyerShares(ctx context.Context, q store.Querier, from, to time.Time, acquiredFrom string) (BuyerShares, error) {
	var b BuyerShares
	err := q.QueryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN b.n > 0 THEN 1 END), COUNT(CASE WHEN b.n >= 2 THEN 1 END),
		COUNT(CASE WHEN b.n >= 2 THEN CASE WHEN (SELECT c.acquired_on FROM customers c WHERE c.id = b.customer_id) >= $3 THEN 1 END END)
		FROM (SELECT customer_id, SUM(CASE WHEN status NOT IN ('cancelled', 'returned') THEN 1 ELSE 0 END) AS n
			FROM orders WHERE placed_at >= $1 AND placed_at < $2 GROUP BY customer_id) AS b`, from, to, acquiredFrom).
		Scan(&b.Customers, &b.Buyers, &b.Several, &b.SeveralAcquired)
	return b, err
}

// PurchaseRow is a counted order as report clv streams them: Foreign is
// its currency when that is not the one asked for, nil when it is.
type PurchaseRow struct {
	CustomerID int64
	PlacedAt   time.Time
	TotalMinor int64
	Foreign    *string
}

// FactsPurchaseRowsEach calls fn for every counted order placed before
// end, by customer, oldest first, as FactsPurchasesEach, at a lower cost
// per row for millions of them: the currency is compared in the query
// (Foreign is nil for currency, no string read per row), and on SQLite the
// time comes as its stored text and is read by purchaseTime instead of the
// driver's layout-by-layout parse. fn must not keep r past its call.
func FactsPurchaseRowsEach(ctx context.Context, q store.Querier, engine store.Engine, end time.Time, currency string,
	fn func(r *PurchaseRow) error) error {
	placed := "placed_at"
	if engine == store.SQLite {
		placed = "placed_at || ''" // text: no declared type for the driver to parse by
	}
	var r PurchaseRow
	pt := purchaseTime{t: &r.PlacedAt}
	return store.Each(ctx, q, `SELECT customer_id, `+placed+`, total_minor, CASE WHEN currency = $2 THEN NULL ELSE currency END FROM orders
		WHERE status NOT IN ('cancelled', 'returned') AND placed_at < $1 ORDER BY customer_id, placed_at`, []any{end, currency},
		func(rs store.Rows) error {
			if err := rs.Scan(&r.CustomerID, pt, &r.TotalMinor, &r.Foreign); err != nil {
				return err
			}
			return fn(&r)
		})
}

// purchaseTime scans a time: a time.Time as it is, a stored text by
// parseStoredTime.
type purchaseTime struct{ t *time.Time }

// Scan implements sql.Scanner.
func (p purchaseTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*p.t = v
		return nil
	case string:
		return parseStoredTime(v, p.t)
	case []byte:
		return parseStoredTime(string(v), p.t)
	}
	return fmt.Errorf("placed_at: cannot read %T as a time", src)
}

// storedTimeLayouts are the layouts SQLite holds a time in: modernc's
// "_time_format=sqlite" and what SQLite's own functions write.
var storedTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
	time.DateOnly}

// parseStoredTime reads s into *t. The common shape,
// "YYYY-MM-DD HH:MM:SS[.fraction]±HH:MM" (or Z), is read digit by digit,
// about 20 times faster than time.Parse; anything else goes through
// time.Parse with the stored layouts. Both give the same instant.
func parseStoredTime(s string, t *time.Time) error {
	if v, ok := parseStoredTimeFast(s); ok {
		*t = v
		return nil
	}
	for _, layout := range storedTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			*t = v
			return nil
		}
	}
	return fmt.Errorf("placed_at: %q is not a time", s)
}

func parseStoredTimeFast(s string) (time.Time, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 ||
		day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	i, nsec := 19, 0
	if s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		digits := j - i - 1
		if digits < 1 || digits > 9 {
			return time.Time{}, false
		}
		nsec, _ = num(i+1, digits)
		for range 9 - digits {
			nsec *= 10
		}
		i = j
	}
	offset := 0
	switch rest := s[i:]; {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(i+1, 2)
		om, ok2 := num(i+4, 2)
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	utc := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return utc.Add(-time.Duration(offset) * time.Second), true
}
