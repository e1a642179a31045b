package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/stock"
)

// ImportStockCmd imports a stock CSV.
type ImportStockCmd struct {
	File     string `arg:"" help:"The CSV file: header sku, on_hand and optionally name, incoming_qty, incoming_date (see docs/stock.md)." type:"existingfile"`
	Encoding string `help:"auto, utf-8, windows-1251 (Russian Excel), windows-1257 (Latvian Excel) or iso-8859-1 (Western European Excel); auto refuses a file it cannot tell." default:"auto" enum:"auto,utf-8,windows-1251,windows-1257,iso-8859-1"`
}

// Run reads the file and sets the levels it holds in one transaction;
// bad rows go to FILE.rejected.csv with their line and reason, and the
// rest is imported. Importing the same file again changes nothing.
func (c *ImportStockCmd) Run(g *Globals) error {
	var res stock.ImportResult
	return g.importCSV(c.File, func(ctx context.Context, a *app.App, in io.Reader, rejected io.Writer, progress func(int64)) (int, error) {
		var err error
		res, err = a.Stock.ImportCSVWith(ctx, "csv", in, rejected, stock.CSVOptions{Encoding: c.Encoding, Progress: progress})
		return res.Rejected, err
	}, func(_ *app.App, took time.Duration, rejectedPath string, err error) {
		if err != nil {
			return // one transaction: nothing was set
		}
		fmt.Fprintf(g.stdout, "%s: %d rows: %d SKUs new, %d changed, %d unchanged, %d rows rejected in %s%s\n",
			c.File, res.Rows, res.Created, res.Updated, res.Unchanged, res.Rejected, took.Round(time.Millisecond), rejectedNote(rejectedPath))
	})
}
