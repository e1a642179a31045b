// Package auth keeps who may use shopcare: people of the shop (users with a
// role and an argon2id password hash) and programs (API tokens, stored only
// as their SHA-256, so a stolen database yields no usable token).
package auth

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// Role is what a user may do.
type Role string

// The roles of shopcare.
const (
	Owner    Role = "owner"
	Operator Role = "operator"
	Packer   Role = "packer"
)

// ParseRole returns the role named s.
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case Owner, Operator, Packer:
		return r, true
	}
	return "", false
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// UserAdd creates a user, or sets the password and role of the user with
// that e-mail when there is one already.
func UserAdd(ctx context.Context, db *store.DB, email, password string, role Role, now time.Time) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return invalid.Field("email", "invalid", "%q is not an e-mail address", email)
	}
	if _, ok := ParseRole(string(role)); !ok {
		return invalid.Field("role", "invalid", "%q is not owner, operator or packer", role)
	}
	if len([]rune(password)) < MinPasswordLength {
		return invalid.Field("password", "too_short", "must be at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO users (email, password_hash, role, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4)
			ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, updated_at = excluded.updated_at`,
			email, hash, string(role), now)
		if err != nil {
			return fmt.Errorf("save user %s: %w", email, err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
			return fmt.Errorf("save user %s: %w", email, err)
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.UserAdded,
			Detail: map[string]any{"email": email, "role": string(role)}}.Target(actionlog.TargetUser, id))
	})
}
