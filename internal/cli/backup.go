package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// BackupCmd backs the shop's database up while serve runs.
type BackupCmd struct {
	To string `help:"The archive's file, or a directory for a timestamped one (default: the settings' backup.dir, else DATA/backups)." placeholder:"FILE|DIR"`
}

// Run makes the backup and says what it wrote.
func (c *BackupCmd) Run(g *Globals) error {
	ctx := context.Background()
	settings, err := g.settings()
	if err != nil {
		return err
	}
	url := strings.TrimSpace(g.DatabaseURL)
	if url == "" {
		path := filepath.Join(g.Data, store.SQLiteFile)
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no database to back up at %s (--data or SHOPCARE_DATA names the data directory): %w", path, err)
		}
	}
	db, err := store.Open(ctx, store.Options{URL: url, DataDir: g.Data})
	if err != nil {
		return err
	}
	defer db.Close()
	log := g.logger()
	svc := backup.New(service.Deps{DB: db, Log: log, Settings: settings}, backup.Params{DataDir: g.Data, URL: url})
	res, err := svc.BackupTo(ctx, c.To)
	var manual *backup.ManualError
	if errors.As(err, &manual) {
		fmt.Fprintln(g.stdout, manual.Error())
		return errors.New("no backup was made")
	}
	if err != nil {
		return err
	}
	m := res.Manifest
	fmt.Fprintf(g.stdout, "backup written: %s\n", res.File)
	fmt.Fprintf(g.stdout, "size: %s (database %s, %s)\n", humanBytes(res.Size), humanBytes(m.Size), m.Engine)
	fmt.Fprintf(g.stdout, "tables: %d, orders: %d, schema version: %d\n", len(m.Tables), m.Orders(), m.Schema)
	fmt.Fprintf(g.stdout, "took: %s\n", res.Duration.Round(time.Millisecond))
	return nil
}

// humanBytes writes a size for the operator: 12.3 MB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
