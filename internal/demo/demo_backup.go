package demo

import (
	"context"
	"errors"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/store"
)

// Backup makes sure the demo shop has a backup of its seeded history and
// a restore test of it, as the daily schedule makes them, so the owner's
// backups page shows both from the start. The schedule's own first run
// may be making one already (it starts with the shop): a run that began
// after seeded counts, and one in progress is waited for. A demo on
// PostgreSQL, or without a data directory, has none.
func Backup(ctx context.Context, a *app.App, seeded time.Time) error {
	if a.Backups == nil || a.Backups.DataDir() == "" || a.DB.Engine() != store.SQLite {
		return nil
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		st, err := a.Backups.Status(ctx)
		if err != nil {
			return err
		}
		switch {
		case st.LastGood == nil || st.LastGood.StartedAt.Before(seeded):
			_, err = a.Backups.BackupNow(ctx)
		case st.LastRestoreTest == nil || st.LastRestoreTest.StartedAt.Before(st.LastGood.StartedAt):
			_, err = a.Backups.RestoreTest(ctx)
		default:
			return nil
		}
		if err != nil && !errors.Is(err, backup.ErrBusy) {
			return err
		}
		if time.Now().After(deadline) {
			return errors.New("the demo's backup: the schedule's run did not finish in 5 minutes")
		}
		if errors.Is(err, backup.ErrBusy) {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-tick.C:
			}
		}
	}
}
