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
	Imported        int     `json:"imported"`
	Existing        int     `json:"existing"`
	Rejected        int     `json:"rejected"`
	ServeStartupMS  float64 `json:"serve_startup_ms"`
	ServeIdleRSSMiB float64 `json:"serve_idle_rss_mib,omitempty"`
	ServeStopMS     float64 `json:"serve_stop_ms"`
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
		peak, havePeak := benchPeakRSS(child.cmd.ProcessState)
		fig.PeakRSSMiB = mib(peak)
		said := strings.TrimSpace(out.String())
		counted := parseImportSummary(said, &fig)

		fmt.Fprintln(g.Stderr, "bench import: timing serve's start-up on the imported store")
		srv, err := startBenchServe(ctx, exe, g, st)
		if err != nil {
			return err
		}
		defer srv.kill()
		fig.ServeStartupMS = ms(srv.startup)
		if err := benchSleep(ctx, srv.benchChild, benchIdle); err != nil {
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
		fmt.Fprintln(w)
		if counted {
			fmt.Fprintf(w, "                  %d imported, %d already there, %d rejected\n", fig.Imported, fig.Existing, fig.Rejected)
		} else {
			fmt.Fprintf(w, "                  the import said: %s\n", said)
		}
		fmt.Fprintf(w, "  serve start-up  %s to the first 200 from /healthz\n", srv.startup.Round(time.Millisecond))
		if memErr == nil {
			fmt.Fprintf(w, "  serve idle      %.1f MiB RSS after %s idle\n", fig.ServeIdleRSSMiB, benchIdle)
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
