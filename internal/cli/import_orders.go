package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/shopcare/shopcare/internal/analytics"
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
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(context.Background())

	in, err := os.Open(c.File)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	rejectedPath := strings.TrimSuffix(c.File, ".csv") + ".rejected.csv"
	rejected, err := os.Create(rejectedPath)
	if err != nil {
		return fmt.Errorf("create %s: %w", rejectedPath, err)
	}

	opts := csvimport.Options{Encoding: c.Encoding}
	var bar *progressbar.ProgressBar
	if f, ok := g.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions64(info.Size(),
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("importing "+c.File),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		opts.Progress = func(n int64) { _ = bar.Set64(n) }
	}

	start := time.Now()
	sum, err := csvimport.New(a.Deps(), csvimport.Params{Orders: a.Orders}).Import(ctx, in, rejected, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if cerr := rejected.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if sum.Rejected == 0 {
		_ = os.Remove(rejectedPath)
	}
	took := time.Since(start)
	rate := float64(sum.Imported+sum.Existing) / max(took.Seconds(), 0.001)
	line := fmt.Sprintf("%s: %d rows: %d imported, %d already there, %d rejected in %s (%.0f orders/s)",
		c.File, sum.Rows, sum.Imported, sum.Existing, sum.Rejected, took.Round(time.Millisecond), rate)
	if sum.Rejected > 0 {
		line += "; rejected rows with reasons: " + rejectedPath
	}
	fmt.Fprintln(g.stdout, line)
	if sum.ForeignOrders > 0 {
		fmt.Fprintln(g.stdout, "warning: "+analytics.ForeignCurrencyWarning(sum.ForeignOrders, sum.ForeignCurrencies, a.Settings.Shop.Currency))
	}
	return err
}
