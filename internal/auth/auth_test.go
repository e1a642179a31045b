package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/storetest"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(h, "correct horse battery") || auth.CheckPassword(h, "wrong horse battery") {
		t.Error("password check does not tell right from wrong")
	}
	if auth.CheckPassword("garbage", "x") {
		t.Error("a malformed hash matched")
	}
}

func TestUsersAndTokens(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			if err := auth.UserAdd(ctx, db, "Owner@Example.com", "long enough password", auth.Owner, now); err != nil {
				t.Fatal(err)
			}
			if err := auth.UserAdd(ctx, db, "owner@example.com", "another long password", auth.Operator, now); err != nil {
				t.Fatalf("second add of the same e-mail updates it: %v", err)
			}
			var bad *invalid.Error
			if err := auth.UserAdd(ctx, db, "x@example.com", "short", auth.Owner, now); !errors.As(err, &bad) || bad.Field != "password" {
				t.Errorf("short password: %v", err)
			}
			if err := auth.UserAdd(ctx, db, "x@example.com", "long enough password", "admin", now); !errors.As(err, &bad) || bad.Field != "role" {
				t.Errorf("bad role: %v", err)
			}

			token, err := auth.TokenAdd(ctx, db, "shop", nil, now)
			if err != nil {
				t.Fatal(err)
			}
			if tok, err := auth.TokenCheck(ctx, db.Read(), token); err != nil || tok.Name != "shop" {
				t.Errorf("check good token = %q, %v", tok.Name, err)
			}
			if _, err := auth.TokenCheck(ctx, db.Read(), token+"x"); !errors.Is(err, auth.ErrBadToken) {
				t.Errorf("check bad token = %v", err)
			}
		})
	}
}
