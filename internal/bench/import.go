package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Import measures the import of a large orders CSV and serve's
// start-up on the store it fills.
type Import struct {
	Orders    int  // Orders to generate.
	Customers int  // Customers they belong to (at most 10,000,000).
	Keep      bool // Keep the temporary directory (CSV, logs, SQLite database) and the PostgreSQL schema.
	JSON      bool // Print the figures as JSON on standard output (the report goes to standard error).
}

// benchImportFigures are the figures of bench import.
type benchImportFigures struct {
	benchMachine
	Orders          int     `json:"orders"`
	Customers       int     `json:"customers"`
	CSVMiB          float64 `json:"csv_mib"`
	GenerateSeconds float64 `json:"generate_seconds"`
	ImportSeconds   float64 `json:"import_seconds"`
	OrdersPerSecond float64 `json:"orders_per_second"`
	PeakRSSMiB      float64 `json:"import_peak_rss_mib,omitempty"`
	// CPUSeconds is the import's user and system time: on a machine shared
	// with other work it moves less than the wall-clock rate.
	CPUSeconds float64 `json:"import_cpu_seconds"`
	Imported   int     `json:"imported"`
	Existing   int     `json:"existing"`
	Rejected   int     `json:"rejected"`
	// The raw insert ceiling measured in the same run (import_ceiling.go),
	// and the import's share of it.
	CeilingRowsPerSecond   float64 `json:"ceiling_rows_per_second"`
	CeilingOrdersPerSecond float64 `json:"ceiling_orders_per_second"`
	CeilingRatio           float64 `json:"ceiling_ratio"`
	ServeStartupMS         float64 `json:"serve_startup_ms"`
	ServeIdleRSSMiB        float64 `json:"serve_idle_rss_mib,omitempty"`
	ServeStopMS            float64 `json:"serve_stop_ms"`
}

// Run generates the CSV, imports it with a child `shopcare import orders`,
// then starts a child `shopcare serve` on the result, reads its memory when
// idle, and stops it.
func (c *Import) Run(g *Env) error {
	if c.Orders < 1 || c.Customers < 1 || c.Customers > 10_000_000 {
		return errors.New("bench import needs --orders of at least 1 and --customers between 1 and 10,000,000")
	}
	return runBench(g, "bench import", c.Keep, func(ctx context.Context, exe string, st *benchStore) error {
		fig := benchImportFigures{benchMachine: newBenchMachine(st.engine()), Orders: c.Orders, Customers: c.Customers}

		csvPath := filepath.Join(st.dir, "orders.csv")
		fmt.Fprintf(g.Stderr, "bench import: generating %d orders of %d customers in %s\n", c.Orders, c.Customers, csvPath)
		t0 := time.Now()
		size, err := writeBenchOrdersCSV(ctx, csvPath, c.Orders, c.Customers)
		if err != nil {
			return err
		}
		fig.GenerateSeconds, fig.CSVMiB = round1(time.Since(t0).Seconds()), mib(size)

		rows := ceilingRows(c.Orders)
		fmt.Fprintf(g.Stderr, "bench import: measuring the raw insert ceiling of %s with %d order-shaped rows\n", st.engine(), rows)
		var ceiling float64
		if st.schema != "" {
			ceiling, err = measurePostgresCeiling(ctx, st.url, rows)
		} else {
			ceiling, err = measureSQLiteCeiling(ctx, st.dir, rows)
		}
		if err != nil {
			return err
		}
		fig.CeilingRowsPerSecond = math.Round(ceiling)
		fig.CeilingOrdersPerSecond = math.Round(ceiling / ceilingRowsPerOrder)

		fmt.Fprintf(g.Stderr, "bench import: importing into a fresh %s store: %s\n", st.engine(), st.where())
		var out bytes.Buffer
		child, err := startBenchChild(ctx, exe, st.env(g), filepath.Join(st.dir, "import.log"), &out, "import", "orders", csvPath)
		if err != nil {
			return err
		}
		defer child.kill()
		if err := child.wait(); err != nil {
			return err
		}
		took := child.ended.Sub(child.started)
		fig.ImportSeconds = round1(took.Seconds())
		fig.OrdersPerSecond = math.Round(float64(c.Orders) / max(took.Seconds(), 0.001))
		fig.CeilingRatio = math.Round(fig.OrdersPerSecond/max(fig.CeilingOrdersPerSecond, 1)*1000) / 1000
		peak, havePeak := child.peakRSS()
		fig.PeakRSSMiB = mib(peak)
		if ps := child.cmd.ProcessState; ps != nil {
			fig.CPUSeconds = round1((ps.UserTime() + ps.SystemTime()).Seconds())
		}
		said := strings.TrimSpace(out.String())
		counted := parseImportSummary(said, &fig)

		fmt.Fprintln(g.Stderr, "bench import: timing serve's start-up on the imported store")
		srv, err := startBenchServe(ctx, exe, g, st)
		if err != nil {
			return err
		}
		defer srv.kill()
		fig.ServeStartupMS = ms(srv.startup)
		if err := benchSleep(ctx, srv.benchChild, serveSettle); err != nil {
			return err
		}
		mem, memErr := srv.memory()
		fig.ServeIdleRSSMiB = mib(mem.RSS)
		stopTook, stopErr := srv.stop(benchStopTimeout)
		fig.ServeStopMS = ms(stopTook)

		w := benchReport(g, c.JSON)
		fmt.Fprintf(w, "shopcare bench import (%s)\n", fig.benchMachine)
		fmt.Fprintf(w, "  CSV             %d orders of %d customers, %.1f MiB, generated in %.1fs\n",
			c.Orders, c.Customers, fig.CSVMiB, fig.GenerateSeconds)
		fmt.Fprintf(w, "  import          %.1fs: %.0f orders/s", took.Seconds(), fig.OrdersPerSecond)
		if havePeak {
			fmt.Fprintf(w, ", peak RSS %.1f MiB", fig.PeakRSSMiB)
		}
		fmt.Fprintf(w, ", %.1fs CPU (%.0f µs an order)\n", fig.CPUSeconds, fig.CPUSeconds*1e6/float64(c.Orders))
		fmt.Fprintf(w, "  ceiling         %.0f rows/s raw inserts (%d a transaction, one unique index) = %.0f orders/s at %d rows an order\n",
			fig.CeilingRowsPerSecond, ceilingTx, fig.CeilingOrdersPerSecond, ceilingRowsPerOrder)
		fmt.Fprintf(w, "                  the import reaches %.3f of it\n", fig.CeilingRatio)
		if counted {
			fmt.Fprintf(w, "                  %d imported, %d already there, %d rejected\n", fig.Imported, fig.Existing, fig.Rejected)
		} else {
			fmt.Fprintf(w, "                  the import said: %s\n", said)
		}
		fmt.Fprintf(w, "  serve start-up  %s to the first 200 from /healthz\n", srv.startup.Round(time.Millisecond))
		if memErr == nil {
			fmt.Fprintf(w, "  serve idle      %.1f MiB RSS after %s idle\n", fig.ServeIdleRSSMiB, serveSettle)
		}
		fmt.Fprintf(w, "  serve stop      %s after SIGTERM\n", stopTook.Round(time.Millisecond))
		if fig.Rejected > 0 {
			fmt.Fprintf(w, "  warning: %d rows were rejected; rerun with --keep to read %s\n",
				fig.Rejected, strings.TrimSuffix(csvPath, ".csv")+".rejected.csv")
		}
		if c.JSON {
			if err := benchPrintJSON(g.Stdout, fig); err != nil {
				return err
			}
		}
		return errors.Join(memErr, stopErr)
	})
}

// serveSettle is how long serve runs on the imported store before its
// memory is read: the "a minute after importing", long enough for
// the start-up work (the journal drain of the import's events, the
// roll-up backfill) to be done, so the figure is serve's resting size.
const serveSettle = time.Minute

var importSummary = regexp.MustCompile(`(\d+) imported, (\d+) already there, (\d+) rejected`)

// parseImportSummary reads the counts from the line `shopcare import
// orders` prints; it tells whether it found them.
func parseImportSummary(said string, fig *benchImportFigures) bool {
	m := importSummary.FindStringSubmatch(said)
	if m == nil {
		return false
	}
	n := make([]int, 3)
	for i := range n {
		v, err := strconv.Atoi(m[i+1])
		if err != nil {
			return false
		}
		n[i] = v
	}
	fig.Imported, fig.Existing, fig.Rejected = n[0], n[1], n[2]
	return true
}
