package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// Migrate brings shopcare's tables up to the version this binary knows.
// It refuses a database migrated by a newer shopcare, which this binary
// would not understand.
func (db *DB) Migrate(ctx context.Context) error {
	provider, closeFn, err := db.goose()
	if err != nil {
		return err
	}
	defer closeFn()
	current, err := provider.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	sources := provider.ListSources()
	latest := sources[len(sources)-1].Version
	if current > latest {
		return fmt.Errorf("the database schema is at version %d, newer than this shopcare knows (%d): upgrade shopcare", current, latest)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func (db *DB) goose() (*goose.Provider, func(), error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	sqlDB, closeFn := db.write, func() {}
	if db.engine == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		sqlDB = stdlib.OpenDBFromPool(db.pool)
		closeFn = func() { _ = sqlDB.Close() }
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, nil, err
	}
	provider, err := goose.NewProvider(dialect, sqlDB, sub)
	if err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("load migrations: %w", err)
	}
	return provider, closeFn, nil
}
