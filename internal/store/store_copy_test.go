package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestCopyToConvertsTimesAndVerifies: times SQLite holds in any of the
// forms found in the wild (the driver's text, SQLite's own, RFC 3339, Unix
// milliseconds and seconds) arrive in PostgreSQL as the same instants, text
// as written; a copy whose target differs from the source after the copy
// fails naming the table and commits nothing; a full target is refused.
func TestCopyToConvertsTimesAndVerifies(t *testing.T) {
	t.Parallel()
	if len(storetest.Engines(t)) < 2 {
		t.Skip("the copy needs PostgreSQL: set SHOPCARE_TEST_DATABASE_URL")
	}
	ctx := context.Background()
	src, _ := storetest.OpenTest(t, store.SQLite)
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	stored := []any{
		"2026-11-23 15:00:00+03:00", "2026-11-23 12:00:00", "2026-11-23T12:00:00Z", at.UnixMilli(), at.Unix(),
	}
	for i, v := range stored {
		if _, err := src.SQLDB().ExecContext(ctx, `INSERT INTO faq_entries (id, language, section, question, answer, ordinal, updated_at)
			VALUES (?, 'ru', 'Доставка', 'Когда придёт «посылка»?', 'Скоро — 2–3 дня', ?, ?)`, i+1, i, v); err != nil {
			t.Fatal(err)
		}
	}

	// A target changed behind the copy's back fails the verification.
	dst, _ := storetest.OpenTest(t, store.Postgres)
	_, err := store.CopyTo(ctx, src, dst, store.CopyOptions{Within: func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE faq_entries SET answer = 'Никогда' WHERE id = 1`)
		return err
	}})
	if err == nil || !strings.Contains(err.Error(), "verification failed") || !strings.Contains(err.Error(), "faq_entries") {
		t.Fatalf("copy into a tampered target = %v, want a verification failure naming faq_entries", err)
	}
	var n int
	if err := dst.Read().QueryRow(ctx, `SELECT count(*) FROM faq_entries`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after the failed copy the target has %d rows (%v), want none", n, err)
	}

	rep, err := store.CopyTo(ctx, src, dst, store.CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows < int64(len(stored)) {
		t.Errorf("copied %d rows, want at least %d", rep.Rows, len(stored))
	}
	err = store.Each(ctx, dst.Read(), `SELECT id, question, updated_at FROM faq_entries ORDER BY id`, nil, func(rows store.Rows) error {
		var id int
		var q string
		var u time.Time
		if err := rows.Scan(&id, &q, &u); err != nil {
			return err
		}
		if !u.Equal(at) || q != "Когда придёт «посылка»?" {
			t.Errorf("row %d (stored as %v): %q at %s, want %s", id, stored[id-1], q, u.UTC(), at)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := store.CopyTo(ctx, src, dst, store.CopyOptions{}); !errors.Is(err, store.ErrTargetNotEmpty) {
		t.Errorf("copy into a full target = %v, want ErrTargetNotEmpty", err)
	}
}

// TestLockDirIsExclusive: the data directory's lock is held once; released,
// it can be taken again.
func TestLockDirIsExclusive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	release, err := store.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LockDir(dir); !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second lock = %v, want ErrLocked naming %s", err, dir)
	}
	release()
	again, err := store.LockDir(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again()
}
