package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Throttle returns a throttle with the rules whose counts live in the
// database, shared by every node of the shop: a guesser sent to another
// node by the proxy finds the same count there. name keeps its counts
// apart from other throttles' ("login", "contact-addr"…).
func (s *Service) Throttle(name string, perAddr, perPair ThrottleRule) *Throttle {
	return &Throttle{perAddr: perAddr, perPair: perPair, db: s.db, name: name}
}

// throttleWaitOnError is what an attempt waits when the database cannot
// be asked.
const throttleWaitOnError = time.Second

// throttlePruneEvery is how many attempts of a throttle go between two
// prunings of the rows idle past throttleKeep.
const throttlePruneEvery = 200

// throttleKeep is how long an idle row is kept: past every rule's Forget
// (an hour) and Max (an hour at most), so a pruned row is one that would
// have been forgotten anyway.
const throttleKeep = 24 * time.Hour

// dbKey is the stored key of a count: a hash, so that no address or
// e-mail lies in the table in clear.
func (t *Throttle) dbKey(kind, value string) string {
	sum := sha256.Sum256([]byte(t.name + "\x00" + kind + "\x00" + value))
	return hex.EncodeToString(sum[:])
}

func (t *Throttle) attemptDB(ctx context.Context, addr, email string, now time.Time) (time.Duration, bool) {
	ka, kp := t.dbKey("addr", addr), t.dbKey("pair", strings.ToLower(email)+"\x00"+addr)
	var wait time.Duration
	err := t.db.InTx(ctx, func(tx *store.Tx) error {
		wait = 0
		a, err := throttleRow(ctx, tx, t.db.Engine(), ka, now)
		if err != nil {
			return err
		}
		p, err := throttleRow(ctx, tx, t.db.Engine(), kp, now)
		if err != nil {
			return err
		}
		forget(&a, t.perAddr, now)
		forget(&p, t.perPair, now)
		if wait = max(a.until.Sub(now), p.until.Sub(now)); wait > 0 {
			return nil
		}
		countEntry(&a, t.perAddr, now)
		countEntry(&p, t.perPair, now)
		if err := throttleSave(ctx, tx, a); err != nil {
			return err
		}
		return throttleSave(ctx, tx, p)
	})
	if err != nil {
		return throttleWaitOnError, false
	}
	if wait > 0 {
		return wait, false
	}
	if t.attempts.Add(1)%throttlePruneEvery == 0 {
		_ = t.prune(ctx, now)
	}
	return 0, true
}

// throttleRow reads and locks the count of key, making it when there is
// none: two nodes counting the same key at once wait for each other.
// (SQLite writes one transaction at a time anyway.)
func throttleRow(ctx context.Context, tx *store.Tx, engine store.Engine, key string, now time.Time) (throttleEntry, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO rate_limits (key, tries, last_at) VALUES ($1, 0, $2)
		ON CONFLICT (key) DO NOTHING`, key, now); err != nil {
		return throttleEntry{}, fmt.Errorf("count an attempt: %w", err)
	}
	query := `SELECT tries, last_at, until_at FROM rate_limits WHERE key = $1`
	if engine == store.Postgres {
		query += ` FOR UPDATE`
	}
	e := throttleEntry{key: key}
	var until *time.Time
	if err := tx.QueryRow(ctx, query, key).Scan(&e.tries, &e.last, &until); err != nil {
		return throttleEntry{}, fmt.Errorf("read an attempt count: %w", err)
	}
	if until != nil {
		e.until = *until
	}
	return e, nil
}

func throttleSave(ctx context.Context, tx *store.Tx, e throttleEntry) error {
	var until *time.Time
	if !e.until.IsZero() {
		until = &e.until
	}
	if _, err := tx.Exec(ctx, `UPDATE rate_limits SET tries = $2, last_at = $3, until_at = $4 WHERE key = $1`,
		e.key, e.tries, e.last, until); err != nil {
		return fmt.Errorf("count an attempt: %w", err)
	}
	return nil
}

func (t *Throttle) succeededDB(ctx context.Context, addr, email string) {
	ka, kp := t.dbKey("addr", addr), t.dbKey("pair", strings.ToLower(email)+"\x00"+addr)
	// A failure leaves the count as it was: the next attempts wait a
	// little more, nobody is let in.
	_ = t.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM rate_limits WHERE key = $1`, kp); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE rate_limits SET
			tries = CASE WHEN tries > 0 THEN tries - 1 ELSE 0 END,
			until_at = CASE WHEN tries - 1 < $2 THEN NULL ELSE until_at END
			WHERE key = $1`, ka, t.perAddr.Free)
		return err
	})
}

// prune deletes the counts idle past throttleKeep whose wait is over.
func (t *Throttle) prune(ctx context.Context, now time.Time) error {
	cut := now.Add(-throttleKeep)
	err := t.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM rate_limits WHERE last_at < $1 AND (until_at IS NULL OR until_at < $2)`, cut, now)
		return err
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("prune attempt counts: %w", err)
	}
	return nil
}

// ThrottleCount returns how many counts the database holds (for tests and
// the operator's figures).
func (s *Service) ThrottleCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM rate_limits`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count attempt counts: %w", err)
	}
	return n, nil
}
