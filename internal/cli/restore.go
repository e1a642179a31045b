package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/backup"
)

// RestoreCmd restores a backup into an empty data directory.
type RestoreCmd struct {
	File string `arg:"" help:"The backup archive (shopcare-….tar.gz)." type:"existingfile"`
}

// Run restores the archive into --data and says what it restored.
func (c *RestoreCmd) Run(g *Globals) error {
	res, err := backup.Restore(context.Background(), c.File, g.Data)
	var manual *backup.ManualError
	if errors.As(err, &manual) {
		fmt.Fprintln(g.stdout, manual.Error())
		return errors.New("nothing was restored")
	}
	if err != nil {
		return err
	}
	m := res.Manifest
	fmt.Fprintf(g.stdout, "restored: %s\n", res.File)
	fmt.Fprintf(g.stdout, "backup of %s by shopcare %s, schema version %d\n", m.CreatedAt.Format(time.RFC3339), m.Version, m.Schema)
	fmt.Fprintf(g.stdout, "size: %s, tables: %d, orders: %d; checksum, integrity and counts verified\n", humanBytes(m.Size), len(m.Tables), m.Orders())
	fmt.Fprintf(g.stdout, "took: %s\n", res.Duration.Round(time.Millisecond))
	fmt.Fprintf(g.stdout, "start it with: shopcare serve --data %s\n", g.Data)
	return nil
}
