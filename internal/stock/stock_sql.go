package stock

import (
	"context"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/store"
)

// sqliteArgs bounds the parameters of one SQLite statement of a batch:
// the connection keeps statements of up to 1,024 prepared (store), so a
// batch of 100,000 SKUs parses a handful of statements instead of one
// per chunk of 30,000 parameters, which cost a quarter of the time.
const (
	sqliteArgs = 1020
	sqliteKeys = 1000
)

// insertSQLite is store.InsertMany in statements SQLite keeps prepared.
func insertSQLite(ctx context.Context, tx *store.Tx, table string, cols []string, rows [][]any, suffix string) error {
	per := sqliteArgs / len(cols)
	for start := 0; start < len(rows); start += per {
		if err := store.InsertMany(ctx, tx, table, cols, rows[start:min(start+per, len(rows))], suffix, nil); err != nil {
			return err
		}
	}
	return nil
}

// eachIn runs query, whose "(IN_LIST)" stands for keys, and calls scan
// for each row (none when scan is nil). On PostgreSQL the keys go as one
// array parameter (= ANY($n)): one short statement for 100,000 SKUs,
// where a list of placeholders would be parsed in chunks.
func (s *Service) eachIn(ctx context.Context, q store.Querier, query string, fixed []any, keys []string, scan func(store.Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	if s.db.Engine() != store.Postgres {
		for start := 0; start < len(keys); start += sqliteKeys {
			if err := store.QueryIn(ctx, q, query, fixed, keys[start:min(start+sqliteKeys, len(keys))], scan); err != nil {
				return err
			}
		}
		return nil
	}
	query = strings.Replace(query, "IN (IN_LIST)", "= ANY($"+strconv.Itoa(len(fixed)+1)+")", 1)
	args := append(append([]any{}, fixed...), keys)
	if scan == nil {
		_, err := q.Exec(ctx, query, args...)
		return err
	}
	return store.Each(ctx, q, query, args, scan)
}

// writeItems upserts the items' rows. On PostgreSQL the rows go as one
// array per column (unnest), one statement for the whole batch.
func (s *Service) writeItems(ctx context.Context, tx *store.Tx, items []*item, source string, now any) error {
	const conflict = `ON CONFLICT (sku) DO UPDATE SET name = excluded.name, on_hand = excluded.on_hand,
		reserved = excluded.reserved, source = excluded.source, updated_at = excluded.updated_at`
	if s.db.Engine() == store.Postgres {
		sku, name := make([]string, len(items)), make([]string, len(items))
		onHand, reserved := make([]int32, len(items)), make([]int32, len(items))
		for i, it := range items {
			sku[i], name[i], onHand[i], reserved[i] = it.sku, it.name, int32(it.onHand), int32(it.reserved)
		}
		_, err := tx.Exec(ctx, `INSERT INTO stock_items (sku, name, on_hand, reserved, source, updated_at)
			SELECT u.sku, u.name, u.on_hand, u.reserved, $5, $6
			FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS u(sku, name, on_hand, reserved) `+conflict,
			sku, name, onHand, reserved, source, now)
		return err
	}
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = []any{it.sku, it.name, it.onHand, it.reserved, source, now}
	}
	return insertSQLite(ctx, tx, "stock_items", []string{"sku", "name", "on_hand", "reserved", "source", "updated_at"}, rows, conflict)
}

// writeIncoming inserts the items' deliveries.
func (s *Service) writeIncoming(ctx context.Context, tx *store.Tx, items []*item, now any) error {
	if s.db.Engine() == store.Postgres {
		var sku, day []string
		var qty []int32
		for _, it := range items {
			for _, d := range it.incoming {
				sku, day, qty = append(sku, it.sku), append(day, d.Date), append(qty, int32(d.Qty))
			}
		}
		if len(sku) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO stock_incoming (sku, qty, expected_on, created_at)
			SELECT u.sku, u.qty, u.day, $4 FROM unnest($1::text[], $2::int[], $3::text[]) AS u(sku, qty, day)`, sku, qty, day, now)
		return err
	}
	var rows [][]any
	for _, it := range items {
		for _, d := range it.incoming {
			rows = append(rows, []any{it.sku, d.Qty, d.Date, now})
		}
	}
	return insertSQLite(ctx, tx, "stock_incoming", []string{"sku", "qty", "expected_on", "created_at"}, rows, "")
}
