package app

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// ErrNotFound is the error every service returns, wrapped, when what it
// was asked for does not exist; the HTTP surfaces map it to 404 without
// knowing the store.
var ErrNotFound = store.ErrNotFound

// ValidCursor reports whether c is a page cursor a list wrote (its
// next page's key), so a surface can refuse one it did not give.
func ValidCursor(c string) bool {
	_, _, ok := store.ParseCursor(c)
	return ok
}

// Ping checks that the database answers, for the health check.
func (a *App) Ping(ctx context.Context) error { return a.DB.Ping(ctx) }

// Engine names the database engine: sqlite or postgres.
func (a *App) Engine() string { return string(a.DB.Engine()) }
