package store

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// KnownSchemaVersion is the newest migration this binary carries: the
// schema version a database has once Migrate ran. A backup records the
// version it was taken at, and a restore refuses one newer than this.
func KnownSchemaVersion() (int64, error) {
	entries, err := fs.ReadDir(migrations, "migrations/sqlite")
	if err != nil {
		return 0, fmt.Errorf("list migrations: %w", err)
	}
	var latest int64
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			continue
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// SchemaVersion is the newest migration applied to the database, 0 for
// a database never migrated.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v *int64
	err := db.Read().QueryRow(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}
