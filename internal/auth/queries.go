package auth

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// This file holds the user tables' SQL that other packages need: users,
// sessions and api_tokens belong to this package (style rule 14a).

// CountUsersByEmail returns how many users sign in with email (0 or 1).
func CountUsersByEmail(ctx context.Context, q store.Querier, email string) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, email).Scan(&n)
	return n, err
}
