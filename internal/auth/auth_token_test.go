package auth_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestTokenLifecycle: tokens are made with scopes, listed without the
// token, used (last use recorded, never moved back) and revoked, on both
// engines.
func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			site, err := auth.TokenAdd(ctx, db, "site", []auth.Scope{auth.ScopeRead, auth.ScopeOrdersWrite, auth.ScopeRead}, now)
			if err != nil {
				t.Fatal(err)
			}
			all, err := auth.TokenAdd(ctx, db, "scripts", nil, now.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var bad *invalid.Error
			for _, c := range []struct {
				name   string
				scopes []auth.Scope
				field  string
			}{
				{"site", nil, "name"},
				{"  ", nil, "name"},
				{strings.Repeat("x", auth.MaxTokenName+1), nil, "name"},
				{"two\nlines", nil, "name"},
				{"admin", []auth.Scope{"admin"}, "scope"},
			} {
				if _, err := auth.TokenAdd(ctx, db, c.name, c.scopes, now); !errors.As(err, &bad) || bad.Field != c.field {
					t.Errorf("add %q %v: %v, want an error on %s", c.name, c.scopes, err, c.field)
				}
			}

			tok, err := auth.TokenCheck(ctx, db.Read(), site)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tok.Scopes, []auth.Scope{auth.ScopeOrdersWrite, auth.ScopeRead}) || !tok.Allows(auth.ScopeRead) || tok.Allows(auth.ScopeLoyalty) {
				t.Errorf("site's scopes %v", tok.Scopes)
			}
			if tok2, _ := auth.TokenCheck(ctx, db.Read(), all); len(tok2.Scopes) != 0 || !tok2.Allows(auth.ScopeLoyalty) {
				t.Errorf("a token without scopes may not do everything: %v", tok2.Scopes)
			}

			used := now.Add(2 * time.Hour)
			if err := auth.TokenTouch(ctx, db, tok.ID, used); err != nil {
				t.Fatal(err)
			}
			if err := auth.TokenTouch(ctx, db, tok.ID, used.Add(-time.Minute)); err != nil {
				t.Fatal(err)
			}
			list, err := auth.TokenList(ctx, db.Read())
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].Name != "scripts" || list[1].Name != "site" {
				t.Fatalf("list %+v", list)
			}
			if !list[1].LastUsedAt.Equal(used) || !list[0].LastUsedAt.IsZero() || !list[1].CreatedAt.Equal(now) {
				t.Errorf("times: site used %s created %s, scripts used %s", list[1].LastUsedAt, list[1].CreatedAt, list[0].LastUsedAt)
			}

			if err := auth.TokenRevoke(ctx, db, "site"); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.TokenCheck(ctx, db.Read(), site); !errors.Is(err, auth.ErrBadToken) {
				t.Errorf("a revoked token checks: %v", err)
			}
			if err := auth.TokenRevoke(ctx, db, "site"); !errors.Is(err, auth.ErrNoToken) {
				t.Errorf("revoke again: %v, want ErrNoToken", err)
			}
			if _, err := auth.TokenAdd(ctx, db, "site", nil, now); err != nil {
				t.Errorf("a revoked token's name cannot be used again: %v", err)
			}
		})
	}
}

// TestMigrationNamesDuplicateTokens: migration 00012 makes token names
// unique by giving every second token of a name its id, so "token revoke
// NAME" means one token; its statements run here on both engines over
// tokens made before it.
func TestMigrationNamesDuplicateTokens(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			src, err := os.ReadFile(filepath.Join("..", "store", "migrations", string(engine), "00012_api_tokens.sql"))
			if err != nil {
				t.Fatal(err)
			}
			up := string(src)
			from, to := strings.Index(up, "UPDATE api_tokens"), strings.Index(up, "-- +goose Down")
			if from < 0 || to < from {
				t.Fatal("the migration has no UPDATE of api_tokens")
			}
			var ids []int64
			err = db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `DROP INDEX api_tokens_name`); err != nil {
					return err
				}
				for i, name := range []string{"shop", "other", "shop", "shop"} {
					var id int64
					if err := tx.QueryRow(ctx, `INSERT INTO api_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id`,
						name, fmt.Sprintf("hash-%d", i), time.Now()).Scan(&id); err != nil {
						return err
					}
					ids = append(ids, id)
				}
				for _, stmt := range strings.Split(up[from:to], ";") {
					if strings.TrimSpace(stmt) == "" {
						continue
					}
					if _, err := tx.Exec(ctx, stmt); err != nil {
						return fmt.Errorf("%s: %w", stmt, err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			list, err := auth.TokenList(ctx, db.Read())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tok := range list {
				names = append(names, tok.Name)
			}
			want := []string{"other", "shop", fmt.Sprintf("shop #%d", ids[2]), fmt.Sprintf("shop #%d", ids[3])}
			if !slices.Equal(names, want) {
				t.Errorf("names %q, want %q", names, want)
			}
		})
	}
}
