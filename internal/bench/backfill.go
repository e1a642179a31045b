package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
	"github.com/shopcare/shopcare/internal/store"
)

// Backfill measures a connector's backfill: a local platform
// (localshop, served over HTTP in this process) with a shop of generated
// orders, read page by page into a fresh store.
type Backfill struct {
	Orders   int  // Orders the platform's shop has.
	PageSize int  // Orders per page of the platform's API.
	Keep     bool // Keep the temporary directory and the PostgreSQL schema.
	JSON     bool // Print the figures as JSON on standard output (the report goes to standard error).
}

// benchBackfillFigures are the figures of bench backfill.
type benchBackfillFigures struct {
	benchMachine
	Orders          int     `json:"orders"`
	PageSize        int     `json:"page_size"`
	Pages           int64   `json:"pages"`
	Stored          int64   `json:"stored"`
	Seconds         float64 `json:"seconds"`
	OrdersPerSecond float64 `json:"orders_per_second"`
	// HeapFirstTenthMiB is the most heap in use while the first tenth
	// of the orders was read, HeapPeakMiB over the whole run: constant
	// memory keeps them alike.
	HeapFirstTenthMiB float64 `json:"heap_first_tenth_mib"`
	HeapPeakMiB       float64 `json:"heap_peak_mib"`
	PeakRSSMiB        float64 `json:"peak_rss_mib,omitempty"`
}

// Run backfills the generated shop and reports time and memory. The
// platform runs in this process too, so the figure includes its share of
// the CPU.
func (c *Backfill) Run(g *Env) error {
	if c.Orders < 1 || c.PageSize < 1 {
		return errors.New("bench backfill needs --orders and --page-size of at least 1")
	}
	return runBench(g, "bench backfill", c.Keep, func(ctx context.Context, _ string, st *benchStore) error {
		settings, err := g.settings()
		if err != nil {
			return err
		}
		fig := benchBackfillFigures{benchMachine: newBenchMachine(st.engine()), Orders: c.Orders, PageSize: c.PageSize}
		fmt.Fprintf(g.Stderr, "bench backfill: %d orders in pages of %d into a fresh %s store: %s\n", c.Orders, c.PageSize, st.engine(), st.where())
		a, err := app.Open(ctx, app.Options{Store: store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")},
			Settings: settings, Clock: clock.System{}, Log: slog.New(slog.NewTextHandler(g.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		if err != nil {
			return err
		}
		defer a.Stop(context.Background())

		srv := localshop.NewServer(localshop.ServerOptions{Name: "bench", Token: "bench", Orders: c.Orders, PageSize: c.PageSize,
			Start: time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC), Step: time.Minute})
		hs := httptest.NewServer(srv)
		defer hs.Close()
		api := localshop.New(connector.Options{Name: "bench", URL: hs.URL, AccessToken: "bench", HTTP: hs.Client()}).API
		conn := config.Connector{Name: "bench", Platform: "custom"}
		if len(settings.Carriers) > 0 {
			conn.Carriers = map[string]string{"Omniva": settings.Carriers[0].Code}
		}

		var ms runtime.MemStats
		var firstTenth, peak uint64
		sample := func(done int64) {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			if done <= int64(c.Orders)/10 {
				firstTenth = max(firstTenth, ms.HeapInuse)
			}
		}
		start := time.Now()
		res, err := connector.NewBackfiller(a.Deps(), connector.BackfillParams{Orders: a.Orders}).Run(ctx, conn, api, connector.BackfillOptions{
			Progress: func(s connector.BackfillState) {
				if s.Pages%4 == 0 || s.Done() <= int64(c.Orders)/10 {
					sample(s.Done())
				}
			}})
		took := time.Since(start)
		if err != nil {
			return err
		}
		fig.Pages, fig.Stored = res.Pages, res.Stored
		fig.Seconds = round1(took.Seconds())
		fig.OrdersPerSecond = math.Round(float64(res.Stored+res.Existing) / max(took.Seconds(), 0.001))
		fig.HeapFirstTenthMiB, fig.HeapPeakMiB = mib(int64(firstTenth)), mib(int64(peak))
		mem, memErr := benchProcMemory(os.Getpid())
		if memErr == nil {
			fig.PeakRSSMiB = mib(mem.Peak)
		}

		w := benchReport(g, c.JSON)
		fmt.Fprintf(w, "shopcare bench backfill (%s)\n", fig.benchMachine)
		fmt.Fprintf(w, "  backfill   %d orders in %d pages of %d in %.1fs: %.0f orders/s (%d stored)\n",
			c.Orders, fig.Pages, c.PageSize, took.Seconds(), fig.OrdersPerSecond, fig.Stored)
		fmt.Fprintf(w, "  memory     heap in use %.1f MiB at most in the first tenth, %.1f MiB at most overall", fig.HeapFirstTenthMiB, fig.HeapPeakMiB)
		if memErr == nil {
			fmt.Fprintf(w, "; peak RSS %.1f MiB (platform included)", fig.PeakRSSMiB)
		}
		fmt.Fprintln(w)
		if c.JSON {
			return benchPrintJSON(g.Stdout, fig)
		}
		return nil
	})
}
