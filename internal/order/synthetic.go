package order

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// The synthetic orders of the benchmarks (shopcare bench …): set-based
// inserts that let the database compute every row from a series of
// numbers (a recursive CTE on SQLite, generate_series on PostgreSQL), a
// chunk From..To a statement, and the counts the benchmarks check them
// by. Nothing here is used by the shop itself.

// SyntheticSeries is the chunk of a series one synthetic insert covers,
// on the engine whose dialect the statement is written in.
type SyntheticSeries struct {
	Engine   store.Engine
	From, To int64 // the series numbers i of the chunk, From..To inclusive
}

// SyntheticDelivered are delivered orders Prefix || i of random customers
// 1..Customers, all placed at At (bench loyalty's).
type SyntheticDelivered struct {
	SyntheticSeries
	Prefix    string
	Customers int64
	At        time.Time
}

// SyntheticInsertDelivered inserts the delivered orders of the chunk.
func SyntheticInsertDelivered(ctx context.Context, q store.Querier, p SyntheticDelivered) error {
	_, err := q.Exec(ctx, syntheticSQL[p.Engine].delivered, p.From, p.To, p.Prefix, p.Customers, p.At)
	return err
}

// SyntheticHistory are orders bm-i of random customers 1..Customers,
// placed evenly over Span seconds from Start (a Unix time) with Total
// orders in all, a few hours apart each; nine in ten delivered (promised
// five days after, delivered three to seven days after), the rest
// cancelled or returned; in six channels (bench metrics').
type SyntheticHistory struct {
	SyntheticSeries
	Customers   int64
	Start, Span int64
	Total       int64
}

// SyntheticInsertHistory inserts the history orders of the chunk.
func SyntheticInsertHistory(ctx context.Context, q store.Querier, p SyntheticHistory) error {
	_, err := q.Exec(ctx, syntheticSQL[p.Engine].history, p.From, p.To, p.Customers, p.Start, p.Span, p.Total)
	return err
}

// SyntheticShipped are orders ps-i of random customers 1..Customers, each
// shipped with a tracking number (two in five by post, to a pickup point,
// the rest by courier) at a minute of the four to two days before Now (a
// Unix time), placed a day before; their promised day is left unset
// (bench parcels'). parcel.SyntheticInsert makes their parcels.
type SyntheticShipped struct {
	SyntheticSeries
	Customers int64
	Now       int64
}

// SyntheticInsertShipped inserts the shipped orders of the chunk.
func SyntheticInsertShipped(ctx context.Context, q store.Querier, p SyntheticShipped) error {
	_, err := q.Exec(ctx, syntheticSQL[p.Engine].shipped, p.From, p.To, p.Customers, p.Now)
	return err
}

// SyntheticOpen are orders oo-i of random customers 1..Customers, new,
// processing, ready to ship or shipped, promised on one of the 71 days
// from 40 before the day Today (midnight UTC of the shop's today, a Unix
// time) to 30 after, placed three to nine days before it (bench parcels').
type SyntheticOpen struct {
	SyntheticSeries
	Customers int64
	Today     int64
}

// SyntheticInsertOpen inserts the open orders of the chunk.
func SyntheticInsertOpen(ctx context.Context, q store.Querier, p SyntheticOpen) error {
	_, err := q.Exec(ctx, syntheticSQL[p.Engine].open, p.From, p.To, p.Customers, p.Today)
	return err
}

// The synthetic inserts, per engine; $1..$2 is the chunk of the series.
// Customers are picked with a multiplicative hash of the series number,
// so the orders are spread like random draws.
var syntheticSQL = map[store.Engine]struct{ delivered, history, shipped, open string }{
	store.SQLite: {
		delivered: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
			INSERT INTO orders (external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at)
			SELECT $3 || i, 1 + ((i * 2654435761) % 4294967296) % $4, 'delivered', 49000 + ((i * 48271) % 2147483647) % 2500000,
				'RUB', $5, $5, $5 FROM n`,
		history: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
		s(i, at) AS (SELECT i, $4 + (i - 1) * $5 / $6 + ((i * 7919) % 36000) FROM n)
		INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier, history, promise_given,
			promised_to, delivered_on, placed_at, created_at, updated_at)
		SELECT 'bm-' || i, 1 + ((i * 2654435761) % 4294967296) % $3,
			CASE WHEN i % 20 = 0 THEN 'cancelled' WHEN i % 20 = 1 THEN 'returned' ELSE 'delivered' END,
			49000 + ((i * 48271) % 2147483647) % 2500000, 'RUB',
			CASE i % 6 WHEN 0 THEN 'instagram' WHEN 1 THEN 'google' WHEN 2 THEN 'yandex' WHEN 3 THEN 'direct' WHEN 4 THEN 'referral' ELSE 'facebook' END,
			CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END, 1, 1,
			strftime('%Y-%m-%d', at + 5 * 86400, 'unixepoch'),
			CASE WHEN i % 20 > 1 THEN strftime('%Y-%m-%d', at + (3 + i % 5) * 86400, 'unixepoch') END,
			strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00',
			strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00',
			strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00'
		FROM s`,
		shipped: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
			s(i, at) AS (SELECT i, $4 - 345600 + ((i * 7919) % 2880) * 60 FROM n)
			INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier, tracking_number,
				payment_method, paid, placed_at, created_at, updated_at)
			SELECT 'ps-' || i, 1 + ((i * 2654435761) % 4294967296) % $3, 'shipped', 49000 + ((i * 48271) % 2147483647) % 2500000,
				'RUB', 'web', CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END,
				CASE WHEN i % 5 < 2 THEN printf('RA%09dRU', i) ELSE printf('CR%010d', i) END, 'prepaid', 1,
				strftime('%Y-%m-%d %H:%M:%S', at - 86400, 'unixepoch') || '+00:00',
				strftime('%Y-%m-%d %H:%M:%S', at - 86400, 'unixepoch') || '+00:00',
				strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00'
			FROM s`,
		open: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
			s(i, day) AS (SELECT i, $4 + (((i * 2654435761) % 4294967296) % 71 - 40) * 86400 FROM n)
			INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier, payment_method,
				promised_to, placed_at, created_at, updated_at)
			SELECT 'oo-' || i, 1 + ((i * 40503) % 4294967291) % $3,
				CASE WHEN i % 20 < 3 THEN 'new' WHEN i % 20 < 8 THEN 'processing' WHEN i % 20 < 10 THEN 'ready_to_ship' ELSE 'shipped' END,
				49000 + ((i * 48271) % 2147483647) % 2500000, 'RUB', 'web', CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END,
				CASE WHEN i % 3 = 0 THEN 'cod' ELSE 'prepaid' END,
				strftime('%Y-%m-%d', day, 'unixepoch'),
				strftime('%Y-%m-%d %H:%M:%S', day - (3 + i % 7) * 86400 + 21600 + (i % 720) * 60, 'unixepoch') || '+00:00',
				strftime('%Y-%m-%d %H:%M:%S', day - (3 + i % 7) * 86400 + 21600 + (i % 720) * 60, 'unixepoch') || '+00:00',
				strftime('%Y-%m-%d %H:%M:%S', day - (3 + i % 7) * 86400 + 21600 + (i % 720) * 60, 'unixepoch') || '+00:00'
			FROM s`,
	},
	store.Postgres: {
		delivered: `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at)
			SELECT $3::text || i, 1 + ((i * 2654435761) % 4294967296) % $4::bigint, 'delivered',
				49000 + ((i * 48271) % 2147483647) % 2500000, 'RUB', $5::timestamptz, $5::timestamptz, $5::timestamptz
			FROM generate_series($1::bigint, $2::bigint) AS n(i)`,
		history: `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier, history, promise_given,
			promised_to, delivered_on, placed_at, created_at, updated_at)
		SELECT 'bm-' || i, 1 + ((i * 2654435761) % 4294967296) % $3::bigint,
			CASE WHEN i % 20 = 0 THEN 'cancelled' WHEN i % 20 = 1 THEN 'returned' ELSE 'delivered' END,
			49000 + ((i * 48271) % 2147483647) % 2500000, 'RUB',
			CASE i % 6 WHEN 0 THEN 'instagram' WHEN 1 THEN 'google' WHEN 2 THEN 'yandex' WHEN 3 THEN 'direct' WHEN 4 THEN 'referral' ELSE 'facebook' END,
			CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END, TRUE, TRUE,
			to_char(to_timestamp(at + 5 * 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
			CASE WHEN i % 20 > 1 THEN to_char(to_timestamp(at + (3 + i % 5) * 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END,
			to_timestamp(at), to_timestamp(at), to_timestamp(at)
		FROM generate_series($1::bigint, $2::bigint) AS n(i),
			LATERAL (SELECT $4::bigint + (i - 1) * $5::bigint / $6::bigint + ((i * 7919) % 36000) AS at) AS s`,
		shipped: `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier, tracking_number,
				payment_method, paid, placed_at, created_at, updated_at)
			SELECT 'ps-' || i, 1 + ((i * 2654435761) % 4294967296) % $3::bigint, 'shipped', 49000 + ((i * 48271) % 2147483647) % 2500000,
				'RUB', 'web', CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END,
				CASE WHEN i % 5 < 2 THEN 'RA' || lpad(i::text, 9, '0') || 'RU' ELSE 'CR' || lpad(i::text, 10, '0') END, 'prepaid', TRUE,
				to_timestamp(at - 86400), to_timestamp(at - 86400), to_timestamp(at)
			FROM generate_series($1::bigint, $2::bigint) AS n(i),
				LATERAL (SELECT $4::bigint - 345600 + ((i * 7919) % 2880) * 60 AS at) AS s`,
		open: `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier, payment_method,
				promised_to, placed_at, created_at, updated_at)
			SELECT 'oo-' || i, 1 + ((i * 40503) % 4294967291) % $3::bigint,
				CASE WHEN i % 20 < 3 THEN 'new' WHEN i % 20 < 8 THEN 'processing' WHEN i % 20 < 10 THEN 'ready_to_ship' ELSE 'shipped' END,
				49000 + ((i * 48271) % 2147483647) % 2500000, 'RUB', 'web', CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END,
				CASE WHEN i % 3 = 0 THEN 'cod' ELSE 'prepaid' END,
				to_char(to_timestamp(day) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
				to_timestamp(placed), to_timestamp(placed), to_timestamp(placed)
			FROM generate_series($1::bigint, $2::bigint) AS n(i),
				LATERAL (SELECT $4::bigint + (((i * 2654435761) % 4294967296) % 71 - 40) * 86400 AS day) AS s,
				LATERAL (SELECT day - (3 + i % 7) * 86400 + 21600 + (i % 720) * 60 AS placed) AS p`,
	},
}

// MaxID returns the highest order id, 0 when there are none.
func MaxID(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM orders`).Scan(&n); err != nil {
		return 0, fmt.Errorf("max order id: %w", err)
	}
	return n, nil
}

// SyntheticTotal is an order's id, customer and total.
type SyntheticTotal struct {
	ID, CustomerID, TotalMinor int64
}

// TotalsAfter returns the orders with an id above after, by id.
func TotalsAfter(ctx context.Context, q store.Querier, after int64) ([]SyntheticTotal, error) {
	var out []SyntheticTotal
	err := store.Each(ctx, q, `SELECT id, customer_id, total_minor FROM orders WHERE id > $1 ORDER BY id`, []any{after}, func(r store.Rows) error {
		var o SyntheticTotal
		if err := r.Scan(&o.ID, &o.CustomerID, &o.TotalMinor); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the orders after %d: %w", after, err)
	}
	return out, nil
}

// CountByStatus counts all orders by status.
func CountByStatus(ctx context.Context, q store.Querier) (map[string]int, error) {
	return countByStatus(ctx, q, `SELECT status, COUNT(*) FROM orders GROUP BY status`, nil)
}

// CountByStatusPrefix counts the orders whose external id starts with
// prefix (no LIKE wildcards in it) by status.
func CountByStatusPrefix(ctx context.Context, q store.Querier, prefix string) (map[string]int, error) {
	return countByStatus(ctx, q, `SELECT status, COUNT(*) FROM orders WHERE external_id LIKE $1 GROUP BY status`, []any{prefix + "%"})
}

func countByStatus(ctx context.Context, q store.Querier, sql string, args []any) (map[string]int, error) {
	out := map[string]int{}
	err := store.Each(ctx, q, sql, args, func(r store.Rows) error {
		var k string
		var n int
		if err := r.Scan(&k, &n); err != nil {
			return err
		}
		out[k] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}
	return out, nil
}

// syntheticOpen is an order still to be delivered with a promised day.
const syntheticOpen = `status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup') AND promised_to IS NOT NULL`

// CountOpenPromisedBetween counts the open orders promised from one day
// to another (YYYY-MM-DD, both included).
func CountOpenPromisedBetween(ctx context.Context, q store.Querier, from, to string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE `+syntheticOpen+` AND promised_to >= $1 AND promised_to <= $2`, from, to).Scan(&n); err != nil {
		return 0, fmt.Errorf("count open orders: %w", err)
	}
	return n, nil
}

// CountOpenPromisedBefore counts the open orders promised before day
// (YYYY-MM-DD).
func CountOpenPromisedBefore(ctx context.Context, q store.Querier, day string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE `+syntheticOpen+` AND promised_to < $1`, day).Scan(&n); err != nil {
		return 0, fmt.Errorf("count open orders: %w", err)
	}
	return n, nil
}

// SyntheticSample is an order drawn as a sample: its id, external id,
// when it was placed and its customer.
type SyntheticSample struct {
	ID         int64
	ExternalID string
	PlacedAt   time.Time
	CustomerID int64
}

// SampleFrom returns the order with the lowest id at or above id.
func SampleFrom(ctx context.Context, q store.Querier, id int64) (SyntheticSample, error) {
	var o SyntheticSample
	err := q.QueryRow(ctx, `SELECT id, external_id, placed_at, customer_id FROM orders WHERE id >= $1 ORDER BY id LIMIT 1`, id).
		Scan(&o.ID, &o.ExternalID, &o.PlacedAt, &o.CustomerID)
	if err != nil {
		return o, fmt.Errorf("sample an order from %d: %w", id, err)
	}
	return o, nil
}
