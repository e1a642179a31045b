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

	opts := stock.CSVOptions{Encoding: c.Encoding}
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
	res, err := a.Stock.ImportCSVWith(ctx, "csv", in, rejected, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if cerr := rejected.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if res.Rejected == 0 {
		_ = os.Remove(rejectedPath)
	}
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s: %d rows: %d SKUs new, %d changed, %d unchanged, %d rows rejected in %s",
		c.File, res.Rows, res.Created, res.Updated, res.Unchanged, res.Rejected, time.Since(start).Round(time.Millisecond))
	if res.Rejected > 0 {
		line += "; rejected rows with reasons: " + rejectedPath
	}
	fmt.Fprintln(g.stdout, line)
	return nil
}
