package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Drain measures the journal drain after a big import, in this process:
// it imports --orders of history through the CSV import's path (which
// appends an order.created event, History set, per order and leaves the
// journal undrained, as `shopcare import orders` does), then times
// Dispatcher.Drain, with every handler serve wires, until no event is
// pending: the time from the import's end until the customers' figures
// are current.
type Drain struct {
	Orders    int    // Orders of history to import (three years, as bench import generates them).
	Customers int    // Customers they belong to (at most 10,000,000).
	Batch     int    // Events a drain transaction handles when they are all history (0: the dispatcher's own).
	Keep      bool   // Keep the temporary directory (SQLite database) and the PostgreSQL schema.
	Profile   string // Write a CPU profile of the drain to this file (go tool pprof reads it).
	JSON      bool   // Print the figures as JSON on standard output (the report goes to standard error).
}

// The targets.
const (
	benchDrainRate    = 30_000           // events per second
	benchDrainCurrent = 60 * time.Second // a 1,000,000-order import's figures current
	benchDrainMillion = 1_000_000
)

// benchDrainFigures are the figures of bench drain.
type benchDrainFigures struct {
	benchMachine
	Orders          int     `json:"orders"`
	Customers       int     `json:"customers"`
	Imported        int64   `json:"imported"`
	ImportSeconds   float64 `json:"import_seconds"`
	Events          int64   `json:"events"`
	Batch           int     `json:"batch"`
	DrainSeconds    float64 `json:"drain_seconds"`
	DrainCPUSeconds float64 `json:"drain_cpu_seconds"`
	EventsPerSecond float64 `json:"events_per_second"`
	// MillionSeconds is the time to current of a 1,000,000-order import
	// at the measured rate (the drain's time itself when --orders is a
	// million).
	MillionSeconds float64 `json:"million_orders_current_seconds"`
	// OrdersCounted is the sum of the customers' order counts after the
	// drain: every imported order counted once.
	OrdersCounted int64 `json:"orders_counted"`
}

// Run imports into a fresh store and times the drain.
func (c *Drain) Run(g *Env) error {
	if c.Orders < 1 || c.Customers < 1 || c.Customers > 10_000_000 || c.Batch < 0 {
		return errors.New("bench drain needs --orders of at least 1, --customers between 1 and 10,000,000 and --batch of at least 0")
	}
	return runBench(g, "bench drain", c.Keep, func(ctx context.Context, _ string, st *benchStore) error {
		return c.run(ctx, g, st)
	})
}

func (c *Drain) run(ctx context.Context, g *Env, st *benchStore) error {
	settings, err := g.settings()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(g.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, app.Options{
		Store:    store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")},
		Settings: settings,
		Clock:    clock.NewFake(benchPagesNow),
		Log:      log,
	})
	if err != nil {
		return err
	}
	defer a.Stop(context.Background())
	if c.Batch > 0 {
		a.Dispatcher.HistoryBatchSize = c.Batch
	}
	fig := benchDrainFigures{benchMachine: newBenchMachine(st.engine()), Orders: c.Orders, Customers: c.Customers,
		Batch: a.Dispatcher.HistoryBatchSize}
	progress := g.Stderr

	fmt.Fprintf(progress, "bench drain: importing %d orders of %d customers into a fresh %s store: %s\n",
		c.Orders, c.Customers, st.engine(), st.where())
	t := time.Now()
	sum, err := benchImportHistory(ctx, a, c.Orders, c.Customers, io.Discard)
	if err != nil {
		return err
	}
	fig.ImportSeconds, fig.Imported = round1(time.Since(t).Seconds()), sum.Imported
	if fig.Events, err = journal.Pending(ctx, a.DB.Read()); err != nil {
		return fmt.Errorf("count pending events: %w", err)
	}
	fmt.Fprintf(progress, "bench drain: %d imported in %.1fs; draining %d events, %d a transaction\n",
		sum.Imported, fig.ImportSeconds, fig.Events, fig.Batch)

	if c.Profile != "" {
		stopProfile, err := benchProfile(c.Profile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	cpu0, _ := benchCPUTime(0)
	t = time.Now()
	n, err := a.Dispatcher.Drain(ctx)
	took := time.Since(t)
	cpu1, _ := benchCPUTime(0)
	if err != nil {
		return fmt.Errorf("drain the journal: %w", err)
	}
	fig.DrainSeconds, fig.DrainCPUSeconds = round2(took.Seconds()), round2((cpu1 - cpu0).Seconds())
	fig.EventsPerSecond = float64(int64(float64(n) / max(took.Seconds(), 0.001)))
	fig.MillionSeconds = round1(benchDrainMillion / max(fig.EventsPerSecond, 1))
	if fig.OrdersCounted, err = customer.OrdersCounted(ctx, a.DB.Read()); err != nil {
		return err
	}
	if int64(n) != fig.Events {
		return fmt.Errorf("bench drain: drained %d events of %d pending", n, fig.Events)
	}
	if fig.OrdersCounted != sum.Imported {
		return fmt.Errorf("bench drain: the customers count %d orders, %d were imported", fig.OrdersCounted, sum.Imported)
	}

	w := benchReport(g, c.JSON)
	fmt.Fprintf(w, "bench drain (%s)\n", fig.benchMachine)
	fmt.Fprintf(w, "  import:  %d orders of %d customers in %.1fs (%d events appended)\n", fig.Imported, fig.Customers, fig.ImportSeconds, fig.Events)
	fmt.Fprintf(w, "  drain:   %d events in %.2fs, %d a transaction: %.0f events/s (target ≥ %d), CPU %.2fs\n",
		n, fig.DrainSeconds, fig.Batch, fig.EventsPerSecond, benchDrainRate, fig.DrainCPUSeconds)
	fmt.Fprintf(w, "  current: a 1,000,000-order import's figures current %.1fs after it ends at this rate (target ≤ %.0fs)\n",
		fig.MillionSeconds, benchDrainCurrent.Seconds())
	fmt.Fprintf(w, "  check:   the customers count %d orders\n", fig.OrdersCounted)
	if c.JSON {
		return benchPrintJSON(g.Stdout, fig)
	}
	return nil
}
