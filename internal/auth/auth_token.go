package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/secret"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognise.
const TokenPrefix = "sc_"

// ErrBadToken reports a token that is unknown (or revoked).
var ErrBadToken = errors.New("unknown API token")

// ErrNoToken reports a token name or id that names no token.
var ErrNoToken = errors.New("no such API token")

// Scope is a part of the API a token may be limited to. A token without
// scopes may use the whole API, as every token could before scopes.
type Scope string

// The scopes of the API.
const (
	// ScopeOrdersWrite writes orders, their statuses and parcels, and
	// carrier events: what a shop's site or platform sends.
	ScopeOrdersWrite Scope = "orders:write"
	// ScopeRead reads orders, customers (with their contacts), parcels,
	// messages and the shop's figures.
	ScopeRead Scope = "read"
	// ScopeLoyalty uses the loyalty program: balances and ledgers,
	// redeeming and granting points, coupons.
	ScopeLoyalty Scope = "loyalty"
	// ScopeShop changes the shop's own data: its days off and working
	// days, its marketing spend.
	ScopeShop Scope = "shop"
	// ScopeCustomersErase erases a customer's personal data on their
	// request (DELETE /customers/{id}): irreversible, so no other scope
	// grants it; a token made for handling such requests needs nothing
	// else.
	ScopeCustomersErase Scope = "customers:erase"
	// ScopeCampaigns writes and sends campaigns to the shop's customers
	// (reading them needs read).
	ScopeCampaigns Scope = "campaigns"
)

// Scopes lists every scope, in the order they are shown.
var Scopes = []Scope{ScopeOrdersWrite, ScopeRead, ScopeLoyalty, ScopeShop, ScopeCampaigns, ScopeCustomersErase}

// ParseScopes checks scope names and returns them in Scopes' order
// without repeats; it names the first unknown one.
func ParseScopes(names []string) ([]Scope, error) {
	var out []Scope
	for _, n := range names {
		s := Scope(strings.ToLower(strings.TrimSpace(n)))
		if !slices.Contains(Scopes, s) {
			return nil, invalid.Field("scope", "invalid", "%q is not a scope; the scopes are %s", n, scopeList(Scopes))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Scope) int { return slices.Index(Scopes, a) - slices.Index(Scopes, b) })
	return out, nil
}

func scopeList(s []Scope) string {
	names := make([]string, len(s))
	for i, x := range s {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}

// Token is an API token as the shop sees it: never the token itself,
// which is shown once when it is made and kept only as its SHA-256.
type Token struct {
	ID        int64
	Name      string
	Scopes    []Scope // none: every scope
	CreatedAt time.Time
	// LastUsedAt is when a request last came with it, to the minute;
	// zero when it never has.
	LastUsedAt time.Time
}

// Allows tells whether the token may use the scope.
func (t Token) Allows(s Scope) bool {
	return len(t.Scopes) == 0 || slices.Contains(t.Scopes, s)
}

// ScopeNames is the token's scopes as text, "" for every scope.
func (t Token) ScopeNames() string { return scopeList(t.Scopes) }

// MaxTokenName bounds a token's name.
const MaxTokenName = 100

// TokenAdd creates an API token with the scopes (none: every scope) and
// returns it; only its hash is kept. Names are unique: a name in use is
// an error naming the field.
func TokenAdd(ctx context.Context, db *store.DB, name string, scopes []Scope, now time.Time) (string, error) {
	token, _, err := tokenAdd(ctx, db, name, scopes, now, false)
	return token, err
}

// TokenAddNumbered is TokenAdd that, when the name is in use, names the
// token "NAME #2" (or #3, …) instead of refusing, so a script that runs
// "token add NAME" again goes on working; it returns the name given.
func TokenAddNumbered(ctx context.Context, db *store.DB, name string, scopes []Scope, now time.Time) (token, named string, err error) {
	return tokenAdd(ctx, db, name, scopes, now, true)
}

func tokenAdd(ctx context.Context, db *store.DB, name string, scopes []Scope, now time.Time, number bool) (string, string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", "", invalid.Field("name", "required", "a token needs a name, such as the shop platform it is for")
	case len([]rune(name)) > MaxTokenName || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", "", invalid.Field("name", "invalid", "a token's name is one line of at most %d characters", MaxTokenName)
	}
	scopes, err := ParseScopes(scopeStrings(scopes))
	if err != nil {
		return "", "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", "", fmt.Errorf("token: %w", err)
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	named := name
	dup := func() error {
		return invalid.Field("name", "duplicate", "a token named %q exists already; revoke it first or choose another name", name)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for n := 2; ; n++ {
			var used int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE name = $1`, named).Scan(&used); err != nil {
				return err
			}
			if used == 0 {
				break
			}
			if !number || n > 1000 {
				return dup()
			}
			named = fmt.Sprintf("%s #%d", name, n)
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens (name, token_hash, scopes, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			named, secret.Hash(token), strings.Join(scopeStrings(scopes), " "), now).Scan(&id)
		if errors.Is(err, store.ErrConflict) {
			return dup()
		}
		if err != nil {
			return err
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.TokenAdded,
			Detail: map[string]any{"name": named, "scopes": scopeList(scopes)}}.Target(actionlog.TargetToken, id))
	})
	var bad *invalid.Error
	if errors.As(err, &bad) {
		return "", "", bad
	}
	if err != nil {
		return "", "", fmt.Errorf("save token %s: %w", name, err)
	}
	return token, named, nil
}

func scopeStrings(s []Scope) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

func parseStoredScopes(s string) []Scope {
	var out []Scope
	for _, f := range strings.Fields(s) {
		out = append(out, Scope(f))
	}
	return out
}

// TokenCheck returns the token, or ErrBadToken.
func TokenCheck(ctx context.Context, q store.Querier, token string) (Token, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return Token{}, ErrBadToken
	}
	var t Token
	var scopes string
	var last *time.Time
	err := q.QueryRow(ctx, `SELECT id, name, scopes, created_at, last_used_at FROM api_tokens WHERE token_hash = $1`, secret.Hash(token)).
		Scan(&t.ID, &t.Name, &scopes, &t.CreatedAt, &last)
	if errors.Is(err, store.ErrNotFound) {
		return Token{}, ErrBadToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("check API token: %w", err)
	}
	t.Scopes = parseStoredScopes(scopes)
	if last != nil {
		t.LastUsedAt = *last
	}
	return t, nil
}

// TokenList returns the shop's API tokens by name.
func TokenList(ctx context.Context, q store.Querier) ([]Token, error) {
	rows, err := q.Query(ctx, `SELECT id, name, scopes, created_at, last_used_at FROM api_tokens ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var scopes string
		var last *time.Time
		if err := rows.Scan(&t.ID, &t.Name, &scopes, &t.CreatedAt, &last); err != nil {
			return nil, fmt.Errorf("list API tokens: %w", err)
		}
		t.Scopes = parseStoredScopes(scopes)
		if last != nil {
			t.LastUsedAt = *last
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TokenRevoke deletes the token of that name: requests bearing it are
// refused from then on. ErrNoToken when no token has the name.
func TokenRevoke(ctx context.Context, db *store.DB, name string) error {
	return tokenDelete(ctx, db, `DELETE FROM api_tokens WHERE name = $1 RETURNING id, name`, strings.TrimSpace(name))
}

// TokenRevokeID is TokenRevoke by the token's id.
func TokenRevokeID(ctx context.Context, db *store.DB, id int64) error {
	return tokenDelete(ctx, db, `DELETE FROM api_tokens WHERE id = $1 RETURNING id, name`, id)
}

func tokenDelete(ctx context.Context, db *store.DB, query string, key any) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		var id int64
		var name string
		err := tx.QueryRow(ctx, query, key).Scan(&id, &name)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("revoke API token %v: %w", key, ErrNoToken)
		}
		if err != nil {
			return fmt.Errorf("revoke API token %v: %w", key, err)
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.TokenRevoked,
			Detail: map[string]any{"name": name}}.Target(actionlog.TargetToken, id))
	})
}

// TokenTouch records that the token was used at now; an older time never
// overwrites a newer one.
func TokenTouch(ctx context.Context, db *store.DB, id int64, now time.Time) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, id, now)
		if err != nil {
			return fmt.Errorf("record use of API token %d: %w", id, err)
		}
		return nil
	})
}
