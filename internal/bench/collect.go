package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/traffic"
)

// Collect measures the page-view counter: clients in this process send
// beacons to POST /collect of a `shopcare serve` child on a fresh store,
// as the shop's visitors' browsers do (many visitors, told apart by the
// address a trusted proxy gives, and their browsers), and it reports
// the beacons answered per second and the answers' latency; then it
// stops serve (which writes what its buffer holds) and checks that the
// page views written are those accepted.
type Collect struct {
	Concurrency int           // Clients sending beacons at once, each waiting for its answer before the next.
	Duration    time.Duration // How long to measure.
	Warmup      time.Duration // How long to send beacons before measuring.
	Visitors    int           // Distinct visitors the beacons come from.
	Keep        bool          // Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema.
	JSON        bool          // Print the figures as JSON on standard output (the report goes to standard error).
}

// benchCollectFigures are the figures of bench collect.
type benchCollectFigures struct {
	benchMachine
	Concurrency      int     `json:"concurrency"`
	Visitors         int     `json:"visitors"`
	DurationSeconds  float64 `json:"duration_seconds"`
	Beacons          int     `json:"beacons"`
	BeaconsPerSecond float64 `json:"beacons_per_second"`
	Errors           int     `json:"errors"`
	FirstError       string  `json:"first_error,omitempty"`
	P50MS            float64 `json:"p50_ms"`
	P99MS            float64 `json:"p99_ms"`
	MaxMS            float64 `json:"max_ms"`
	Sent             int     `json:"sent"`
	Written          int64   `json:"written"`
	ServerCPUCores   float64 `json:"server_cpu_cores,omitempty"`
	LoadCPUCores     float64 `json:"load_cpu_cores,omitempty"`
}

// benchAgents are the browsers of the generated visitors.
var benchAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
}

// benchPages and benchRefs are what the visitors look at and came from.
var (
	benchPages = []string{"/", "/catalog", "/catalog/pans", "/product/pan-26", "/product/pot-24?utm_source=newsletter", "/cart", "/checkout"}
	benchRefs  = []string{"", "", "https://www.google.com/", "https://yandex.ru/", "https://vk.com/", "http://127.0.0.1/catalog"}
)

// Run starts serve as a child with a proxy it trusts, loads POST
// /collect for warmup+duration, stops serve and counts what it wrote.
func (c *Collect) Run(g *Env) error {
	if c.Concurrency < 1 || c.Concurrency > 10000 || c.Duration <= 0 || c.Warmup < 0 || c.Visitors < 1 {
		return errors.New("bench collect needs --concurrency between 1 and 10000, a positive --duration and --visitors, and a --warmup of at least 0")
	}
	return runBench(g, "bench collect", c.Keep, func(ctx context.Context, exe string, st *benchStore) error {
		fig := benchCollectFigures{benchMachine: newBenchMachine(st.engine()), Concurrency: c.Concurrency, Visitors: c.Visitors,
			DurationSeconds: c.Duration.Seconds()}
		// The beacons come through "a proxy" on this machine, which
		// tells each visitor's address; the shop's site is 127.0.0.1.
		conf := filepath.Join(st.dir, "collect.yaml")
		if err := os.WriteFile(conf, []byte("shop:\n  public_url: http://127.0.0.1:8080\ntrusted_proxies: [127.0.0.1/32, \"::1/128\"]\n"), 0o600); err != nil {
			return err
		}
		g2 := *g
		g2.Config = conf
		fmt.Fprintf(g.Stderr, "bench collect: fresh %s store: %s\n", st.engine(), st.where())
		srv, err := startBenchServe(ctx, exe, &g2, st)
		if err != nil {
			return err
		}
		defer srv.kill()
		fmt.Fprintf(g.Stderr, "bench collect: serve answered in %s at %s; %d clients, %d visitors: %s warm-up, then %s measured\n",
			srv.startup.Round(time.Millisecond), srv.base, c.Concurrency, c.Visitors, c.Warmup, c.Duration)
		began := time.Now().Add(-time.Hour)

		res, err := benchLoad(ctx, benchLoadOptions{concurrency: c.Concurrency, warmup: c.Warmup, duration: c.Duration,
			serverPID: srv.cmd.Process.Pid, send: c.beacon(srv.base)})
		if err != nil {
			return err
		}
		lat := res.latencies
		fig.Errors, fig.Sent, fig.FirstError = res.errors, res.answered, res.firstError
		fig.Beacons = len(lat)
		fig.BeaconsPerSecond = math.Round(float64(len(lat)) / c.Duration.Seconds())
		fig.P50MS, fig.P99MS, fig.MaxMS = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.99)), ms(percentile(lat, 1))
		serverCPU := res.serverCPU
		fig.ServerCPUCores = math.Round(100*serverCPU.Seconds()/c.Duration.Seconds()) / 100
		fig.LoadCPUCores = math.Round(100*res.loadCPU.Seconds()/c.Duration.Seconds()) / 100
		if _, err := srv.stop(benchStopTimeout); err != nil {
			return fmt.Errorf("stop serve: %w", err)
		}
		if fig.Written, err = benchCounted(ctx, st, began); err != nil {
			return err
		}

		w := benchReport(g, c.JSON)
		fmt.Fprintf(w, "shopcare bench collect (%s)\n", fig.benchMachine)
		fmt.Fprintf(w, "  load            POST /collect, %d clients, %d visitors, %s warm-up, %s measured\n", c.Concurrency, c.Visitors, c.Warmup, c.Duration)
		fmt.Fprintf(w, "  throughput      %.0f page views/s answered 202, %d errors\n", fig.BeaconsPerSecond, fig.Errors)
		fmt.Fprintf(w, "  latency         p50 %.2fms  p99 %.2fms  max %.1fms\n", fig.P50MS, fig.P99MS, fig.MaxMS)
		if serverCPU > 0 {
			fmt.Fprintf(w, "  CPU             server %.2f cores, load generator %.2f cores (of %d)\n", fig.ServerCPUCores, fig.LoadCPUCores, fig.CPUs)
		}
		fmt.Fprintf(w, "  written         %d page views of the %d accepted (serve stopped gracefully)\n", fig.Written, fig.Sent)
		if fig.FirstError != "" {
			fmt.Fprintf(w, "  first error     %s\n", fig.FirstError)
		}
		if c.JSON {
			if err := benchPrintJSON(g.Stdout, fig); err != nil {
				return err
			}
		}
		if fig.Written != int64(fig.Sent) {
			return fmt.Errorf("serve wrote %d page views of the %d it accepted", fig.Written, fig.Sent)
		}
		return nil
	})
}

// beacon sends one page view to POST /collect of the server at base, as
// one of c.Visitors visitors' browsers (told apart by the address the
// trusted proxy gives and by the browser); it wants 202.
func (c *Collect) beacon(base string) func(context.Context, *http.Client, int, int, *rand.Rand) (string, error) {
	return func(ctx context.Context, client *http.Client, _, _ int, rng *rand.Rand) (string, error) {
		v := rng.IntN(c.Visitors)
		body := `{"path":"` + benchPages[rng.IntN(len(benchPages))] + `","ref":"` + benchRefs[rng.IntN(len(benchRefs))] + `"}`
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/collect", strings.NewReader(body))
		if err != nil {
			return "", err
		}
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		req.Header.Set("Origin", "http://127.0.0.1:8080")
		req.Header.Set("User-Agent", benchAgents[v%len(benchAgents)])
		req.Header.Set("X-Forwarded-For", "198."+strconv.Itoa(18+v>>16&1)+"."+strconv.Itoa(v>>8&255)+"."+strconv.Itoa(v&255))
		return beaconFailure(client.Do(req)), nil
	}
}

// beaconFailure is what went wrong with a beacon's answer (a failed
// request counts as an error of the load, not a reason to stop it); ""
// for a 202.
func beaconFailure(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return resp.Status
	}
	return ""
}

// benchCounted opens the benchmark's store and reads the page views the
// counter wrote since began.
func benchCounted(ctx context.Context, st *benchStore, began time.Time) (int64, error) {
	db, err := store.Open(ctx, store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	s := traffic.New(service.Deps{DB: db, Clock: clock.System{}, Log: slog.New(slog.DiscardHandler), Settings: config.Default()})
	pv, _, err := s.CountedSince(ctx, began.Truncate(time.Hour).Unix())
	return pv, err
}
