package store

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// latestVersions are the newest migration's version per engine, read
// once from the embedded migrations.
var latestVersions = sync.OnceValue(func() map[Engine]int64 {
	out := map[Engine]int64{}
	for engine, dir := range map[Engine]string{SQLite: "migrations/sqlite", Postgres: "migrations/postgres"} {
		entries, _ := fs.ReadDir(migrations, dir)
		for _, e := range entries {
			num, _, _ := strings.Cut(e.Name(), "_")
			if v, err := strconv.ParseInt(num, 10, 64); err == nil && v > out[engine] {
				out[engine] = v
			}
		}
	}
	return out
})

// Versions returns the schema version the database is at and the
// newest this binary knows; equal when every migration is applied.
func (db *DB) Versions(ctx context.Context) (current, latest int64, err error) {
	latest = latestVersions()[db.engine]
	var v *int64
	if err := db.Read().QueryRow(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		return 0, latest, fmt.Errorf("read schema version: %w", err)
	}
	if v != nil {
		current = *v
	}
	return current, latest, nil
}

// File is one of the database's files on disk and its size.
type File struct {
	Name string
	Size int64
}

// Files lists the SQLite database's files (the database, its WAL and
// shared memory) and their sizes; nil on PostgreSQL. A file not there
// (no WAL yet) is left out.
func (db *DB) Files() []File {
	if db.engine != SQLite || db.path == "" {
		return nil
	}
	var out []File
	for _, p := range []string{db.path, db.path + "-wal", db.path + "-shm"} {
		if fi, err := os.Stat(p); err == nil {
			out = append(out, File{Name: filepath.Base(p), Size: fi.Size()})
		}
	}
	return out
}

// Dir is the data directory of an SQLite database ("" on PostgreSQL).
func (db *DB) Dir() string {
	if db.path == "" {
		return ""
	}
	return filepath.Dir(db.path)
}

// KnownSchemaVersion is the newest migration this binary carries: the
// schema version a database has once Migrate ran. A backup records the
// version it was taken at, and a restore refuses one newer than this.
func KnownSchemaVersion() int64 { return latestVersions()[SQLite] }
