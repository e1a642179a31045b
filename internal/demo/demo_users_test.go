package demo_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

func TestUsersGetFreshPasswords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "lv", false)
	first, err := demo.Users(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	want := map[auth.Role]string{auth.Owner: "owner@demo.shop", auth.Operator: "operator@demo.shop", auth.Packer: "packer@demo.shop"}
	if len(first) != len(want) {
		t.Fatalf("logins %+v", first)
	}
	for _, l := range first {
		if want[l.Role] != l.Email {
			t.Errorf("login %+v: want %s", l, want[l.Role])
		}
		var hash, role string
		if err := a.DB.Read().QueryRow(ctx, `SELECT password_hash, role FROM users WHERE email = $1`, l.Email).Scan(&hash, &role); err != nil {
			t.Fatal(err)
		}
		if role != string(l.Role) || !auth.CheckPassword(hash, l.Password) {
			t.Errorf("%s: role %s, password accepted %v", l.Email, role, auth.CheckPassword(hash, l.Password))
		}
	}
	again, err := demo.Users(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Password == first[0].Password {
		t.Error("a second run kept the password")
	}
	if n := count(t, a, `SELECT COUNT(*) FROM users`); n != 3 {
		t.Errorf("%d users, want 3", n)
	}
}

func TestPassword(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^[a-hj-km-np-z2-9]{4}(-[a-hj-km-np-z2-9]{4}){3}$`)
	seen := map[string]bool{}
	for range 1000 {
		p := demo.Password()
		if !shape.MatchString(p) || len(p) < auth.MinPasswordLength {
			t.Fatalf("password %q", p)
		}
		if seen[p] {
			t.Fatalf("password %q came twice", p)
		}
		seen[p] = true
	}
}
