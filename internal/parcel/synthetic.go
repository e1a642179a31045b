package parcel

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// The synthetic parcels of bench parcels (shopcare bench parcels),
// computed by the database from a series of numbers a chunk a statement,
// and the counts the benchmark checks them by. Nothing here is used by the
// shop itself.

// Synthetic are the parcels of the shipped orders ps-From..ps-To that
// order.SyntheticInsertShipped makes with the same Now, one each, with
// the same carrier, tracking number and time. In a fresh store order ps-i
// has the id i, so parcel i is order i's; the caller checks that.
type Synthetic struct {
	Engine   store.Engine
	From, To int64 // the series numbers i of the chunk, From..To inclusive
	Now      int64 // a Unix time, as given to order.SyntheticInsertShipped
}

// SyntheticInsert inserts the parcels of the chunk.
func SyntheticInsert(ctx context.Context, q store.Querier, p Synthetic) error {
	_, err := q.Exec(ctx, syntheticSQL[p.Engine], p.From, p.To, p.Now)
	return err
}

// syntheticSQL is SyntheticInsert's statement per engine: the carrier,
// tracking number and shipping time are order.SyntheticInsertShipped's
// (its updated_at), computed from the series number the same way.
var syntheticSQL = map[store.Engine]string{
	store.SQLite: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
			s(i, at) AS (SELECT i, $3 - 345600 + ((i * 7919) % 2880) * 60 FROM n)
			INSERT INTO parcels (order_id, carrier, tracking_number, created_at, updated_at)
			SELECT i, CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END,
				CASE WHEN i % 5 < 2 THEN printf('RA%09dRU', i) ELSE printf('CR%010d', i) END,
				strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00',
				strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00'
			FROM s ORDER BY i`,
	store.Postgres: `INSERT INTO parcels (order_id, carrier, tracking_number, created_at, updated_at)
			SELECT i, CASE WHEN i % 5 < 2 THEN 'post' ELSE 'courier' END,
				CASE WHEN i % 5 < 2 THEN 'RA' || lpad(i::text, 9, '0') || 'RU' ELSE 'CR' || lpad(i::text, 10, '0') END,
				to_timestamp(at), to_timestamp(at)
			FROM generate_series($1::bigint, $2::bigint) AS n(i),
				LATERAL (SELECT $3::bigint - 345600 + ((i * 7919) % 2880) * 60 AS at) AS s
			ORDER BY i`,
}

// OrderIDRange counts the parcels and returns the lowest and the highest
// id of their orders.
func OrderIDRange(ctx context.Context, q store.Querier) (n, lo, hi int64, err error) {
	if err := q.QueryRow(ctx, `SELECT COUNT(*), MIN(order_id), MAX(order_id) FROM parcels`).Scan(&n, &lo, &hi); err != nil {
		return 0, 0, 0, fmt.Errorf("count parcels: %w", err)
	}
	return n, lo, hi, nil
}

// EventCountAll counts the parcel events stored.
func EventCountAll(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM parcel_events`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count parcel events: %w", err)
	}
	return n, nil
}
