package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/shopcare/shopcare/internal/connector"
)

// ConnectBackfillCmd reads a connected shop's history.
type ConnectBackfillCmd struct {
	Name    string `arg:"" help:"The connector's name in the settings."`
	Since   string `help:"Read the orders placed on this day (YYYY-MM-DD, the shop's time zone) and after; the whole history when not given." placeholder:"DATE"`
	Restart bool   `help:"Start over from the first page, even when a backfill finished or stopped half-way (orders stored already are left as they are)."`
	Stock   bool   `help:"Read every product's stock level instead of the orders (Shopify, WooCommerce, Ecwid); levels are set, not added, so running it again is safe."`

	build connector.AdapterFunc // tests replace platforms.New
}

// maxRejectedShown bounds the rejected orders printed one by one.
const maxRejectedShown = 20

// Run reads the history page by page; every page commits with its
// cursor, so Ctrl-C or a crash loses nothing and a second run resumes.
func (c *ConnectBackfillCmd) Run(g *Globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(context.Background())
	cn, err := findConnector(a.Settings, c.Name)
	if err != nil {
		return err
	}
	if c.Stock {
		return c.runStock(ctx, g, a, cn)
	}
	ad, err := buildAdapter(c.build, cn)
	if err != nil {
		return err
	}
	if ad.API == nil {
		return fmt.Errorf("%s: %s has no orders API to read the history from; import it from a CSV export instead (shopcare import orders)",
			cn.Name, platformName(cn.Platform))
	}

	var bar *progressbar.ProgressBar
	opts := connector.BackfillOptions{Since: c.Since, Restart: c.Restart}
	if f, ok := g.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts.Progress = func(s connector.BackfillState) {
			if bar == nil {
				bar = progressbar.NewOptions64(s.Total, progressbar.OptionSetWriter(f),
					progressbar.OptionSetDescription("backfilling "+cn.Name), progressbar.OptionShowCount(),
					progressbar.OptionShowIts(), progressbar.OptionSetItsString("orders"),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			if s.Total >= 0 && bar.GetMax64() != s.Total {
				bar.ChangeMax64(s.Total)
			}
			_ = bar.Set64(s.Done())
		}
	}
	shown := 0
	opts.Rejected = func(ext string, reason error) {
		if shown < maxRejectedShown {
			fmt.Fprintf(g.stderr, "rejected %s: %v\n", ext, reason)
		}
		shown++
	}

	start := time.Now()
	res, err := connector.NewBackfiller(a.Deps(), connector.BackfillParams{Orders: a.Orders}).Run(ctx, cn, ad.API, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if shown > maxRejectedShown {
		fmt.Fprintf(g.stderr, "… and %d more rejected orders (the log has each)\n", shown-maxRejectedShown)
	}
	out := g.stdout
	since := "the whole history"
	if res.State.Since != "" {
		since = "orders since " + res.State.Since
	}
	if res.AlreadyDone {
		fmt.Fprintf(out, "%s: the backfill of %s finished on %s (%d orders read); run with --restart to read it again\n",
			cn.Name, since, res.State.FinishedAt.In(a.Settings.Shop.Location()).Format("2006-01-02 15:04"), res.State.Done())
		return err
	}
	if res.Replaced != nil {
		was := "the whole history"
		if *res.Replaced != "" {
			was = "since " + *res.Replaced
		}
		fmt.Fprintf(out, "%s: an unfinished backfill (%s) was started over for %s\n", cn.Name, was, since)
	}
	if res.Resumed {
		fmt.Fprintf(out, "%s: resumed after page %d\n", cn.Name, res.State.Pages-res.Pages)
	}
	took := time.Since(start)
	read := res.Stored + res.Existing + res.Rejected
	fmt.Fprintf(out, "%s: %d orders read in %d pages: %d stored, %d already there, %d rejected in %s (%.0f orders/s)\n",
		cn.Name, read, res.Pages, res.Stored, res.Existing, res.Rejected, took.Round(time.Millisecond), float64(read)/max(took.Seconds(), 0.001))
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("backfill of %s interrupted after page %d: run the same command again to resume", cn.Name, res.State.Pages)
		}
		return fmt.Errorf("%w; run the same command again to resume after page %d", explainAPIError(err), res.State.Pages)
	}
	fmt.Fprintf(out, "%s: the backfill of %s is complete: %d orders in all\n", cn.Name, since, res.State.Done())
	return nil
}
