package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
)

// API measures order intake over the API: clients in this process
// send orders to a `shopcare serve` child on a fresh store, then the same
// load to the minimal intake server of issue 22 (benchReference, on a
// fresh SQLite file), and it reports the ratio of the two.
type API struct {
	Concurrency int           // Clients sending orders at once, each waiting for its answer before the next.
	Duration    time.Duration // How long to measure.
	Warmup      time.Duration // How long to send orders before measuring; their results are discarded.
	Keep        bool          // Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema.
	JSON        bool          // Print the figures as JSON on standard output (the report goes to standard error).
}

// benchAPIFigures are the figures of bench api.
type benchAPIFigures struct {
	benchMachine
	Concurrency       int     `json:"concurrency"`
	WarmupSeconds     float64 `json:"warmup_seconds"`
	DurationSeconds   float64 `json:"duration_seconds"`
	Requests          int     `json:"requests"`
	RequestsPerSecond float64 `json:"requests_per_second"`
	Errors            int     `json:"errors"`
	FirstError        string  `json:"first_error,omitempty"`
	P50MS             float64 `json:"p50_ms"`
	P90MS             float64 `json:"p90_ms"`
	P99MS             float64 `json:"p99_ms"`
	MaxMS             float64 `json:"max_ms"`
	ServeStartupMS    float64 `json:"serve_startup_ms"`
	ServerRSSMiB      float64 `json:"server_rss_mib,omitempty"`
	ServerPeakRSSMiB  float64 `json:"server_peak_rss_mib,omitempty"`
	ServerCPUCores    float64 `json:"server_cpu_cores,omitempty"`
	LoadCPUCores      float64 `json:"load_cpu_cores,omitempty"`

	// The minimal intake server under the same load, right after serve,
	// and shopcare's throughput as a share of its.
	ReferenceRequestsPerSecond float64 `json:"reference_requests_per_second"`
	ReferenceErrors            int     `json:"reference_errors"`
	ReferenceP50MS             float64 `json:"reference_p50_ms"`
	ReferenceP99MS             float64 `json:"reference_p99_ms"`
	RatioToReference           float64 `json:"ratio_to_reference"`
}

// Run creates a token and starts serve as children, loads the API for
// warmup+duration, and reports what the measured part achieved.
func (c *API) Run(g *Env) error {
	if c.Concurrency < 1 || c.Concurrency > 10000 || c.Duration <= 0 || c.Warmup < 0 {
		return errors.New("bench api needs --concurrency between 1 and 10000, a positive --duration and a --warmup of at least 0")
	}
	return runBench(g, "bench api", c.Keep, func(ctx context.Context, exe string, st *benchStore) error {
		fig := benchAPIFigures{benchMachine: newBenchMachine(st.engine()), Concurrency: c.Concurrency,
			WarmupSeconds: c.Warmup.Seconds(), DurationSeconds: c.Duration.Seconds()}

		fmt.Fprintf(g.Stderr, "bench api: fresh %s store: %s\n", st.engine(), st.where())
		token, err := benchToken(ctx, exe, g, st)
		if err != nil {
			return err
		}
		srv, err := startBenchServe(ctx, exe, g, st)
		if err != nil {
			return err
		}
		defer srv.kill()
		fig.ServeStartupMS = ms(srv.startup)
		fmt.Fprintf(g.Stderr, "bench api: serve answered in %s at %s; %d clients: %s warm-up, then %s measured\n",
			srv.startup.Round(time.Millisecond), srv.base, c.Concurrency, c.Warmup, c.Duration)

		res, err := benchLoad(ctx, benchLoadOptions{concurrency: c.Concurrency, warmup: c.Warmup, duration: c.Duration,
			serverPID: srv.cmd.Process.Pid, send: orderLoad(srv.base, token, c.Concurrency)})
		if err != nil {
			return err
		}
		if srv.exited() {
			return srv.failed(fmt.Errorf("exited during the load (%w)", srv.err))
		}
		mem, memErr := srv.memory()
		_, stopErr := srv.stop(benchStopTimeout)

		fmt.Fprintf(g.Stderr, "bench api: the same load on the minimal intake server (fresh SQLite file)\n")
		ref, err := startBenchReference(st.dir)
		if err != nil {
			return err
		}
		refRes, err := benchLoad(ctx, benchLoadOptions{concurrency: c.Concurrency, warmup: c.Warmup, duration: c.Duration,
			send: orderLoad(ref.base, ref.token, c.Concurrency)})
		if err := errors.Join(err, ref.stop()); err != nil {
			return fmt.Errorf("reference: %w", err)
		}

		lat := res.latencies
		fig.Requests, fig.Errors, fig.FirstError = len(lat), res.errors, res.firstError
		fig.RequestsPerSecond = math.Round(float64(len(lat)) / c.Duration.Seconds())
		fig.P50MS, fig.P90MS, fig.P99MS = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.90)), ms(percentile(lat, 0.99))
		fig.MaxMS = ms(percentile(lat, 1))
		fig.ServerRSSMiB, fig.ServerPeakRSSMiB = mib(mem.RSS), mib(mem.Peak)
		fig.ServerCPUCores = math.Round(100*res.serverCPU.Seconds()/c.Duration.Seconds()) / 100
		fig.LoadCPUCores = math.Round(100*res.loadCPU.Seconds()/c.Duration.Seconds()) / 100
		rl := refRes.latencies
		fig.ReferenceRequestsPerSecond = math.Round(float64(len(rl)) / c.Duration.Seconds())
		fig.ReferenceErrors = refRes.errors
		fig.ReferenceP50MS, fig.ReferenceP99MS = ms(percentile(rl, 0.50)), ms(percentile(rl, 0.99))
		if fig.ReferenceRequestsPerSecond > 0 {
			fig.RatioToReference = math.Round(1000*fig.RequestsPerSecond/fig.ReferenceRequestsPerSecond) / 1000
		}

		w := benchReport(g, c.JSON)
		fmt.Fprintf(w, "shopcare bench api (%s)\n", fig.benchMachine)
		fmt.Fprintf(w, "  load            POST /api/v1/orders, %d clients, %s warm-up (%d requests), %s measured\n",
			c.Concurrency, c.Warmup, res.warmup, c.Duration)
		fmt.Fprintf(w, "  throughput      %.0f orders/s (%d created), %d errors\n", fig.RequestsPerSecond, fig.Requests, fig.Errors)
		fmt.Fprintf(w, "  latency         p50 %.1fms  p90 %.1fms  p99 %.1fms  max %.1fms\n", fig.P50MS, fig.P90MS, fig.P99MS, fig.MaxMS)
		if memErr == nil {
			fmt.Fprintf(w, "  server memory   %.1f MiB RSS after the run, %.1f MiB at its peak\n", fig.ServerRSSMiB, fig.ServerPeakRSSMiB)
		}
		if res.serverCPU > 0 {
			fmt.Fprintf(w, "  CPU             server %.2f cores, load generator %.2f cores (of %d)\n",
				fig.ServerCPUCores, fig.LoadCPUCores, fig.CPUs)
		}
		fmt.Fprintf(w, "  reference       %.0f orders/s, %d errors, p50 %.1fms  p99 %.1fms (minimal intake server, SQLite, group commit of %d)\n",
			fig.ReferenceRequestsPerSecond, fig.ReferenceErrors, fig.ReferenceP50MS, fig.ReferenceP99MS, benchReferenceGroup)
		fmt.Fprintf(w, "  ratio           shopcare/reference %.3f\n", fig.RatioToReference)
		fmt.Fprintf(w, "  serve start-up  %s to the first 200 from /healthz (empty store)\n", srv.startup.Round(time.Millisecond))
		if res.firstError != "" {
			fmt.Fprintf(w, "  first error     %s\n", res.firstError)
		}
		if c.JSON {
			if err := benchPrintJSON(g.Stdout, fig); err != nil {
				return err
			}
		}
		if len(lat) == 0 {
			return errors.Join(errors.New("no order was created while measuring"), memErr, stopErr)
		}
		return errors.Join(memErr, stopErr)
	})
}

// benchToken creates an API token with a child `shopcare token add`, which
// prints it as its last line.
func benchToken(ctx context.Context, exe string, g *Env, st *benchStore) (string, error) {
	var out bytes.Buffer
	child, err := startBenchChild(ctx, exe, st.env(g), filepath.Join(st.dir, "token.log"), &out, "token", "add", "bench")
	if err != nil {
		return "", err
	}
	defer child.kill()
	if err := child.wait(); err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", fmt.Errorf("shopcare token add printed no token: %q", out.String())
	}
	return token, nil
}

// percentile returns the nearest-rank p-quantile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

type benchLoadOptions struct {
	concurrency      int
	warmup, duration time.Duration
	serverPID        int // whose CPU time to measure
	// send makes worker's seq-th request: "" when it was answered as
	// wanted, else what went wrong; an error stops the worker (and the
	// load). rng is the worker's own.
	send func(ctx context.Context, client *http.Client, worker, seq int, rng *rand.Rand) (string, error)
}

// orderLoad sends orders to POST /api/v1/orders of the server at base.
func orderLoad(base, token string, concurrency int) func(context.Context, *http.Client, int, int, *rand.Rand) (string, error) {
	url, customers := base+"/api/v1/orders", concurrency*1000
	return func(ctx context.Context, client *http.Client, worker, seq int, rng *rand.Rand) (string, error) {
		body, err := benchOrderBody(worker, seq, rng, customers)
		if err != nil {
			return "", err
		}
		return benchPost(ctx, client, url, token, body), nil
	}
}

// benchLoadResult is what the measured part of a load achieved.
type benchLoadResult struct {
	latencies  []time.Duration // of the 2xx answers, sorted
	errors     int             // non-2xx answers and failed requests
	firstError string
	warmup     int // requests sent during the warm-up
	// answered counts the requests answered as wanted, the warm-up's
	// too: what the server took in.
	answered int
	// CPU time the server and this process used while measured; zero when
	// it cannot be read.
	serverCPU, loadCPU time.Duration
}

// benchRequestTimeout bounds one request; the load ends at most this long
// after warmup+duration.
const benchRequestTimeout = 30 * time.Second

// benchLoad runs the clients: each sends a request (o.send), waits for
// the answer and sends the next, until warmup+duration has passed. Requests started in the
// warm-up are not counted; those started after it are, answered or not.
func benchLoad(ctx context.Context, o benchLoadOptions) (benchLoadResult, error) {
	transport := &http.Transport{
		Proxy:               nil, // the server is on the loopback, never behind a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * o.concurrency,
		MaxIdleConnsPerHost: 2 * o.concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: benchRequestTimeout}

	start := time.Now()
	from := start.Add(o.warmup)
	end := from.Add(o.duration)
	reqCtx, cancel := context.WithDeadline(ctx, end.Add(benchRequestTimeout))
	defer cancel()

	workers := make([]benchWorker, o.concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.id = i
		wg.Go(func() { w.run(reqCtx, client, o, from, end) })
	}
	var res benchLoadResult
	res.serverCPU, res.loadCPU = benchCPUDuring(ctx, o.serverPID, from, end)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return benchLoadResult{}, fmt.Errorf("load interrupted: %w", err)
	}

	var firstAt time.Time
	for i := range workers {
		w := &workers[i]
		if w.err != nil {
			return benchLoadResult{}, w.err
		}
		res.latencies = append(res.latencies, w.latencies...)
		res.errors += w.errors
		res.warmup += w.warmup
		res.answered += w.answered
		if w.firstError != "" && (firstAt.IsZero() || w.firstErrorAt.Before(firstAt)) {
			res.firstError, firstAt = w.firstError, w.firstErrorAt
		}
	}
	slices.Sort(res.latencies)
	return res, nil
}

// benchCPUDuring returns the CPU time the server and this process use
// between from and end; zero for what cannot be read.
func benchCPUDuring(ctx context.Context, pid int, from, end time.Time) (server, self time.Duration) {
	sample := func() (time.Duration, time.Duration, bool) {
		s, err1 := benchCPUTime(pid)
		l, err2 := benchCPUTime(0)
		return s, l, err1 == nil && err2 == nil
	}
	wait := func(t time.Time) bool {
		timer := time.NewTimer(time.Until(t))
		defer timer.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-timer.C:
			return true
		}
	}
	if !wait(from) {
		return 0, 0
	}
	s0, l0, ok0 := sample()
	if !wait(end) {
		return 0, 0
	}
	s1, l1, ok1 := sample()
	if !ok0 || !ok1 {
		return 0, 0
	}
	return s1 - s0, l1 - l0
}

// benchWorker is one client of the load, with its own sequence of orders.
type benchWorker struct {
	id           int
	latencies    []time.Duration
	errors       int
	warmup       int
	answered     int
	firstError   string
	firstErrorAt time.Time
	err          error // the worker could not go on
}

func (w *benchWorker) run(ctx context.Context, client *http.Client, o benchLoadOptions, from, end time.Time) {
	rng := rand.New(rand.NewPCG(uint64(w.id)+1, 0x5eed))
	for seq := 1; ctx.Err() == nil; seq++ {
		t0 := time.Now()
		if !t0.Before(end) {
			return
		}
		failure, err := o.send(ctx, client, w.id, seq, rng)
		if err != nil {
			w.err = err
			return
		}
		took := time.Since(t0)
		if failure == "" {
			w.answered++
		}
		switch {
		case t0.Before(from):
			w.warmup++
		case failure == "":
			w.latencies = append(w.latencies, took)
		default:
			w.errors++
			if w.firstError == "" {
				w.firstError, w.firstErrorAt = failure, t0
			}
		}
	}
}

// benchPost sends one order; it returns "" on a 2xx answer, else what went
// wrong (the status and the start of the body).
func benchPost(ctx context.Context, client *http.Client, url, token string, body []byte) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return "read the answer: " + err.Error()
		}
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 2<<10))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.Status + ": " + strings.TrimSpace(string(b))
}

// The body of POST /api/v1/orders, as a shop platform sends it.
type (
	benchOrderJSON struct {
		ExternalID string           `json:"external_id"`
		Customer   customer.Input   `json:"customer"`
		Items      []benchItemJSON  `json:"items"`
		Total      json.Number      `json:"total"`
		Currency   string           `json:"currency"`
		Carrier    string           `json:"carrier"`
		Payment    benchPaymentJSON `json:"payment"`
		Channel    string           `json:"channel"`
	}
	benchItemJSON struct {
		SKU   string      `json:"sku"`
		Name  string      `json:"name"`
		Qty   int         `json:"qty"`
		Price json.Number `json:"price"`
	}
	benchPaymentJSON struct {
		Method string `json:"method"`
		Paid   bool   `json:"paid"`
	}
)

// benchProduct is an item of the generated shop's catalogue.
type benchProduct struct {
	sku, name  string
	priceMinor int64
}

var benchCatalogue = []benchProduct{
	{"POT-20", "Кастрюля 20 см, нержавеющая сталь", 249000},
	{"POT-24", "Кастрюля 24 см с крышкой", 329050},
	{"PAN-26", "Сковорода 26 см, антипригарная", 189900},
	{"PAN-28G", "Сковорода-гриль 28 см", 259000},
	{"LID-26", "Крышка стеклянная 26 см", 69000},
	{"KNF-CH", "Нож поварской 20 см", 154990},
	{"BRD-OAK", "Доска разделочная, дуб", 119000},
	{"SET-6", "Набор посуды, 6 предметов", 899000},
	{"TWL-2", "Полотенца кухонные, 2 шт.", 39900},
	{"SPT-SL", "Лопатка силиконовая", 24950},
}

// benchOrderBody is the seq-th order of worker: 1–3 items from the
// catalogue, for one of customers (so some order again), prepaid, by courier.
func benchOrderBody(worker, seq int, rng *rand.Rand, customers int) ([]byte, error) {
	p := benchPersonFor(1 + rng.IntN(customers))
	o := benchOrderJSON{
		ExternalID: "bench-" + strconv.Itoa(worker) + "-" + strconv.Itoa(seq),
		Customer: customer.Input{ExternalID: p.ExternalID, Name: p.Name, Email: p.Email, Phone: p.Phone,
			Language: p.Language, Country: p.Country, City: p.City},
		Items:    make([]benchItemJSON, 1+rng.IntN(3)),
		Currency: "RUB",
		Carrier:  "courier",
		Payment:  benchPaymentJSON{Method: "prepaid", Paid: true},
		Channel:  "web",
	}
	var total int64
	for i := range o.Items {
		prod := benchCatalogue[rng.IntN(len(benchCatalogue))]
		qty := 1 + rng.IntN(2)
		o.Items[i] = benchItemJSON{SKU: prod.sku, Name: prod.name, Qty: qty, Price: json.Number(benchMoney(prod.priceMinor))}
		total += int64(qty) * prod.priceMinor
	}
	o.Total = json.Number(benchMoney(total))
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("encode an order: %w", err)
	}
	return b, nil
}
