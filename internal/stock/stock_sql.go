package stock

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

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
	return store.InsertMany(ctx, tx, "stock_items", []string{"sku", "name", "on_hand", "reserved", "source", "updated_at"}, rows, conflict, nil)
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
	return store.InsertMany(ctx, tx, "stock_incoming", []string{"sku", "qty", "expected_on", "created_at"}, rows, "", nil)
}
