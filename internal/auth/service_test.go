package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestService walks a user, a session, a profile and an API token
// through auth.Service, as the admin and the API do.
func TestService(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			s := auth.NewService(db)
			if err := s.UserAdd(ctx, "owner@example.com", "long enough password", auth.Owner, now); err != nil {
				t.Fatal(err)
			}
			if err := s.UserAdd(ctx, "op@example.com", "long enough password", auth.Operator, now); err != nil {
				t.Fatal(err)
			}
			u, err := s.Login(ctx, "owner@example.com", "long enough password")
			if err != nil || u.Role != auth.Owner {
				t.Fatalf("login: %+v, %v", u, err)
			}
			sess, err := s.SessionCreate(ctx, u.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			if got, _, err := s.SessionGet(ctx, sess.Token, now); err != nil || got.ID != u.ID {
				t.Fatalf("session: %+v, %v", got, err)
			}
			if err := s.UserSetLanguage(ctx, u.ID, "en", now); err != nil {
				t.Fatal(err)
			}
			if err := s.ProfileSave(ctx, u.ID, "Анна", []string{"ru", "en"}, now); err != nil {
				t.Fatal(err)
			}
			if p, err := s.ProfileGet(ctx, u.ID); err != nil || p.Name != "Анна" {
				t.Fatalf("profile: %+v, %v", p, err)
			}
			if ps, err := s.ProfileList(ctx); err != nil || len(ps) != 2 {
				t.Fatalf("profiles: %d, %v; want 2", len(ps), err)
			}
			if err := s.PasswordChange(ctx, u, sess.Token, "long enough password", "another long password", now); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Login(ctx, "owner@example.com", "another long password"); err != nil {
				t.Fatalf("login with the new password: %v", err)
			}
			if err := s.SessionDelete(ctx, sess.Token); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.SessionGet(ctx, sess.Token, now); err == nil {
				t.Fatal("an ended session still signs in")
			}
			users, err := s.UserList(ctx)
			if err != nil || len(users) != 2 {
				t.Fatalf("users: %d, %v; want 2", len(users), err)
			}
			for _, o := range users {
				if o.Email == "op@example.com" {
					if err := s.UserDelete(ctx, o.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			if users, _ := s.UserList(ctx); len(users) != 1 {
				t.Fatalf("users after delete: %d; want 1", len(users))
			}

			secret, err := s.TokenAdd(ctx, "shop", []auth.Scope{auth.ScopeRead}, now)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := s.TokenCheck(ctx, secret)
			if err != nil || tok.Name != "shop" {
				t.Fatalf("token: %+v, %v", tok, err)
			}
			if err := s.TokenTouch(ctx, tok.ID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if list, err := s.TokenList(ctx); err != nil || len(list) != 1 || list[0].LastUsedAt.IsZero() {
				t.Fatalf("tokens: %+v, %v; want one, used", list, err)
			}
			if err := s.TokenRevokeID(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.TokenCheck(ctx, secret); err == nil {
				t.Fatal("a revoked token still checks")
			}
			if err := s.TokenRevokeID(ctx, tok.ID+100); err == nil {
				t.Fatal("revoking an unknown token succeeded")
			}
		})
	}
}
