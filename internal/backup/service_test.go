package backup_test

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestScheduleRunsWhenDue walks the schedule on a hand-moved wall clock:
// the first run backs up at once and tests the restore, a run later the
// same day does nothing, the next day after the hour backs up again, and
// the status tells the latest backup, restore test and file sizes.
func TestScheduleRunsWhenDue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, opts := storetest.OpenTest(t, store.SQLite)
	settings, err := config.Parse([]byte("shop:\n  timezone: Europe/Riga\nbackup:\n  hour: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	wall := clock.NewFake(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)) // 12:00 in Riga
	svc := backup.New(service.Deps{DB: db, Settings: settings, Log: slog.New(slog.DiscardHandler)}, backup.Params{DataDir: opts.DataDir, Human: wall})
	count := func() int {
		entries, _ := os.ReadDir(filepath.Join(opts.DataDir, "backups"))
		return len(entries)
	}
	if err := svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := svc.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if count() != 1 || st.LastGood == nil || st.LastRestoreTest == nil || !st.LastRestoreTest.OK() || st.DBSize == 0 {
		t.Fatalf("after the first run: %d files, status %+v", count(), st)
	}
	wall.Advance(10 * time.Hour) // 22:00 the same day
	if err := svc.RunDue(ctx); err != nil || count() != 1 {
		t.Fatalf("a run the same day: %d files, %v", count(), err)
	}
	wall.Advance(4 * time.Hour) // 02:00 the next day, before the hour
	if err := svc.RunDue(ctx); err != nil || count() != 1 {
		t.Fatalf("a run before the hour: %d files, %v", count(), err)
	}
	wall.Advance(2 * time.Hour) // 04:00
	if err := svc.RunDue(ctx); err != nil || count() != 2 {
		t.Fatalf("a run after the hour: %d files, %v", count(), err)
	}
	list, err := svc.List(ctx, 10)
	if err != nil || len(list) != 3 { // two backups, one restore test
		t.Fatalf("records %+v, %v", list, err)
	}
	if err := svc.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestBackupPostgres backs a PostgreSQL store up with pg_dump when it is
// installed (always under CI), else checks that the operator is told the
// line to run; restoring the dump tells the pg_restore line.
func TestBackupPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, opts := storetest.OpenTest(t, store.Postgres)
	if _, err := exec.LookPath("pg_dump"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pg_dump is not installed: CI installs postgresql-client")
		}
		_, err := backup.Backup(ctx, db, backup.Options{URL: opts.URL, DataDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), "pg_dump --format=custom") {
			t.Fatalf("without pg_dump: %v", err)
		}
		return
	}
	res, err := backup.Backup(ctx, db, backup.Options{URL: opts.URL, To: t.TempDir() + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest.Engine != "postgres" || res.Manifest.Tables["orders"] != 0 || len(res.Manifest.Tables) < 20 {
		t.Fatalf("manifest %+v", res.Manifest)
	}
	_, err = backup.Restore(ctx, res.File, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "pg_restore --no-owner") {
		t.Fatalf("restoring a dump: %v", err)
	}
	// The dump is pg_restore's own format: it lists its contents.
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", res.File, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, out)
	}
	out, err := exec.Command("pg_restore", "--list", filepath.Join(dir, backup.PostgresEntry)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "TABLE") || !strings.Contains(string(out), "orders") {
		t.Fatalf("pg_restore --list: %v\n%s", err, out)
	}
}
