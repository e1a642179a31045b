// Package bench measures shopcare on this machine, for BENCHMARKS.md
// (shopcare bench …). Every benchmark runs on a fresh store (a temporary
// directory for SQLite, or a new schema when a database URL is set; the
// data directory is not used): most run shopcare itself as a child
// process, so the load comes from a second process and the child's
// figures are its own. The synthetic data they seed is made by the
// owners of the tables (the Synthetic… functions of order, customer,
// loyalty, parcel), so this package has no SQL of its own tables.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
)

// Env is what a benchmark takes from the command line: the global
// settings, which the shopcare children it runs inherit (the data
// directory and the database URL point at the benchmark's fresh store
// instead), where its report and figures go, and the HTTP handler serve
// mounts, which bench pages requests in this process.
type Env struct {
	Config      string // the shop settings file (YAML); "" for the defaults
	DatabaseURL string // a postgres:// URL for a fresh schema in it; "" for SQLite
	LogLevel    string // the children's log level
	LogFormat   string // the children's log format

	Stdout io.Writer // the report, or the JSON figures
	Stderr io.Writer // progress, and the report when the figures are JSON

	// Handler is serve's HTTP handler of the app (bench pages).
	Handler func(*app.App) http.Handler
}

// settings reads and validates the shop settings.
func (g *Env) settings() (config.Settings, error) {
	return config.Load(g.Config)
}

// Bounds of the benchmarks' waits.
const (
	benchHealthTimeout = 60 * time.Second      // serve's start-up
	benchHealthPoll    = 10 * time.Millisecond // how often /healthz is asked
	benchStopTimeout   = 60 * time.Second      // serve's shutdown after SIGTERM
	benchIdle          = 3 * time.Second       // idle time before reading serve's memory
)

// benchReport returns where the human-readable report goes: standard output,
// or standard error when standard output carries the JSON figures.
func benchReport(g *Env, asJSON bool) io.Writer {
	if asJSON {
		return g.Stderr
	}
	return g.Stdout
}

// benchPrintJSON writes the figures as one indented JSON object.
func benchPrintJSON(w io.Writer, figures any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(figures); err != nil {
		return fmt.Errorf("print figures: %w", err)
	}
	return nil
}

// benchMachine describes where the figures were measured.
type benchMachine struct {
	Engine   string `json:"engine"`
	CPUs     int    `json:"cpus"`
	Platform string `json:"platform"`
	Go       string `json:"go"`
}

func newBenchMachine(engine string) benchMachine {
	return benchMachine{Engine: engine, CPUs: runtime.NumCPU(), Platform: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
}

func (m benchMachine) String() string {
	return fmt.Sprintf("%s, %d CPUs, %s, %s", m.Engine, m.CPUs, m.Platform, m.Go)
}

// benchStore is the fresh store of one benchmark run: a temporary directory
// (the children's logs, generated files, the SQLite database) and, when a
// database URL is set, a fresh PostgreSQL schema the children work in.
type benchStore struct {
	dir    string
	url    string // the database URL with search_path set to schema; "" for SQLite
	schema string
	admin  string // the database URL as given, to create and drop schema
}

// openBenchStore makes the fresh store; close removes it.
// runBench sets up what every benchmark needs — a context that ends on
// SIGINT or SIGTERM, the shopcare executable to run as a child, and a fresh
// store, removed at the end unless keep — and runs bench with them.
func runBench(g *Env, name string, keep bool, bench func(ctx context.Context, exe string, st *benchStore) error) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the shopcare executable: %w", err)
	}
	st, err := openBenchStore(ctx, g)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.close(keep, g.Stderr)) }()
	err = bench(ctx, exe, st)
	if err != nil && ctx.Err() != nil {
		err = errors.New(name + " interrupted")
	}
	return err
}

func openBenchStore(ctx context.Context, g *Env) (*benchStore, error) {
	return openBenchStoreIn(ctx, g, "")
}

// openBenchStoreIn is openBenchStore with the temporary directory made in
// parent ("" for the system's).
func openBenchStoreIn(ctx context.Context, g *Env, parent string) (*benchStore, error) {
	dir, err := os.MkdirTemp(parent, "shopcare-bench-")
	if err != nil {
		return nil, fmt.Errorf("create a temporary directory: %w", err)
	}
	s := &benchStore{dir: dir}
	if raw := strings.TrimSpace(g.DatabaseURL); raw != "" {
		if err := s.createSchema(ctx, raw); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	return s, nil
}

func (s *benchStore) engine() string {
	if s.schema != "" {
		return "postgres"
	}
	return "sqlite"
}

// where says where the store lives, for the report.
func (s *benchStore) where() string {
	if s.schema != "" {
		return "schema " + s.schema + " (files in " + s.dir + ")"
	}
	return s.dir
}

func (s *benchStore) createSchema(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return errors.New("the database URL must be a postgres:// URL for bench (or empty for SQLite)")
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("name the bench schema: %w", err)
	}
	schema := "bench_" + hex.EncodeToString(b[:])
	if err := benchExec(ctx, raw, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s on %s: %w", schema, u.Redacted(), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s.url, s.schema, s.admin = u.String(), schema, raw
	return nil
}

// benchExec runs one statement on its own connection.
func benchExec(ctx context.Context, dsn, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return err
	}
	return nil
}

// close drops the schema and removes the directory, unless keep; it runs
// after an interrupt too, so it does not take the run's context.
func (s *benchStore) close(keep bool, progress io.Writer) error {
	if keep {
		fmt.Fprintf(progress, "bench: kept the store: %s\n", s.where())
		return nil
	}
	var errs []error
	if s.schema != "" {
		if err := benchExec(context.Background(), s.admin, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s.schema}.Sanitize()+" CASCADE"); err != nil {
			errs = append(errs, fmt.Errorf("drop schema %s: %w", s.schema, err))
		}
	}
	if err := os.RemoveAll(s.dir); err != nil {
		errs = append(errs, fmt.Errorf("remove %s: %w", s.dir, err))
	}
	return errors.Join(errs...)
}

// env is the environment of a child: this process's, with the settings
// pointed at the fresh store, plus extra.
func (s *benchStore) env(g *Env, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch key, _, _ := strings.Cut(kv, "="); key {
		case "SHOPCARE_DATA", "SHOPCARE_DATABASE_URL", "SHOPCARE_ADDR", "SHOPCARE_CONFIG",
			"SHOPCARE_LOG_LEVEL", "SHOPCARE_LOG_FORMAT":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "SHOPCARE_DATA="+filepath.Join(s.dir, "data"))
	if s.url != "" {
		env = append(env, "SHOPCARE_DATABASE_URL="+s.url)
	}
	if g.Config != "" {
		path, err := filepath.Abs(g.Config)
		if err != nil {
			path = g.Config
		}
		env = append(env, "SHOPCARE_CONFIG="+path)
	}
	if g.LogLevel != "" {
		env = append(env, "SHOPCARE_LOG_LEVEL="+g.LogLevel)
	}
	if g.LogFormat != "" {
		env = append(env, "SHOPCARE_LOG_FORMAT="+g.LogFormat)
	}
	return append(env, extra...)
}

// benchChild is a shopcare child process; its standard error goes to a log
// file whose tail explains a failure.
type benchChild struct {
	name    string // the arguments, for messages
	cmd     *exec.Cmd
	logPath string
	started time.Time
	done    chan struct{} // closed when the child has been waited for
	ended   time.Time     // set before done closes
	err     error         // Wait's result, set before done closes
	hwm     atomic.Int64  // the highest VmHWM read while it ran, bytes
}

// startBenchChild runs exe with args in env. Its standard output goes to
// stdout, or to the log when stdout is nil. The child is killed when ctx
// ends, and also when this process dies (on Linux).
func startBenchChild(ctx context.Context, exe string, env []string, logPath string, stdout io.Writer, args ...string) (*benchChild, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create the child's log: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = env
	cmd.Stdout = stdout
	if stdout == nil {
		cmd.Stdout = logf
	}
	cmd.Stderr = logf
	cmd.SysProcAttr = benchProcAttr()
	cmd.WaitDelay = 5 * time.Second
	c := &benchChild{name: "shopcare " + strings.Join(args, " "), cmd: cmd, logPath: logPath, done: make(chan struct{})}
	c.started = time.Now()
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return nil, fmt.Errorf("start %s: %w", c.name, err)
	}
	go func() {
		c.err = cmd.Wait()
		c.ended = time.Now()
		_ = logf.Close()
		close(c.done)
	}()
	go c.watchPeak()
	return c, nil
}

// benchPeakPoll is how often a child's own peak resident set is read.
const benchPeakPoll = 10 * time.Millisecond

// watchPeak reads the child's peak resident set (VmHWM, its own address
// space's high-water mark) until it exits. The peak the kernel reports
// when a child exits cannot be used: Linux carries the parent's peak
// into the child across exec, so after a large seed every child would
// report the bench's own memory.
func (c *benchChild) watchPeak() {
	t := time.NewTicker(benchPeakPoll)
	defer t.Stop()
	for {
		if m, err := benchProcMemory(c.cmd.Process.Pid); err == nil && m.Peak > c.hwm.Load() {
			c.hwm.Store(m.Peak)
		}
		select {
		case <-c.done:
			return
		case <-t.C:
		}
	}
}

// peakRSS is the child's peak resident set in bytes, as read while it
// ran; a child too short to be read falls back to what the kernel said
// at its exit, which may include this process's peak.
func (c *benchChild) peakRSS() (int64, bool) {
	if hwm := c.hwm.Load(); hwm > 0 {
		return hwm, true
	}
	return benchPeakRSS(c.cmd.ProcessState)
}

// wait waits for the child to exit and tells how it failed, if it did.
func (c *benchChild) wait() error {
	<-c.done
	if c.err != nil {
		return c.failed(c.err)
	}
	return nil
}

// exited tells whether the child has exited.
func (c *benchChild) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// kill ends the child if it still runs and waits for it.
func (c *benchChild) kill() {
	if c.exited() {
		return
	}
	_ = c.cmd.Process.Kill()
	<-c.done
}

// stop asks the child to shut down with SIGTERM, waits up to timeout (then
// kills it), and returns how long the shutdown took.
func (c *benchChild) stop(timeout time.Duration) (time.Duration, error) {
	if c.exited() {
		return 0, c.failed(fmt.Errorf("exited before it was asked to stop: %w", c.err))
	}
	t0 := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.kill()
		return 0, fmt.Errorf("stop %s: %w", c.name, err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-c.done:
		if c.err != nil {
			return c.ended.Sub(t0), c.failed(fmt.Errorf("shutdown: %w", c.err))
		}
		return c.ended.Sub(t0), nil
	case <-timer.C:
		c.kill()
		return timeout, c.failed(fmt.Errorf("did not stop within %s of SIGTERM, so it was killed", timeout))
	}
}

// failed wraps err with the child's name and the tail of its log.
func (c *benchChild) failed(err error) error {
	tail := benchTail(c.logPath, 4<<10)
	if tail == "" {
		return fmt.Errorf("%s: %w", c.name, err)
	}
	return fmt.Errorf("%s: %w\n--- the end of %s ---\n%s", c.name, err, c.logPath, tail)
}

// benchTail returns up to the last n bytes of a file, from a line start.
func benchTail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return ""
	}
	off := max(0, info.Size()-n)
	b := make([]byte, info.Size()-off)
	if _, err := f.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	s := string(b)
	if off > 0 {
		if _, rest, ok := strings.Cut(s, "\n"); ok {
			s = rest
		}
	}
	return strings.TrimRight(s, "\n")
}

// benchServe is a serve child on a free loopback port, answering /healthz.
type benchServe struct {
	*benchChild
	base    string        // http://127.0.0.1:PORT
	startup time.Duration // from exec to the first 200 from /healthz
}

// startBenchServe starts serve on the store and waits until /healthz
// answers 200, polling every 10ms for at most a minute.
func startBenchServe(ctx context.Context, exe string, g *Env, st *benchStore) (*benchServe, error) {
	addr, err := benchFreeAddr()
	if err != nil {
		return nil, err
	}
	child, err := startBenchChild(ctx, exe, st.env(g, "SHOPCARE_ADDR="+addr), filepath.Join(st.dir, "serve.log"), nil, "serve")
	if err != nil {
		return nil, err
	}
	s := &benchServe{benchChild: child, base: "http://" + addr}
	if err := s.waitHealthy(ctx); err != nil {
		child.kill()
		return nil, err
	}
	return s, nil
}

func (s *benchServe) waitHealthy(ctx context.Context) error {
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		Timeout:   time.Second,
	}
	deadline := time.NewTimer(benchHealthTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(benchHealthPoll)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/healthz", nil)
		if err != nil {
			return fmt.Errorf("health check: %w", err)
		}
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.startup = time.Since(s.started)
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return s.failed(fmt.Errorf("exited before /healthz answered (%w)", s.err))
		case <-deadline.C:
			return s.failed(fmt.Errorf("/healthz did not answer 200 within %s", benchHealthTimeout))
		case <-tick.C:
		}
	}
}

// memory reads the server's resident set now and its peak.
func (s *benchServe) memory() (benchMemory, error) {
	m, err := benchProcMemory(s.cmd.Process.Pid)
	if err != nil {
		return m, fmt.Errorf("read serve's memory: %w", err)
	}
	return m, nil
}

// benchMemory is a process's resident set, in bytes.
type benchMemory struct {
	RSS  int64 // now (VmRSS)
	Peak int64 // the most it has had (VmHWM)
}

// benchFreeAddr returns a loopback address with a port free right now.
func benchFreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	return addr, nil
}

// benchSleep waits d unless ctx ends or the child exits first.
func benchSleep(ctx context.Context, c *benchChild, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return c.failed(fmt.Errorf("exited unexpectedly (%w)", c.err))
	case <-timer.C:
		return nil
	}
}

// mib converts bytes to MiB, rounded to a tenth.
func mib(bytes int64) float64 {
	return round1(float64(bytes) / (1 << 20))
}

// ms converts a duration to milliseconds, rounded to a tenth.
func ms(d time.Duration) float64 {
	return round1(float64(d) / float64(time.Millisecond))
}

func round1(x float64) float64 {
	return math.Round(x*10) / 10
}

// runReusable runs a benchmark on a fresh, seeded store, or, with reuse
// naming the store of an earlier run (a directory, or a PostgreSQL schema
// when g.DatabaseURL is set), on that store without seeding it again.
func runReusable(g *Env, name string, keep bool, reuse string,
	run func(ctx context.Context, g *Env, st *benchStore, seed bool) error) error {
	if reuse == "" {
		return runBench(g, name, keep, func(ctx context.Context, _ string, st *benchStore) error {
			return run(ctx, g, st, true)
		})
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st := &benchStore{dir: reuse}
	if raw := strings.TrimSpace(g.DatabaseURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("the database URL: %w", err)
		}
		q := u.Query()
		q.Set("search_path", reuse)
		u.RawQuery = q.Encode()
		st = &benchStore{dir: os.TempDir(), url: u.String(), schema: reuse}
	} else if _, err := os.Stat(filepath.Join(reuse, "data", store.SQLiteFile)); err != nil {
		return fmt.Errorf("--reuse %s: no store there: %w", reuse, err)
	}
	return run(ctx, g, st, false)
}
