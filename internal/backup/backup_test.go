package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestBackupRestoreRoundTrip backs a fresh store up, restores it into a
// new directory and finds the same tables and counts; a second restore
// into the same directory is refused, naming the file.
func TestBackupRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, opts := storetest.OpenTest(t, store.SQLite)
	res, err := backup.Backup(ctx, db, backup.Options{DataDir: opts.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(res.File) != filepath.Join(opts.DataDir, "backups") || !strings.HasPrefix(filepath.Base(res.File), "shopcare-") {
		t.Fatalf("archive at %s", res.File)
	}
	known := store.KnownSchemaVersion()
	if res.Manifest.Schema != known || res.Manifest.Engine != "sqlite" || len(res.Manifest.Tables) < 20 {
		t.Fatalf("manifest %+v (known schema %d)", res.Manifest, known)
	}
	into := t.TempDir()
	got, err := backup.Restore(ctx, res.File, into)
	if err != nil {
		t.Fatal(err)
	}
	if got.Manifest.SHA256 != res.Manifest.SHA256 {
		t.Fatal("the restore read another manifest")
	}
	restored, err := store.Open(ctx, store.Options{DataDir: into})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Migrate(ctx); err != nil {
		t.Fatalf("the restored database does not open as a shop's: %v", err)
	}
	_, err = backup.Restore(ctx, res.File, into)
	if !errors.Is(err, backup.ErrNotEmpty) || !strings.Contains(err.Error(), filepath.Join(into, "shopcare.db")) {
		t.Fatalf("a restore over a database: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(res.File))
	if len(entries) != 1 {
		t.Fatalf("the backup directory holds %d files, want the archive alone", len(entries))
	}
}
