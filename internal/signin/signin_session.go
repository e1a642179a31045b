package signin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// ErrNoSession reports a session token that is unknown or expired.
var ErrNoSession = errors.New("no such customer session")

// How a customer came into their page (Session.Via).
const (
	ViaCode     = "code"     // typed the one-time code
	ViaLink     = "link"     // followed the one-time link
	ViaMessage  = "message"  // followed the signed link in a message
	ViaTracking = "tracking" // came from an order's tracking page
)

// SessionTTL is how long a customer's session lasts: a month, as a shop's
// account page is expected to remember its customer on their own phone.
const SessionTTL = 30 * 24 * time.Hour

// Session is a customer's signed-in browser: Token goes in its cookie,
// CSRF in its forms.
type Session struct {
	Token      string
	CSRF       string
	CustomerID int64
	Via        string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// sessionCreate opens a session for the customer inside tx; sessions of
// anyone that ended more than SessionTTL ago go with it, so the table
// stays as small as a month of sign-ins, which the admin lists.
func sessionCreate(ctx context.Context, tx *store.Tx, customerID int64, via string, now time.Time) (Session, error) {
	s := Session{Token: secret.Token(), CSRF: secret.Token(), CustomerID: customerID, Via: via,
		CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if _, err := tx.Exec(ctx, `DELETE FROM customer_sessions WHERE expires_at < $1`, now.Add(-SessionTTL)); err != nil {
		return Session{}, fmt.Errorf("drop expired customer sessions: %w", err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO customer_sessions (token_hash, customer_id, csrf, via, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, secret.Hash(s.Token), customerID, s.CSRF, via, now, s.ExpiresAt)
	if err != nil {
		return Session{}, fmt.Errorf("create session of customer %d: %w", customerID, err)
	}
	return s, nil
}

// sessionGet returns the live session of token, or ErrNoSession.
func sessionGet(ctx context.Context, q store.Querier, token string, now time.Time) (Session, error) {
	if !secret.Plausible(token) {
		return Session{}, ErrNoSession
	}
	s := Session{Token: token}
	err := q.QueryRow(ctx, `SELECT customer_id, csrf, via, created_at, expires_at FROM customer_sessions
		WHERE token_hash = $1`, secret.Hash(token)).Scan(&s.CustomerID, &s.CSRF, &s.Via, &s.CreatedAt, &s.ExpiresAt)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("load customer session: %w", err)
	}
	if !now.Before(s.ExpiresAt) {
		return Session{}, ErrNoSession
	}
	return s, nil
}
