package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/csvimport"
)

// ImportOrdersCmd imports an orders CSV.
type ImportOrdersCmd struct {
	File     string `arg:"" help:"The CSV file (header row; see README)." type:"existingfile"`
	Encoding string `help:"auto, utf-8, windows-1251 (Russian Excel), windows-1257 (Latvian Excel) or iso-8859-1 (Western European Excel); auto refuses a file it cannot tell." default:"auto" enum:"auto,utf-8,windows-1251,windows-1257,iso-8859-1"`
}

// Run streams the file in; bad rows go to FILE.rejected.csv and the import
// goes on. Every chunk commits on its own, so an interrupted import keeps
// what it took and a re-run adds only the rest.
func (c *ImportOrdersCmd) Run(g *Globals) error {
	var sum csvimport.Summary
	return g.importCSV(c.File, func(ctx context.Context, a *app.App, in io.Reader, rejected io.Writer, progress func(int64)) (int, error) {
		var err error
		sum, err = csvimport.New(a.Deps(), csvimport.Params{Orders: a.Orders}).Import(ctx, in, rejected,
			csvimport.Options{Encoding: c.Encoding, Progress: progress})
		return int(sum.Rejected), err
	}, func(a *app.App, took time.Duration, rejectedPath string, _ error) {
		// An interrupted import keeps what it took: say what that was.
		rate := float64(sum.Imported+sum.Existing) / max(took.Seconds(), 0.001)
		fmt.Fprintf(g.stdout, "%s: %d rows: %d imported, %d already there, %d rejected in %s (%.0f orders/s)%s\n",
			c.File, sum.Rows, sum.Imported, sum.Existing, sum.Rejected, took.Round(time.Millisecond), rate, rejectedNote(rejectedPath))
		if sum.ForeignOrders > 0 {
			fmt.Fprintln(g.stdout, "warning: "+analytics.ForeignCurrencyWarning(sum.ForeignOrders, sum.ForeignCurrencies, a.Settings.Shop.Currency))
		}
	})
}
