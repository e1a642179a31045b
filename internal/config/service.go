package config

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// Versions is the shop's saved settings and their history, for the
// admin: it calls Versions instead of holding the database.
type Versions struct {
	db *store.DB
}

// NewVersions returns the saved settings of db.
func NewVersions(db *store.DB) *Versions { return &Versions{db: db} }

// Saved returns the settings document the owner saved (see Saved).
func (v *Versions) Saved(ctx context.Context) ([]byte, bool, error) {
	return Saved(ctx, v.db.Read())
}

// Save stores a settings document as a new version (see SaveVersion).
func (v *Versions) Save(ctx context.Context, p SaveParams) (Settings, Version, error) {
	return SaveVersion(ctx, v.db, p)
}

// Get returns one saved version (see VersionGetByID).
func (v *Versions) Get(ctx context.Context, id int64) (Version, error) {
	return VersionGetByID(ctx, v.db.Read(), id)
}

// List returns the newest versions first, at most limit (see VersionList).
func (v *Versions) List(ctx context.Context, limit int) ([]Version, error) {
	return VersionList(ctx, v.db.Read(), limit)
}
