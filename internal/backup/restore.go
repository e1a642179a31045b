package backup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ErrNotEmpty is returned when the data directory to restore into holds
// a database already.
var ErrNotEmpty = errors.New("the data directory holds a database already")

// ErrNewerSchema is returned for a backup taken by a newer shopcare.
var ErrNewerSchema = errors.New("the backup's schema is newer than this shopcare knows")

// Restore puts the backup archive file into dataDir, which must hold no
// database. It checks the archive's checksum and manifest, refuses a
// schema newer than this binary's, checks the restored file's integrity
// and its row counts against the manifest, and only then moves it to
// dataDir/shopcare.db. A PostgreSQL backup is pg_restore's to restore:
// the *ManualError returned says how.
func Restore(ctx context.Context, file, dataDir string) (Result, error) {
	start := time.Now()
	m, err := ReadManifest(file)
	if err != nil {
		return Result{}, err
	}
	if m.Engine == string(store.Postgres) {
		return Result{Manifest: m}, &ManualError{Reason: "this is a PostgreSQL backup (pg_dump); restore it into an empty database with",
			Lines: PgRestoreLines(file, "")}
	}
	if err := checkSchema(m); err != nil {
		return Result{Manifest: m}, err
	}
	target := filepath.Join(dataDir, store.SQLiteFile)
	for _, p := range []string{target, target + "-wal", target + "-shm"} {
		if _, err := os.Stat(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return Result{Manifest: m}, fmt.Errorf("%w: %s exists; restore into an empty data directory (--data)", ErrNotEmpty, p)
		}
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return Result{Manifest: m}, fmt.Errorf("create data directory: %w", err)
	}
	tmp := tempName(target)
	defer func() { _ = os.Remove(tmp) }()
	if err := extract(file, tmp); err != nil {
		return Result{Manifest: m}, err
	}
	if err := verifyFile(ctx, tmp, m); err != nil {
		return Result{Manifest: m}, err
	}
	// A link never replaces a file: a database that appeared meanwhile
	// stays as it was.
	if err := os.Link(tmp, target); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Result{Manifest: m}, fmt.Errorf("%w: %s exists", ErrNotEmpty, target)
		}
		return Result{Manifest: m}, fmt.Errorf("put the database at %s: %w", target, err)
	}
	syncDir(dataDir)
	return Result{File: target, Size: m.Size, Manifest: m, Duration: time.Since(start)}, nil
}

// checkSchema refuses a manifest whose schema this binary does not know.
func checkSchema(m Manifest) error {
	known := store.KnownSchemaVersion()
	if m.Schema > known {
		return fmt.Errorf("%w: the backup's schema is at version %d, this shopcare knows up to %d: restore it with shopcare %s or newer",
			ErrNewerSchema, m.Schema, known, m.Version)
	}
	return nil
}

// extract writes the archive's database to path, verifying its checksum.
func extract(file, path string) (err error) {
	in, err := os.Open(file) //nolint:gosec // the operator names the file
	if err != nil {
		return fmt.Errorf("open backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) //nolint:gosec // in the data directory
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if _, err := readArchive(in, out); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return out.Sync()
}

// verifyFile checks a restored SQLite file against its manifest: the
// integrity check, the schema version, and every table's row count.
func verifyFile(ctx context.Context, path string, m Manifest) error {
	db, err := openFile(path, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkIntegrity(ctx, db); err != nil {
		return err
	}
	schema, err := sqliteSchema(ctx, db)
	if err != nil {
		return err
	}
	if schema != m.Schema {
		return fmt.Errorf("the database is at schema version %d, its manifest says %d", schema, m.Schema)
	}
	counts, err := sqliteCounts(ctx, db)
	if err != nil {
		return err
	}
	var wrong []string
	for _, t := range slices.Sorted(maps.Keys(m.Tables)) {
		if got, ok := counts[t]; !ok {
			wrong = append(wrong, fmt.Sprintf("%s missing", t))
		} else if got != m.Tables[t] {
			wrong = append(wrong, fmt.Sprintf("%s has %d rows, the manifest counted %d", t, got, m.Tables[t]))
		}
	}
	for _, t := range slices.Sorted(maps.Keys(counts)) {
		if _, ok := m.Tables[t]; !ok {
			wrong = append(wrong, fmt.Sprintf("%s is not in the manifest", t))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("the restored database disagrees with its manifest: %s", strings.Join(wrong, "; "))
	}
	return db.Close()
}
