package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Metrics seeds a large shop and times its reports.
type Metrics struct {
	Orders    int  // Orders to seed, over three years.
	Customers int  // Customers they belong to.
	Runs      int  // Runs of each report.
	CLV       bool // Also time report clv over all the customers.
	JSON      bool // Print the figures as JSON on standard output.
	Keep      bool // Keep the store (and print where it is).
}

type benchMetricsFigures struct {
	benchMachine
	Orders    int `json:"orders"`
	Customers int `json:"customers"`
	Seed      struct {
		Customers, Orders, Analyze, Search, Rollups float64 // seconds
	} `json:"seed_s"`
	// ReportMS are the wall times of `report metrics --json` child
	// processes over the whole history (start-up included), MonthMS over
	// a month; PeakMiB is the child's peak RSS.
	ReportMS   []float64 `json:"report_ms"`
	MonthMS    []float64 `json:"month_ms"`
	ReportPeak float64   `json:"report_peak_mib"`
	// DashboardMS is computing the dashboard; CachedMS serving it again.
	DashboardMS float64   `json:"dashboard_ms"`
	CachedMS    []float64 `json:"cached_ms"`
	CLVMS       float64   `json:"clv_ms"`
	CLVPeak     float64   `json:"clv_peak_mib"`
	CLVReport   *analytics.CLVReport
}

// benchMetricsNow is the seeded shop's today.
var benchMetricsNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Run seeds the store and times the reports.
func (c *Metrics) Run(g *Env) error {
	if c.Orders < 1 || c.Customers < 1 || c.Customers > c.Orders || c.Runs < 1 {
		return errors.New("bench metrics needs --orders ≥ --customers ≥ 1 and --runs ≥ 1")
	}
	return runBench(g, "bench metrics", c.Keep, func(ctx context.Context, exe string, st *benchStore) error {
		return c.run(ctx, g, exe, st)
	})
}

func (c *Metrics) run(ctx context.Context, g *Env, exe string, st *benchStore) error {
	progress := g.Stderr
	fig := benchMetricsFigures{benchMachine: newBenchMachine(st.engine()), Orders: c.Orders, Customers: c.Customers}
	opts := store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")}
	fmt.Fprintf(progress, "bench metrics: a fresh %s store: %s\n", st.engine(), st.where())
	if err := c.seed(ctx, g, opts, &fig); err != nil {
		return err
	}

	month := benchMetricsNow.AddDate(0, -1, 0)
	for i := range c.Runs {
		for _, w := range []struct {
			into *[]float64
			args []string
		}{{&fig.ReportMS, nil}, {&fig.MonthMS, []string{"--from", month.Format("2006-01") + "-01", "--to", month.AddDate(0, 1, -1).Format(time.DateOnly)}}} {
			var out bytes.Buffer
			child, err := startBenchChild(ctx, exe, st.env(g), filepath.Join(st.dir, "report.log"), &out,
				append([]string{"report", "metrics", "--json"}, w.args...)...)
			if err != nil {
				return err
			}
			if err := child.wait(); err != nil {
				return err
			}
			*w.into = append(*w.into, ms(child.ended.Sub(child.started)))
			if peak, ok := child.peakRSS(); ok {
				fig.ReportPeak = max(fig.ReportPeak, mib(peak))
			}
			var m analytics.Metrics
			if err := json.Unmarshal(out.Bytes(), &m); err != nil {
				return fmt.Errorf("read report metrics: %w", err)
			}
			if w.args == nil && m.Orders != int64(c.Orders) {
				return fmt.Errorf("report metrics counted %d orders, want %d", m.Orders, c.Orders)
			}
		}
		fmt.Fprintf(progress, "bench metrics: run %d: report %.0f ms, a month %.0f ms\n", i+1, fig.ReportMS[i], fig.MonthMS[i])
	}

	if err := c.dashboard(ctx, g, opts, &fig); err != nil {
		return err
	}
	if c.CLV {
		var out bytes.Buffer
		child, err := startBenchChild(ctx, exe, st.env(g), filepath.Join(st.dir, "clv.log"), &out, "report", "clv", "--json",
			"--until", benchMetricsNow.AddDate(0, 0, -1).Format(time.DateOnly))
		if err != nil {
			return err
		}
		if err := child.wait(); err != nil {
			return err
		}
		fig.CLVMS = ms(child.ended.Sub(child.started))
		if peak, ok := child.peakRSS(); ok {
			fig.CLVPeak = mib(peak)
		}
		fig.CLVReport = &analytics.CLVReport{}
		if err := json.Unmarshal(out.Bytes(), fig.CLVReport); err != nil {
			return fmt.Errorf("read report clv: %w", err)
		}
	}

	w := benchReport(g, c.JSON)
	benchMetricsPrint(w, &fig)
	if c.JSON {
		return benchPrintJSON(g.Stdout, fig)
	}
	return nil
}

// seed writes the customers and orders set-based, then builds the
// roll-ups as a first start after an upgrade would.
func (c *Metrics) seed(ctx context.Context, g *Env, opts store.Options, fig *benchMetricsFigures) error {
	db, err := store.Open(ctx, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	sd := benchLoyaltySeeder{db: db, progress: g.Stderr, bench: "bench metrics"}
	t := time.Now()
	if err := sd.customers(ctx, c.Customers); err != nil {
		return err
	}
	fig.Seed.Customers = round1(time.Since(t).Seconds())
	t = time.Now()
	start := benchMetricsNow.AddDate(-3, 0, 0).Unix()
	span := benchMetricsNow.Unix() - start
	fmt.Fprintf(g.Stderr, "bench metrics: seeding %d orders of %d customers over three years\n", c.Orders, c.Customers)
	// The orders' secondary indexes are dropped for the load and made
	// again after it, as bench loyalty does for the ledger: a sort each
	// instead of millions of inserts at random places (the orders come
	// by time, their customers at random).
	reindex, err := sd.unindex(ctx, "orders")
	if err != nil {
		return err
	}
	err = sd.series(ctx, "orders", c.Orders, func(tx *store.Tx, lo, hi int64) error {
		return order.SyntheticInsertHistory(ctx, tx, order.SyntheticHistory{
			SyntheticSeries: order.SyntheticSeries{Engine: db.Engine(), From: lo, To: hi},
			Customers:       int64(c.Customers), Start: start, Span: span, Total: int64(c.Orders)})
	})
	if err != nil {
		return err
	}
	if err := sd.exec(ctx, "index the orders", reindex...); err != nil {
		return err
	}
	fig.Seed.Orders = round1(time.Since(t).Seconds())
	t = time.Now()
	if err := benchAnalyze(ctx, db); err != nil {
		return err
	}
	fig.Seed.Analyze = round1(time.Since(t).Seconds())
	settings, err := g.settings()
	if err != nil {
		return err
	}
	t = time.Now()
	if _, err := customer.BackfillSearch(ctx, db); err != nil {
		return err
	}
	fig.Seed.Search = round1(time.Since(t).Seconds())
	t = time.Now()
	stats, err := analytics.Rebuild(ctx, db, settings.Shop.Location(), settings.Shop.Currency, benchMetricsNow)
	if err != nil {
		return err
	}
	fig.Seed.Rollups = round1(time.Since(t).Seconds())
	fmt.Fprintf(g.Stderr, "bench metrics: roll-ups of %d orders, %d customers built in %.1f s\n", stats.Orders, stats.Customers, fig.Seed.Rollups)
	return benchAnalyze(ctx, db)
}

// dashboard times the admin dashboard's data in this process: computed
// once, then served from the cache.
func (c *Metrics) dashboard(ctx context.Context, g *Env, opts store.Options, fig *benchMetricsFigures) error {
	settings, err := g.settings()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, opts)
	if err != nil {
		return err
	}
	a, err := app.Wire(ctx, db, app.Options{Settings: settings, Clock: clock.NewFake(benchMetricsNow), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		db.Close()
		return err
	}
	defer func() { _ = a.Stop(context.Background()) }()
	t := time.Now()
	if _, err := a.Analytics.Dashboard(ctx, analytics.Window{}); err != nil {
		return err
	}
	fig.DashboardMS = ms(time.Since(t))
	for range c.Runs {
		t := time.Now()
		if _, err := a.Analytics.Dashboard(ctx, analytics.Window{}); err != nil {
			return err
		}
		fig.CachedMS = append(fig.CachedMS, ms(time.Since(t)))
	}
	return nil
}

func benchMetricsPrint(w io.Writer, fig *benchMetricsFigures) {
	fmt.Fprintf(w, "bench metrics (%s): %d orders, %d customers\n", fig.benchMachine, fig.Orders, fig.Customers)
	fmt.Fprintf(w, "  seeding: customers %.1f s, orders %.1f s, analyze %.1f s, search index %.1f s, roll-ups (first start) %.1f s\n",
		fig.Seed.Customers, fig.Seed.Orders, fig.Seed.Analyze, fig.Seed.Search, fig.Seed.Rollups)
	fmt.Fprintf(w, "  report metrics, whole history: %s ms (median %.0f; child process, start-up included; peak RSS %.1f MiB)\n",
		benchList(fig.ReportMS), benchMedian(fig.ReportMS), fig.ReportPeak)
	fmt.Fprintf(w, "  report metrics, one month: %s ms (median %.0f)\n", benchList(fig.MonthMS), benchMedian(fig.MonthMS))
	fmt.Fprintf(w, "  dashboard: computed in %.0f ms, then served from the cache in %s ms\n", fig.DashboardMS, benchList(fig.CachedMS))
	if r := fig.CLVReport; r != nil {
		fmt.Fprintf(w, "  report clv: %.0f ms over %d customers (%d repeat buyers), peak RSS %.1f MiB\n", fig.CLVMS, r.Customers, r.RepeatBuyers, fig.CLVPeak)
		if p := r.Params; p != nil {
			fmt.Fprintf(w, "    BG/NBD r %.4f alpha %.4f a %.4f b %.4f\n", p.R, p.Alpha, p.A, p.B)
		}
	}
}

func benchList(v []float64) string {
	var b bytes.Buffer
	for i, x := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%.1f", x)
	}
	return b.String()
}

func benchMedian(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
