package demo

import (
	"context"
	"errors"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/store"
)

// Backup makes the demo shop's first backup once its history is seeded
// and tests that it restores, as the daily schedule does, so the owner's
// backups page shows a backup and a restore test from the start. A demo
// on PostgreSQL, or without a data directory, has none.
func Backup(ctx context.Context, a *app.App) (backup.Result, error) {
	if a.Backups == nil || a.Backups.DataDir() == "" || a.DB.Engine() != store.SQLite {
		return backup.Result{}, nil
	}
	res, err := a.Backups.BackupNow(ctx)
	if errors.Is(err, backup.ErrBusy) {
		return res, nil // the schedule's first run is making one
	}
	if err != nil {
		return res, err
	}
	if _, err := a.Backups.RestoreTest(ctx); err != nil && !errors.Is(err, backup.ErrBusy) {
		return res, err
	}
	return res, nil
}
