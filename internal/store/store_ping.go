package store

import (
	"context"
	"fmt"
)

// Ping checks that the database answers a query on the read pool: the
// health check calls it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.Read().QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", db.engine, err)
	}
	return nil
}
