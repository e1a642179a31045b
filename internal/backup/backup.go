package backup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Options say where a backup goes.
type Options struct {
	// To is the archive's file, or a directory to put a timestamped
	// archive in; empty means DataDir/backups.
	To string
	// DataDir is the shop's data directory.
	DataDir string
	// URL is the PostgreSQL URL, for pg_dump.
	URL string
	// Now is the real clock (time.Now when nil).
	Now func() time.Time
}

// Result is what a backup wrote.
type Result struct {
	File     string
	Size     int64
	Manifest Manifest
	Duration time.Duration
}

// ArchivePrefix and ArchiveSuffix frame an archive's timestamped name:
// shopcare-20261207T031500Z.tar.gz.
const (
	ArchivePrefix = "shopcare-"
	ArchiveSuffix = ".tar.gz"
	stampLayout   = "20060102T150405Z"
)

// ArchiveName is the name of an archive taken at t.
func ArchiveName(t time.Time) string {
	return ArchivePrefix + t.UTC().Format(stampLayout) + ArchiveSuffix
}

// archiveTime reads the time from an archive's name: the timestamp,
// optionally followed by -N for a second archive in the same second.
func archiveTime(name string) (time.Time, bool) {
	if !strings.HasPrefix(name, ArchivePrefix) || !strings.HasSuffix(name, ArchiveSuffix) {
		return time.Time{}, false
	}
	stamp := strings.TrimSuffix(strings.TrimPrefix(name, ArchivePrefix), ArchiveSuffix)
	if base, n, ok := strings.Cut(stamp, "-"); ok {
		if _, err := strconv.Atoi(n); err != nil {
			return time.Time{}, false
		}
		stamp = base
	}
	t, err := time.Parse(stampLayout, stamp)
	return t, err == nil
}

// destination resolves where the archive of a backup at now goes, and
// whether its name was chosen here (and may take a suffix).
func destination(opts Options, now time.Time) (string, bool, error) {
	dir := opts.To
	if dir == "" {
		dir = filepath.Join(opts.DataDir, "backups")
	} else if info, err := os.Stat(dir); (err != nil || !info.IsDir()) && !strings.HasSuffix(dir, string(filepath.Separator)) {
		if err == nil {
			return "", false, fmt.Errorf("%s exists already: name a new file or a directory", dir)
		}
		if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
			return "", false, fmt.Errorf("create %s: %w", filepath.Dir(dir), err)
		}
		return dir, false, nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", false, fmt.Errorf("create backup directory: %w", err)
	}
	return filepath.Join(dir, ArchiveName(now)), true, nil
}

// Backup backs up the database db: on SQLite a consistent snapshot of
// the live file, on PostgreSQL pg_dump's, archived with a manifest at the
// destination opts name. On PostgreSQL without pg_dump it returns a
// *ManualError with the line to run.
func Backup(ctx context.Context, db *store.DB, opts Options) (Result, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	start := opts.Now()
	dest, named, err := destination(opts, start)
	if err != nil {
		return Result{}, err
	}
	removeStaleTemps(filepath.Dir(dest), start)
	var m Manifest
	var snap string
	if db.Engine() == store.Postgres {
		m, snap, err = pgSnapshot(ctx, db, opts.URL, dest, start)
	} else {
		m, snap, err = sqliteSnapshot(ctx, filepath.Join(opts.DataDir, store.SQLiteFile), dest, start)
	}
	if snap != "" {
		defer func() { _ = os.Remove(snap) }()
	}
	if err != nil {
		return Result{}, err
	}
	for i := 2; ; i++ {
		err = writeArchive(dest, m, snap)
		if !named || !errors.Is(err, fs.ErrExist) || i > 99 {
			break
		}
		dest = strings.TrimSuffix(filepath.Join(filepath.Dir(dest), ArchiveName(start)), ArchiveSuffix) + "-" + strconv.Itoa(i) + ArchiveSuffix
	}
	if err != nil {
		return Result{}, err
	}
	info, err := os.Stat(dest)
	if err != nil {
		return Result{}, err
	}
	return Result{File: dest, Size: info.Size(), Manifest: m, Duration: opts.Now().Sub(start)}, nil
}

// sqliteSnapshot takes the snapshot of the live SQLite database at path
// beside dest: VACUUM INTO on a connection of its own (a read
// transaction in WAL mode: the shop's writer goes on; the store's read
// pool is query-only, which VACUUM INTO is not), then the copy's
// integrity check, counts and checksum.
func sqliteSnapshot(ctx context.Context, path, dest string, at time.Time) (Manifest, string, error) {
	if _, err := os.Stat(path); err != nil {
		return Manifest{}, "", fmt.Errorf("the database: %w", err)
	}
	src, err := openFile(path, false)
	if err != nil {
		return Manifest{}, "", err
	}
	defer src.Close()
	snap := tempName(dest)
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, snap); err != nil {
		return Manifest{}, snap, fmt.Errorf("snapshot the database: %w", err)
	}
	_ = src.Close()
	m := Manifest{Format: FormatVersion, Version: shopcareVersion(), Engine: string(store.SQLite), CreatedAt: at.UTC(), Database: SQLiteEntry}
	copyDB, err := openFile(snap, true)
	if err != nil {
		return m, snap, err
	}
	defer copyDB.Close()
	if err := checkIntegrity(ctx, copyDB); err != nil {
		return m, snap, fmt.Errorf("the snapshot: %w", err)
	}
	if m.Tables, err = sqliteCounts(ctx, copyDB); err != nil {
		return m, snap, err
	}
	if m.Schema, err = sqliteSchema(ctx, copyDB); err != nil {
		return m, snap, err
	}
	if err := copyDB.Close(); err != nil {
		return m, snap, err
	}
	if m.SHA256, m.Size, err = fileSHA256(snap); err != nil {
		return m, snap, err
	}
	return m, snap, nil
}
