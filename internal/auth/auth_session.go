package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// User is one person of the shop.
type User struct {
	ID       int64
	Email    string
	Role     Role
	Language string // "" = the shop's first language
}

// Area is a part of the admin app; roles are granted areas.
type Area string

// The areas of the admin app.
const (
	AreaOrders    Area = "orders"    // orders, their status and messages
	AreaCustomers Area = "customers" // customers, their consent
	AreaCallbacks Area = "callbacks" // the call-back queue
	AreaPacking   Area = "packing"   // the packing station
	AreaOutbox    Area = "outbox"    // every message, as sent
	AreaSettings  Area = "settings"  // shop settings, playbook, templates
	AreaLoyalty   Area = "loyalty"   // the loyalty program's figures, rules and coupons
	AreaCampaigns Area = "campaigns" // campaigns to customers and the marketing flows' figures
	AreaUsers     Area = "users"     // the shop's people
	AreaAccount   Area = "account"   // one's own password and language
)

// grants lists what each role may do; the owner may do everything, and
// alone sees settings, people and the loyalty program (its figures are
// the shop's debt to its customers, its coupons are money given away).
var grants = map[Role][]Area{
	Operator: {AreaOrders, AreaCustomers, AreaCallbacks, AreaOutbox, AreaAccount},
	Packer:   {AreaPacking, AreaAccount},
}

// Can tells whether the role may use area.
func (r Role) Can(a Area) bool {
	if r == Owner {
		return true
	}
	for _, g := range grants[r] {
		if g == a {
			return true
		}
	}
	return false
}

// ErrBadLogin reports a wrong e-mail or password, without saying which.
var ErrBadLogin = errors.New("wrong e-mail or password")

// ErrNoSession reports a session token that is unknown or expired.
var ErrNoSession = errors.New("no such session")

// Login returns the user with that e-mail and password, or ErrBadLogin;
// ErrBusy when the queue for a hashing slot is full.
func Login(ctx context.Context, q store.Querier, email, password string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u User
	var hash, role string
	err := q.QueryRow(ctx, `SELECT id, email, password_hash, role, language FROM users WHERE email = $1`, email).
		Scan(&u.ID, &u.Email, &hash, &role, &u.Language)
	known := err == nil
	if errors.Is(err, store.ErrNotFound) {
		hash = dummyHash
	} else if err != nil {
		return User{}, fmt.Errorf("load user %s: %w", email, err)
	}
	ok, err := checkPassword(ctx, LoginWait, hash, password)
	if err != nil {
		return User{}, err
	}
	if !ok || !known {
		return User{}, ErrBadLogin
	}
	u.Role = Role(role)
	return u, nil
}

// Session is a signed-in browser: Token goes in its cookie, CSRF in its
// forms.
type Session struct {
	Token     string
	CSRF      string
	UserID    int64
	ExpiresAt time.Time
}

// SessionTTL is how long a session lasts without being renewed.
const SessionTTL = 12 * time.Hour

// SessionCreate opens a session for the user. Only the token's hash is
// stored.
func SessionCreate(ctx context.Context, db *store.DB, userID int64, now time.Time) (Session, error) {
	s := Session{Token: secret.Token(), CSRF: secret.Token(), UserID: userID, ExpiresAt: now.Add(SessionTTL)}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		// Expired sessions of anyone go with each new login: the table
		// stays as small as the number of people signed in.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, secret.Hash(s.Token), userID, s.CSRF, now, s.ExpiresAt)
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("create session for user %d: %w", userID, err)
	}
	return s, nil
}

// SessionGet returns the session with that token and its user, or
// ErrNoSession when there is none or it has expired.
func SessionGet(ctx context.Context, q store.Querier, token string, now time.Time) (User, Session, error) {
	if !secret.Plausible(token) {
		return User{}, Session{}, ErrNoSession
	}
	var u User
	var role string
	s := Session{Token: token}
	err := q.QueryRow(ctx, `SELECT s.csrf, s.expires_at, u.id, u.email, u.role, u.language
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, secret.Hash(token)).
		Scan(&s.CSRF, &s.ExpiresAt, &u.ID, &u.Email, &role, &u.Language)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, Session{}, ErrNoSession
	}
	if err != nil {
		return User{}, Session{}, fmt.Errorf("load session: %w", err)
	}
	if !now.Before(s.ExpiresAt) {
		return User{}, Session{}, ErrNoSession
	}
	u.Role, s.UserID = Role(role), u.ID
	return u, s, nil
}

// SessionDelete ends a session (logout).
func SessionDelete(ctx context.Context, db *store.DB, token string) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, secret.Hash(token))
		return err
	})
}

// PasswordChange sets a new password after checking the current one, and
// ends the user's other sessions: whoever knew the old password is out.
func PasswordChange(ctx context.Context, db *store.DB, u User, keepToken, current, next string, now time.Time) error {
	if _, err := Login(ctx, db.Read(), u.Email, current); errors.Is(err, ErrBadLogin) {
		return invalid.Field("current", "wrong", "the current password is not right")
	} else if err != nil {
		return err
	}
	if len([]rune(next)) < MinPasswordLength {
		return invalid.Field("password", "too_short", "must be at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, u.ID, hash, now); err != nil {
			return fmt.Errorf("change password of user %d: %w", u.ID, err)
		}
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, u.ID, secret.Hash(keepToken))
		return err
	})
}

// UserSetLanguage sets the language of a user's interface.
func UserSetLanguage(ctx context.Context, db *store.DB, userID int64, lang string, now time.Time) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET language = $2, updated_at = $3 WHERE id = $1`, userID, lang, now)
		return err
	})
}

// UserList returns the shop's people by e-mail.
func UserList(ctx context.Context, q store.Querier) ([]User, error) {
	rows, err := q.Query(ctx, `SELECT id, email, role, language FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var role string
		if err := rows.Scan(&u.ID, &u.Email, &role, &u.Language); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.Role = Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserDelete removes a user and their sessions.
func UserDelete(ctx context.Context, db *store.DB, id int64) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		var email, role string
		err := tx.QueryRow(ctx, `DELETE FROM users WHERE id = $1 RETURNING email, role`, id).Scan(&email, &role)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.UserRemoved,
			Detail: map[string]any{"email": email, "role": role}}.Target(actionlog.TargetUser, id))
	})
}
