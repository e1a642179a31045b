package signin

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// SignIn is one session a customer opened, for the shop's list of who
// signed in, when and how.
type SignIn struct {
	CustomerID int64
	Via        string // ViaCode, ViaLink, ViaMessage, ViaTracking
	At         time.Time
	// Ended is true once the customer signed out or the session expired.
	Ended bool
	// Cursor names the row for the next page (ListPage.After).
	Cursor string
}

// ListPage asks for a page of sign-ins, newest first: after the row
// whose Cursor is After ("" for the first page).
type ListPage struct {
	After string
	Limit int
}

// SignInList returns a page of the sign-ins of the last SessionTTL, newest
// first, and whether more follow; now tells the live from the ended.
func (s *Service) SignInList(ctx context.Context, p ListPage, now time.Time) ([]SignIn, bool, error) {
	limit := max(min(p.Limit, 500), 1)
	q := `SELECT customer_id, via, created_at, expires_at, token_hash FROM customer_sessions WHERE created_at > $1`
	args := []any{now.Add(-SessionTTL)}
	if at, hash, ok := parseListCursor(p.After); ok {
		q += ` AND (created_at < $2 OR (created_at = $2 AND token_hash < $3))`
		args = append(args, at, hash)
	}
	q += fmt.Sprintf(` ORDER BY created_at DESC, token_hash DESC LIMIT %d`, limit+1)
	var out []SignIn
	err := store.Each(ctx, s.db.Read(), q, args, func(r store.Rows) error {
		var (
			in      SignIn
			expires time.Time
			hash    string
		)
		if err := r.Scan(&in.CustomerID, &in.Via, &in.At, &expires, &hash); err != nil {
			return err
		}
		in.Ended = !now.Before(expires)
		in.Cursor = strconv.FormatInt(in.At.UnixNano(), 36) + "." + hash
		out = append(out, in)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("list sign-ins: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// parseListCursor reads a SignIn's Cursor; ok false for anything else.
func parseListCursor(c string) (time.Time, string, bool) {
	a, hash, found := strings.Cut(c, ".")
	if !found || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return time.Time{}, "", false
	}
	ns, err := strconv.ParseInt(a, 36, 64)
	if err != nil {
		return time.Time{}, "", false
	}
	return time.Unix(0, ns).UTC(), hash, true
}

// CodeFigures are the codes asked for since a moment: how many, and how
// many of them opened no page (not used yet, expired, or of a contact no
// customer has).
type CodeFigures struct {
	Requested int
	Unused    int
}

// CodesSince counts the codes asked for since since (the start of the
// shop's day, for the admin).
func (s *Service) CodesSince(ctx context.Context, since time.Time) (CodeFigures, error) {
	var f CodeFigures
	err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(used_at) FROM signin_codes WHERE created_at >= $1`,
		since).Scan(&f.Requested, &f.Unused)
	if err != nil {
		return CodeFigures{}, fmt.Errorf("count sign-in codes since %s: %w", since.Format(time.RFC3339), err)
	}
	return f, nil
}
