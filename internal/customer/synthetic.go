package customer

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// The synthetic customers of the benchmarks (shopcare bench …), computed
// by the database from a series of numbers a chunk a statement, and the
// counts the benchmarks check them by. Nothing here is used by the shop
// itself.

// Synthetic are customers lc-From..lc-To, Russian-speaking, created at At.
// In a fresh store customer lc-i has the id i.
type Synthetic struct {
	Engine   store.Engine
	From, To int64 // the series numbers i of the chunk, From..To inclusive
	At       time.Time
}

// SyntheticInsert inserts the customers of the chunk.
func SyntheticInsert(ctx context.Context, q store.Querier, p Synthetic) error {
	_, err := q.Exec(ctx, syntheticSQL[p.Engine], p.From, p.To, p.At)
	return err
}

// syntheticSQL is SyntheticInsert's statement per engine; $1..$2 is the
// chunk of the series.
var syntheticSQL = map[store.Engine]string{
	store.SQLite: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
			INSERT INTO customers (external_id, name, email, language, country, created_at, updated_at)
			SELECT 'lc-' || i, 'Покупатель ' || i, 'lc' || i || '@example.ru', 'ru', 'RU', $3, $3 FROM n`,
	store.Postgres: `INSERT INTO customers (external_id, name, email, language, country, created_at, updated_at)
			SELECT 'lc-' || i, 'Покупатель ' || i, 'lc' || i || '@example.ru', 'ru', 'RU', $3::timestamptz, $3::timestamptz
			FROM generate_series($1::bigint, $2::bigint) AS n(i)`,
}

// CountAll counts the customers.
func CountAll(ctx context.Context, q store.Querier) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	return n, nil
}

// MaxID returns the highest customer id, 0 when there are none.
func MaxID(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM customers`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	return n, nil
}

// IDRange returns the lowest and the highest customer id.
func IDRange(ctx context.Context, q store.Querier) (lo, hi int64, err error) {
	if err := q.QueryRow(ctx, `SELECT MIN(id), MAX(id) FROM customers`).Scan(&lo, &hi); err != nil {
		return 0, 0, fmt.Errorf("count customers: %w", err)
	}
	return lo, hi, nil
}

// IDFrom returns the lowest customer id at or above id.
func IDFrom(ctx context.Context, q store.Querier, id int64) (int64, error) {
	var found int64
	if err := q.QueryRow(ctx, `SELECT id FROM customers WHERE id >= $1 ORDER BY id LIMIT 1`, id).Scan(&found); err != nil {
		return 0, fmt.Errorf("find a customer from %d: %w", id, err)
	}
	return found, nil
}
