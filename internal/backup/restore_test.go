package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// archiveOf returns a fresh store's backup archive's bytes and manifest.
func archiveOf(t *testing.T) ([]byte, Manifest) {
	t.Helper()
	db, opts := storetest.OpenTest(t, store.SQLite)
	res, err := Backup(context.Background(), db, Options{DataDir: opts.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(res.File)
	if err != nil {
		t.Fatal(err)
	}
	return raw, res.Manifest
}

// rewrite builds an archive of the manifest m and the database bytes db.
func rewrite(t *testing.T, m Manifest, db []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	meta, _ := json.Marshal(m)
	for _, f := range []struct {
		name string
		data []byte
	}{{ManifestName, meta}, {m.Database, db}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o600, Size: int64(len(f.data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	_ = tw.Close()
	_ = gz.Close()
	return buf.Bytes()
}

// database returns the database bytes inside an archive.
func database(t *testing.T, raw []byte) []byte {
	t.Helper()
	var db bytes.Buffer
	if _, err := readArchive(bytes.NewReader(raw), &db); err != nil {
		t.Fatal(err)
	}
	return db.Bytes()
}

// TestRestoreRefuses restores archives that must not be restored: into a
// directory holding a database, with a damaged database, with a newer
// schema than this binary knows. Each is refused with its reason, and
// the directory is left without a database.
func TestRestoreRefuses(t *testing.T) {
	t.Parallel()
	raw, m := archiveOf(t)
	db := database(t, raw)
	known := store.KnownSchemaVersion()

	flipped := append([]byte(nil), db...)
	flipped[len(flipped)/2] ^= 0xff
	newer := m
	newer.Schema = known + 1
	truncated := raw[:len(raw)*2/3]

	tests := []struct {
		name    string
		archive []byte
		prepare func(dir string)
		want    error
		says    []string
	}{
		{name: "non-empty directory", archive: raw, prepare: func(dir string) {
			_ = os.WriteFile(filepath.Join(dir, store.SQLiteFile), []byte("a shop"), 0o600)
		}, want: ErrNotEmpty, says: []string{store.SQLiteFile, "empty data directory"}},
		{name: "damaged database", archive: rewrite(t, m, flipped), want: ErrChecksum},
		{name: "truncated archive", archive: truncated, want: ErrChecksum},
		{name: "newer schema", archive: rewrite(t, newer, db), want: ErrNewerSchema,
			says: []string{"version " + itoa(known+1), "up to " + itoa(known)}},
		{name: "not an archive", archive: []byte("hello"), want: ErrArchive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(t.TempDir(), "shopcare-20261207T031500Z.tar.gz")
			if err := os.WriteFile(file, tt.archive, 0o600); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if tt.prepare != nil {
				tt.prepare(dir)
			}
			_, err := Restore(context.Background(), file, dir)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the error %q does not say %q", err, s)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if tt.prepare == nil || e.Name() != store.SQLiteFile {
					t.Errorf("the refused restore left %s behind", e.Name())
				}
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRetainKeepsSevenDailyAndFourWeekly prunes a synthetic directory of
// two backups a day over ten weeks: the newest of each of the last 7
// days stay, then the newest of each of the 4 weeks before, and nothing
// else.
func TestRetainKeepsSevenDailyAndFourWeekly(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("Europe/Riga")
	dir := t.TempDir()
	end := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) // a Monday
	for d := 0; d < 70; d++ {
		for _, h := range []int{0, 12} {
			at := end.AddDate(0, 0, -d).Add(time.Duration(h) * time.Hour)
			if err := os.WriteFile(filepath.Join(dir, ArchiveName(at)), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o600)
	if _, err := Prune(dir, 7, 4, loc); err != nil {
		t.Fatal(err)
	}
	left, _ := listArchives(dir)
	if len(left) != 11 {
		t.Fatalf("%d archives left, want 7 daily and 4 weekly: %v", len(left), left)
	}
	days := map[string]bool{}
	weeks := map[string]bool{}
	for i, a := range left {
		local := a.At.In(loc)
		if i < 7 {
			days[local.Format(time.DateOnly)] = true
			continue
		}
		y, w := local.ISOWeek()
		weeks[itoa(int64(y*100+w))] = true
	}
	if len(days) != 7 || len(weeks) != 4 {
		t.Fatalf("kept %d days and %d weeks: %v", len(days), len(weeks), left)
	}
	if left[0].At != end.Add(12*time.Hour) {
		t.Errorf("the newest kept is %s, want the newest made", left[0].At)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Error("the retention removed a file that is not a backup")
	}
	// A second pass removes nothing more.
	if dropped, _ := Prune(dir, 7, 4, loc); len(dropped) != 0 {
		t.Errorf("a second pass dropped %v", dropped)
	}
}

// FuzzRestoreArchive feeds the archive reader arbitrary bytes, seeded
// with a real archive and damaged copies: it returns an error or a
// manifest that passed its checks, and never panics.
func FuzzRestoreArchive(f *testing.F) {
	db, opts := storetest.OpenTest(f, store.SQLite)
	res, err := Backup(context.Background(), db, Options{DataDir: opts.DataDir})
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := os.ReadFile(res.File)
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	f.Add([]byte{0x1f, 0x8b})
	meta, _ := json.Marshal(res.Manifest)
	f.Add(meta)
	f.Fuzz(func(t *testing.T, data []byte) {
		out := &capped{max: 16 << 20}
		m, err := readArchive(bytes.NewReader(data), out)
		if err != nil {
			return
		}
		if _, err := parseManifest(mustJSON(m)); err != nil {
			t.Fatalf("an archive read without error has a manifest that does not check: %v", err)
		}
		if int64(out.Len()) != m.Size {
			t.Fatalf("read %d bytes of a %d-byte database", out.Len(), m.Size)
		}
	})
}

// capped is a buffer that refuses to grow past max bytes.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		return 0, errors.New("too large")
	}
	return c.Buffer.Write(p)
}

func mustJSON(m Manifest) []byte {
	b, _ := json.Marshal(m)
	return b
}
