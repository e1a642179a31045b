package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shopcare/shopcare/internal/store"
)

// Soak is the fault suite: a mixed load through the API and a connector
// goes to a `shopcare serve` child while a fault injector, on a schedule
// drawn from the seed, kills serve with SIGKILL and starts it again, cuts
// its PostgreSQL connections, stops the SMTP server for a while and fills
// the disk under the SQLite data directory. When the load ends and the
// work has drained, every acknowledged effect must be in the store, every
// message sent must have reached the SMTP server, a message may arrive
// twice only across a fault, serve must have come back after every fault,
// and SQLite's integrity check must pass.
type Soak struct {
	Duration    time.Duration // How long the load and the faults go on.
	Seed        uint64        // Draws the load and the faults' schedule; 0 draws one from the clock (printed, to run the same again).
	Concurrency int           // Clients sending requests at once.
	FaultEvery  time.Duration // Mean time between two faults (each between half and one and a half of it).
	Outage      time.Duration // Mean time the SMTP server stays down and the disk stays full.
	DiskMiB     int           // The size of the tmpfs the SQLite data directory is on (as root).
	Drain       time.Duration // At most how long to wait for the work to drain after the load.
	Keep        bool          // Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema.
	JSON        bool          // Print the figures as JSON on standard output (the report goes to standard error).

	// Exe is the shopcare executable serve runs from; "" for this one
	// (a test sets it: its own executable is the test binary).
	Exe string
	// Dir is where the run's temporary directory goes; "" for the
	// system's.
	Dir string
}

// SoakFigures are the figures of a soak run.
type SoakFigures struct {
	benchMachine
	Seed            uint64                   `json:"seed"`
	DurationSeconds float64                  `json:"duration_seconds"`
	Requests        int64                    `json:"requests"`
	Acknowledged    int64                    `json:"acknowledged"`
	Failed          int64                    `json:"failed_5xx"`
	Unanswered      int64                    `json:"unanswered"`
	Refused         int64                    `json:"refused_4xx"`
	FirstRefusal    string                   `json:"first_refusal,omitempty"`
	ByKind          map[string]SoakKindCount `json:"by_kind"`
	Kills           int                      `json:"kills"`
	PGCuts          int                      `json:"pg_cuts"`
	PGCutSkipped    string                   `json:"pg_cuts_skipped,omitempty"`
	SMTPOutages     int                      `json:"smtp_outages"`
	DiskFull        int                      `json:"disk_full_episodes"`
	DiskFullSkipped string                   `json:"disk_full_skipped,omitempty"`
	DiskFullAcked   int64                    `json:"acknowledged_while_disk_full"`
	DiskFullFailed  int64                    `json:"failed_cleanly_while_disk_full"`
	DiskFullRestart int                      `json:"restarts_after_disk_full"`
	DiedOnItsOwn    int                      `json:"serve_exits_not_caused_by_a_kill"`
	Losses          int                      `json:"losses"`
	LossExamples    []string                 `json:"loss_examples,omitempty"`
	Messages        int                      `json:"messages_sent"`
	MessagesLost    int                      `json:"messages_lost"`
	MessagesFailed  int                      `json:"messages_failed"`
	Undrained       int                      `json:"messages_not_drained"`
	Copies          int                      `json:"copies_received"`
	Duplicates      int                      `json:"duplicates"`
	DupNormal       int                      `json:"duplicates_in_the_normal_path"`
	DupByFault      map[string]int           `json:"duplicates_by_fault"`
	DupPerKill      float64                  `json:"duplicates_per_kill"`
	LatestDupS      float64                  `json:"latest_duplicate_seconds"`
	RecoveryMaxMS   map[string]float64       `json:"recovery_max_ms"`
	MaxRecoveryMS   float64                  `json:"max_recovery_ms"`
	DrainSeconds    float64                  `json:"drain_seconds"`
	Integrity       string                   `json:"integrity_check"`
}

// SoakKindCount is what came of one kind of request.
type SoakKindCount struct {
	Sent       int64 `json:"sent"`
	Acked      int64 `json:"acknowledged"`
	Failed     int64 `json:"failed_5xx"`
	Unanswered int64 `json:"unanswered"`
	Refused    int64 `json:"refused_4xx"`
	Unknown    int64 `json:"not_taken_yet,omitempty"`
}

// Problems lists what the run found wrong: losses, messages lost or not
// drained, duplicates outside faults, a failed integrity check.
func (f *SoakFigures) Problems() []string {
	var p []string
	if f.Losses > 0 {
		p = append(p, fmt.Sprintf("%d acknowledged effects are not in the store (%s)", f.Losses, strings.Join(f.LossExamples, "; ")))
	}
	if f.MessagesLost > 0 {
		p = append(p, fmt.Sprintf("%d messages recorded as sent never reached the SMTP server", f.MessagesLost))
	}
	if f.MessagesFailed > 0 {
		p = append(p, fmt.Sprintf("%d messages gave up", f.MessagesFailed))
	}
	if f.Undrained > 0 {
		p = append(p, fmt.Sprintf("%d messages were still waiting to go when the drain ended", f.Undrained))
	}
	if f.DupNormal > 0 {
		p = append(p, fmt.Sprintf("%d duplicate messages arrived with no fault between the copies", f.DupNormal))
	}
	if f.Integrity != "ok" && f.Integrity != "" && f.Integrity != "n/a" {
		p = append(p, "PRAGMA integrity_check: "+f.Integrity)
	}
	if f.Acknowledged == 0 {
		p = append(p, "nothing was acknowledged")
	}
	return p
}

// soakWindow is a fault from its start until serve was itself again.
type soakWindow struct {
	kind     string
	from, to time.Time
}

// Run runs the soak and prints its figures; it fails when the figures
// show a problem.
func (s *Soak) Run(g *Env) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	fig, err := s.Measure(ctx, g)
	if err != nil {
		if ctx.Err() != nil {
			return errors.New("bench soak interrupted")
		}
		return err
	}
	if p := fig.Problems(); len(p) > 0 {
		return errors.New("bench soak: " + strings.Join(p, "; "))
	}
	return nil
}

// Measure runs the soak and returns its figures (printed too); the error
// is about the run itself: serve that did not come back after a fault, a
// store that could not be made.
func (s *Soak) Measure(ctx context.Context, g *Env) (*SoakFigures, error) {
	if s.Duration < time.Second || s.Concurrency < 1 || s.Concurrency > 200 || s.FaultEvery < time.Second ||
		s.Outage < time.Second || s.DiskMiB < 16 || s.Drain < 10*time.Second {
		return nil, errors.New("bench soak needs a --duration of at least 1s, --concurrency between 1 and 200, --fault-every and --outage of at least 1s, --disk of at least 16 MiB and a --drain of at least 10s")
	}
	exe := s.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("find the shopcare executable: %w", err)
		}
	}
	seed := s.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano()) & (1<<53 - 1)
	}
	st, err := openBenchStoreIn(ctx, g, s.Dir)
	if err != nil {
		return nil, err
	}
	r := &soakRun{Soak: s, g: g, exe: exe, st: st, seed: seed,
		fig: &SoakFigures{benchMachine: newBenchMachine(st.engine()), Seed: seed, DupByFault: map[string]int{}, RecoveryMaxMS: map[string]float64{}}}
	err = r.run(ctx)
	if err = errors.Join(err, r.cleanUp()); err != nil {
		return r.fig, err
	}
	return r.fig, nil
}

// soakRun is one run's state.
type soakRun struct {
	*Soak
	g    *Env
	exe  string
	st   *benchStore
	seed uint64
	fig  *SoakFigures

	mail    *soakSMTP
	addr    string
	env     []string
	srv     *benchServe
	starts  int
	token   string
	load    *soakLoad
	model   *soakModel
	dataDir string
	mounted bool
	filler  string
	appName string
	probes  int

	mu      sync.Mutex
	windows []soakWindow
}

func (r *soakRun) logf(format string, args ...any) {
	fmt.Fprintf(r.g.Stderr, "bench soak: "+format+"\n", args...)
}

// cleanUp stops serve and the SMTP server, unmounts the tmpfs and removes
// the store (unless kept).
func (r *soakRun) cleanUp() error {
	var errs []error
	if r.srv != nil {
		r.srv.kill()
	}
	if r.mail != nil {
		r.mail.close()
	}
	if r.mounted {
		if err := soakUnmount(r.dataDir); err != nil {
			errs = append(errs, err)
		}
		r.mounted = false
	}
	errs = append(errs, r.st.close(r.Keep, r.g.Stderr))
	return errors.Join(errs...)
}

func (r *soakRun) run(ctx context.Context) error {
	var err error
	if r.mail, err = startSoakSMTP(); err != nil {
		return err
	}
	r.dataDir = filepath.Join(r.st.dir, "data")
	if err := os.MkdirAll(r.dataDir, 0o700); err != nil {
		return fmt.Errorf("create the data directory: %w", err)
	}
	switch {
	case r.st.schema != "":
		r.fig.DiskFullSkipped = "the PostgreSQL server's disk is not the soak's to fill"
	default:
		if ok, why := soakCanMount(); !ok {
			r.fig.DiskFullSkipped = why
		} else if err := soakMount(r.dataDir, int64(r.DiskMiB)<<20); err != nil {
			return err
		} else {
			r.mounted = true
		}
	}
	if r.st.schema == "" {
		r.fig.PGCutSkipped = "SQLite has no connections to cut"
	} else {
		// serve's connections carry a name of their own, so the cut
		// ends them and nobody else's on a shared database.
		r.appName = "shopcare-soak-" + r.st.schema
		u, err := url.Parse(r.st.url)
		if err != nil {
			return fmt.Errorf("the database URL: %w", err)
		}
		q := u.Query()
		q.Set("application_name", r.appName)
		u.RawQuery = q.Encode()
		r.st.url = u.String()
	}
	settings := filepath.Join(r.st.dir, "settings.yaml")
	doc := strings.Join([]string{
		"shop:",
		`  contact_hours: "00:00-23:59"`,
		"  public_url: https://care.example.com",
		"channels:",
		"  email:",
		"    smtp_url: smtp://" + r.mail.addr,
		`    from: "Soak <shop@example.com>"`,
		"carriers:",
		"  - {code: courier, transit_days: [2, 2]}",
		"connectors:",
		"  - name: " + soakHook,
		"    platform: woocommerce",
		"    url: https://shop.example.lv",
		"    webhook_secret: " + soakHookSecret,
		"",
	}, "\n")
	if err := os.WriteFile(settings, []byte(doc), 0o600); err != nil {
		return fmt.Errorf("write the soak's settings: %w", err)
	}
	r.logf("seed %d; fresh %s store: %s; SMTP server at %s", r.seed, r.st.engine(), r.st.where(), r.mail.addr)
	if r.fig.DiskFullSkipped != "" {
		r.logf("no disk-full fault: %s", r.fig.DiskFullSkipped)
	}
	if r.token, err = benchToken(ctx, r.exe, r.g, r.st); err != nil {
		return err
	}
	if r.addr, err = benchFreeAddr(); err != nil {
		return err
	}
	r.env = r.st.env(r.g, "SHOPCARE_ADDR="+r.addr, "SHOPCARE_CONFIG="+settings)
	if err := r.start(ctx); err != nil {
		return err
	}
	r.model = newSoakModel()
	r.load = newSoakLoad("http://"+r.addr, r.token, r.model)
	r.load.ops["probe"] = &soakCounts{}

	began := time.Now()
	loadCtx, stopLoad := context.WithCancel(ctx)
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		r.load.run(loadCtx, r.Concurrency, r.seed)
	}()
	err = r.inject(ctx, began.Add(r.Duration))
	stopLoad()
	<-loaded
	r.fig.DurationSeconds = round1(time.Since(began).Seconds())
	if err != nil {
		return err
	}
	if err := r.verify(ctx); err != nil {
		return err
	}
	r.report()
	return nil
}

// start starts serve on the soak's port and waits for /healthz.
func (r *soakRun) start(ctx context.Context) error {
	child, err := startBenchChild(ctx, r.exe, r.env, filepath.Join(r.st.dir, fmt.Sprintf("serve-%d.log", r.starts)), nil, "serve")
	if err != nil {
		return err
	}
	r.starts++
	s := &benchServe{benchChild: child, base: "http://" + r.addr}
	if err := s.waitHealthy(ctx); err != nil {
		child.kill()
		return err
	}
	r.srv = s
	return nil
}

// kinds are the faults this run can inject, in an order drawn from the
// seed; the schedule goes round them, so a short run has each.
func (r *soakRun) kinds(rng *rand.Rand) []string {
	k := []string{"kill", "smtp"}
	if r.fig.PGCutSkipped == "" {
		k = append(k, "pg_cut")
	}
	if r.fig.DiskFullSkipped == "" {
		k = append(k, "disk_full")
	}
	rng.Shuffle(len(k), func(i, j int) { k[i], k[j] = k[j], k[i] })
	return k
}

// inject runs the faults until the end, one at a time; a run too short
// for one of each goes on until it has had one of each.
func (r *soakRun) inject(ctx context.Context, end time.Time) error {
	rng := rand.New(rand.NewPCG(r.seed, 26))
	kinds := r.kinds(rng)
	for i := 0; ; i++ {
		wait := r.FaultEvery/2 + time.Duration(rng.Int64N(int64(r.FaultEvery)))
		outage := r.Outage/2 + time.Duration(rng.Int64N(int64(r.Outage)))
		every := i >= len(kinds)
		if every && time.Now().Add(wait).After(end) {
			wait = time.Until(end)
		}
		if err := r.watch(ctx, wait); err != nil {
			return err
		}
		if every && !time.Now().Before(end) {
			return nil
		}
		kind := kinds[i%len(kinds)]
		var err error
		switch kind {
		case "kill":
			err = r.kill(ctx)
		case "smtp":
			err = r.smtpOutage(ctx, outage)
		case "pg_cut":
			err = r.pgCut(ctx)
		case "disk_full":
			err = r.diskFull(ctx, outage)
		}
		if err != nil {
			return fmt.Errorf("%s fault %d: %w", kind, i+1, err)
		}
	}
}

// watch waits d, restarting serve if it exits on its own meanwhile (which
// is counted: serve should not).
func (r *soakRun) watch(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			return nil
		case <-r.srv.done:
			r.fig.DiedOnItsOwn++
			r.logf("serve exited on its own (%v); the end of its log:\n%s", r.srv.err, benchTail(r.srv.logPath, 2<<10))
			if err := r.start(ctx); err != nil {
				return err
			}
		}
	}
}

// window keeps a fault's time, from its start to serve's recovery, and how
// long the recovery took: since the fault's end (healed at), or nothing
// for a fault serve has no recovering to do from (zero).
func (r *soakRun) window(kind string, from, healed time.Time) {
	to := time.Now()
	r.mu.Lock()
	r.windows = append(r.windows, soakWindow{kind: kind, from: from, to: to})
	r.mu.Unlock()
	if !healed.IsZero() {
		r.fig.RecoveryMaxMS[kind] = max(r.fig.RecoveryMaxMS[kind], ms(to.Sub(healed)))
	}
}

// kill SIGKILLs serve and starts it again: the recovery is from the kill
// to /healthz.
func (r *soakRun) kill(ctx context.Context) error {
	t0 := time.Now()
	_ = r.srv.cmd.Process.Signal(syscall.SIGKILL)
	<-r.srv.done
	r.fig.Kills++
	if err := r.start(ctx); err != nil {
		return err
	}
	r.window("kill", t0, t0)
	r.logf("kill %d: back in %s; %d acknowledged so far", r.fig.Kills, time.Since(t0).Round(time.Millisecond), r.acked())
	return nil
}

func (r *soakRun) acked() int64 {
	var n int64
	for _, c := range r.load.ops {
		n += c.acked.Load()
	}
	return n
}

// probe hands in orders until one is acknowledged (serve writes again),
// for at most a minute.
func (r *soakRun) probe(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	r.probes++
	ext := "soak-probe-" + strconv.Itoa(r.probes)
	for {
		a := r.load.postOrder(ctx, "probe", ext, r.probes%soakCustomers)
		if a.ok() {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("serve took no write for a minute: the last answer %d %s %s", a.status, strings.TrimSpace(string(a.body)), a.err)
		}
		if err := benchSleep(ctx, r.srv.benchChild, 50*time.Millisecond); err != nil {
			return err
		}
	}
}

// pgCut ends every connection serve has to PostgreSQL; the recovery is
// until serve takes a write again.
func (r *soakRun) pgCut(ctx context.Context) error {
	t0 := time.Now()
	n, err := soakTerminate(ctx, r.st.admin, r.appName)
	if err != nil {
		return err
	}
	r.fig.PGCuts++
	if err := r.probe(ctx); err != nil {
		return err
	}
	r.window("pg_cut", t0, t0)
	r.logf("PostgreSQL cut %d: %d connections ended; writes again in %s", r.fig.PGCuts, n, time.Since(t0).Round(time.Millisecond))
	return nil
}

// smtpOutage stops the SMTP server for d.
func (r *soakRun) smtpOutage(ctx context.Context, d time.Duration) error {
	t0 := time.Now()
	r.mail.stop()
	r.fig.SMTPOutages++
	if err := r.watch(ctx, d); err != nil {
		return err
	}
	if err := r.mail.start(ctx); err != nil {
		return err
	}
	r.window("smtp", t0, time.Time{})
	r.logf("SMTP outage %d: down for %s", r.fig.SMTPOutages, time.Since(t0).Round(time.Millisecond))
	return nil
}

// diskFull fills the tmpfs under the data directory until a write fails,
// keeps the load going for d, then deletes the filler: serve must take
// writes again (it is restarted, and counted, if it does not within a
// minute or if it died).
func (r *soakRun) diskFull(ctx context.Context, d time.Duration) error {
	t0 := time.Now()
	r.filler = filepath.Join(r.dataDir, "soak-filler")
	written, err := soakFill(r.filler)
	if err != nil {
		return err
	}
	r.fig.DiskFull++
	r.load.full.Store(true)
	werr := r.watch(ctx, d)
	r.load.full.Store(false)
	if err := os.Remove(r.filler); err != nil {
		return fmt.Errorf("delete the filler: %w", err)
	}
	healed := time.Now()
	if werr != nil {
		return werr
	}
	if err := r.probe(ctx); err != nil {
		r.logf("after the disk was full: %v; starting serve again", err)
		r.fig.DiskFullRestart++
		if !r.srv.exited() {
			r.srv.kill()
		}
		if err := r.start(ctx); err != nil {
			return err
		}
		if err := r.probe(ctx); err != nil {
			return err
		}
	}
	r.window("disk_full", t0, healed)
	r.logf("disk full %d: %d MiB of filler; writes again %s after it went", r.fig.DiskFull, written>>20, time.Since(healed).Round(time.Millisecond))
	return nil
}

// soakFill writes zeros to path until the file system is full.
func soakFill(path string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create the filler: %w", err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	var n int64
	for {
		k, err := f.Write(buf)
		n += int64(k)
		if err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			return n, fmt.Errorf("fill the disk: %w", err)
		}
	}
	// What is left below a page: the last small writes.
	for _, size := range []int{64 << 10, 4 << 10, 512} {
		for {
			if _, err := f.Write(buf[:size]); err != nil {
				break
			}
		}
	}
	return n, nil
}

// soakConnect opens one connection to PostgreSQL.
func soakConnect(ctx context.Context, dsn string) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return conn, nil
}

// soakTerminate ends the connections named app on the database.
func soakTerminate(ctx context.Context, dsn, app string) (int64, error) {
	conn, err := soakConnect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var n int64
	err = conn.QueryRow(ctx, `SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`, app).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cut serve's connections: %w", err)
	}
	return n, nil
}

// soakMessage is one message of an order, as GET /orders/{id}/messages
// answers it.
type soakMessage struct {
	ID          int64     `json:"id"`
	Channel     string    `json:"channel"`
	Status      string    `json:"status"`
	ScheduledAt time.Time `json:"scheduled_at"`
	Reason      string    `json:"reason"`
	Attempts    []struct {
		Outcome string `json:"outcome"`
	} `json:"attempts"`
}

// get asks serve for path and decodes the JSON answer into v; found is
// false on a 404.
func (r *soakRun) get(ctx context.Context, path string, v any) (found bool, err error) {
	for try := 0; ; try++ {
		a := r.load.do(ctx, http.MethodGet, path, nil, nil)
		switch {
		case a.status == http.StatusNotFound:
			return false, nil
		case a.ok():
			if err := json.Unmarshal(a.body, v); err != nil {
				return false, fmt.Errorf("GET %s: %w", path, err)
			}
			return true, nil
		case try >= 20:
			return false, fmt.Errorf("GET %s: %d %s %s", path, a.status, strings.TrimSpace(string(a.body)), a.err)
		}
		if err := benchSleep(ctx, r.srv.benchChild, 100*time.Millisecond); err != nil {
			return false, err
		}
	}
}

// forAll runs f on every item by 8 clients at once.
func forAll[T any](items []T, f func(T) error) error {
	var mu sync.Mutex
	var first error
	next := make(chan T)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				if err := f(it); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
	return first
}

// verify lets the work drain, then checks every acknowledged effect and
// every message, and counts the copies.
func (r *soakRun) verify(ctx context.Context) error {
	t0 := time.Now()
	deadline := t0.Add(r.Drain)
	orders := slices.Clone(r.model.orders)
	r.logf("load over: %d acknowledged; letting the work drain (at most %s)", r.acked(), r.Drain)
	// Drained: every connector order is in, and no message that is due
	// before the drain's end is still waiting, twice in a row.
	var prevIDs int
	calm := 0
	var msgs map[string][]soakMessage
	for {
		var mu sync.Mutex
		msgs = map[string][]soakMessage{}
		missing, waiting, ids := 0, 0, 0
		err := forAll(orders, func(o *soakOrder) error {
			var ans struct {
				Messages []soakMessage `json:"messages"`
			}
			found, err := r.get(ctx, "/api/v1/orders/"+url.PathEscape(o.ext)+"/messages", &ans)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				return err
			}
			if !found {
				missing++
				return nil
			}
			msgs[o.ext] = ans.Messages
			for _, m := range ans.Messages {
				ids++
				if m.Status == "scheduled" && (len(m.Attempts) > 0 || m.ScheduledAt.Before(deadline)) {
					waiting++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if missing == 0 && waiting == 0 && ids == prevIDs {
			calm++
		} else {
			calm = 0
		}
		prevIDs = ids
		if calm >= 2 {
			break
		}
		if time.Now().After(deadline) {
			r.logf("the drain ended with %d orders not found and %d messages waiting", missing, waiting)
			break
		}
		if err := benchSleep(ctx, r.srv.benchChild, 2*time.Second); err != nil {
			return err
		}
	}
	r.fig.DrainSeconds = round1(time.Since(t0).Seconds())

	// Every acknowledged effect.
	var mu sync.Mutex
	lose := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		r.fig.Losses++
		if len(r.fig.LossExamples) < 10 {
			r.fig.LossExamples = append(r.fig.LossExamples, fmt.Sprintf(format, args...))
		}
	}
	err := forAll(orders, func(o *soakOrder) error {
		var got struct {
			Status         string `json:"status"`
			TrackingNumber string `json:"tracking_number"`
		}
		found, err := r.get(ctx, "/api/v1/orders/"+url.PathEscape(o.ext), &got)
		if err != nil {
			return err
		}
		if !found {
			lose("order %s was acknowledged but is not there", o.ext)
			return nil
		}
		if !o.hook && got.Status != o.status && (o.tried == "" || got.Status != o.tried) {
			lose("order %s is %s, acknowledged %s", o.ext, got.Status, o.status)
		}
		if len(o.events) > 0 {
			var p struct {
				Events []struct {
					Code string `json:"code"`
				} `json:"events"`
			}
			found, err := r.get(ctx, "/api/v1/parcels/"+url.PathEscape(o.tracking), &p)
			if err != nil {
				return err
			}
			for _, code := range o.events {
				if !found || !slices.ContainsFunc(p.Events, func(e struct {
					Code string `json:"code"`
				}) bool {
					return e.Code == code
				}) {
					lose("parcel %s lacks the acknowledged event %s", o.tracking, code)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = forAll(r.model.customers, func(c *soakCustomer) error {
		if !c.known {
			return nil
		}
		var got struct {
			Phone string `json:"phone"`
		}
		found, err := r.get(ctx, "/api/v1/customers/"+url.PathEscape(c.ext), &got)
		if err != nil {
			return err
		}
		if !found {
			lose("customer %s was acknowledged but is not there", c.ext)
			return nil
		}
		if c.phone != "" && got.Phone != c.phone && (c.tried == "" || got.Phone != c.tried) {
			lose("customer %s has phone %q, acknowledged %q", c.ext, got.Phone, c.phone)
		}
		if len(c.grants) == 0 {
			return nil
		}
		var l struct {
			Entries []struct {
				Reason string `json:"reason"`
			} `json:"entries"`
		}
		if _, err := r.get(ctx, "/api/v1/customers/"+url.PathEscape(c.ext)+"/ledger?limit=500", &l); err != nil {
			return err
		}
		count := map[string]int{}
		for _, e := range l.Entries {
			count[e.Reason]++
		}
		for _, g := range c.grants {
			if count[g] != 1 {
				lose("customer %s has the acknowledged grant %q %d times", c.ext, g, count[g])
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	// The messages: each one sent reached the SMTP server; copies are
	// counted by the fault between them.
	arrivals, total := r.mail.arrivals()
	r.fig.Copies = total
	for _, ms := range msgs {
		for _, m := range ms {
			if m.Channel != "email" && m.Channel != "" {
				continue
			}
			switch {
			case m.Status == "sent":
				r.fig.Messages++
				if len(arrivals["<m"+strconv.FormatInt(m.ID, 10)+"@shopcare>"]) == 0 {
					r.fig.MessagesLost++
				}
			case m.Status == "failed":
				r.fig.MessagesFailed++
			case m.Status == "scheduled" && (len(m.Attempts) > 0 || m.ScheduledAt.Before(deadline)):
				r.fig.Undrained++
			}
		}
	}
	for _, at := range arrivals {
		sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
		for _, t := range at[1:] {
			r.fig.Duplicates++
			r.fig.LatestDupS = max(r.fig.LatestDupS, round1(t.Sub(at[0]).Seconds()))
			if kind := r.faultBetween(at[0], t); kind != "" {
				r.fig.DupByFault[kind]++
			} else {
				r.fig.DupNormal++
			}
		}
	}
	if r.fig.Kills > 0 {
		r.fig.DupPerKill = round1(float64(r.fig.DupByFault["kill"]) / float64(r.fig.Kills))
	}
	for _, v := range r.fig.RecoveryMaxMS {
		r.fig.MaxRecoveryMS = max(r.fig.MaxRecoveryMS, v)
	}
	r.sumUp()

	// Stop serve, then check the SQLite file.
	if _, err := r.srv.stop(benchStopTimeout); err != nil {
		return err
	}
	r.fig.Integrity = "n/a"
	if r.st.schema == "" {
		res, err := soakIntegrity(ctx, r.dataDir)
		if err != nil {
			return err
		}
		r.fig.Integrity = res
	}
	return nil
}

// faultBetween names the fault whose window meets the time between two
// copies of a message ("" none); a kill goes first.
func (r *soakRun) faultBetween(a, b time.Time) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	kind := ""
	for _, w := range r.windows {
		if !w.from.After(b) && !w.to.Before(a) {
			if w.kind == "kill" {
				return "kill"
			}
			if kind == "" {
				kind = w.kind
			}
		}
	}
	return kind
}

// sumUp adds the load's counts up.
func (r *soakRun) sumUp() {
	f := r.fig
	f.ByKind = map[string]SoakKindCount{}
	for op, c := range r.load.ops {
		k := SoakKindCount{Sent: c.sent.Load(), Acked: c.acked.Load(), Failed: c.failed.Load(), Unanswered: c.unanswered.Load(),
			Refused: c.refused.Load(), Unknown: c.unknown.Load()}
		f.ByKind[op] = k
		f.Requests += k.Sent
		f.Acknowledged += k.Acked
		f.Failed += k.Failed
		f.Unanswered += k.Unanswered
		f.Refused += k.Refused
	}
	if v, ok := r.load.firstRefusal.Load().(string); ok {
		f.FirstRefusal = v
	}
	f.DiskFullAcked, f.DiskFullFailed = r.load.fullAcked.Load(), r.load.fullFailed.Load()
}

// soakIntegrity runs SQLite's integrity check on the store in dataDir.
func soakIntegrity(ctx context.Context, dataDir string) (string, error) {
	db, err := store.Open(ctx, store.Options{DataDir: dataDir})
	if err != nil {
		return "", fmt.Errorf("open the SQLite store for its integrity check: %w", err)
	}
	defer db.Close()
	rows, err := db.Read().Query(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", fmt.Errorf("PRAGMA integrity_check: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", fmt.Errorf("PRAGMA integrity_check: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("PRAGMA integrity_check: %w", err)
	}
	return strings.Join(out, "; "), nil
}

// report prints the figures.
func (r *soakRun) report() {
	f := r.fig
	w := benchReport(r.g, r.JSON)
	fmt.Fprintf(w, "shopcare bench soak (%s), seed %d, %.0fs of load\n", f.benchMachine, f.Seed, f.DurationSeconds)
	row := func(name, value string) { fmt.Fprintf(w, "  %-30s %s\n", name, value) }
	row("requests", fmt.Sprintf("%d (%d failed with 5xx, %d unanswered, %d refused with 4xx)", f.Requests, f.Failed, f.Unanswered, f.Refused))
	row("acknowledged", strconv.FormatInt(f.Acknowledged, 10))
	ops := make([]string, 0, len(f.ByKind))
	for op := range f.ByKind {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		k := f.ByKind[op]
		extra := ""
		if k.Unknown > 0 {
			extra = fmt.Sprintf(", %d for a parcel not made yet", k.Unknown)
		}
		row("  "+op, fmt.Sprintf("%d sent, %d acknowledged, %d 5xx, %d unanswered, %d 4xx%s", k.Sent, k.Acked, k.Failed, k.Unanswered, k.Refused, extra))
	}
	if f.FirstRefusal != "" {
		row("first 4xx", f.FirstRefusal)
	}
	row("kills (SIGKILL)", strconv.Itoa(f.Kills))
	row("PostgreSQL cuts", skipped(f.PGCuts, f.PGCutSkipped))
	row("SMTP outages", strconv.Itoa(f.SMTPOutages))
	row("disk-full episodes", skipped(f.DiskFull, f.DiskFullSkipped))
	if f.DiskFull > 0 {
		row("  while full", fmt.Sprintf("%d acknowledged, %d failed cleanly (5xx); %d restarts needed after", f.DiskFullAcked, f.DiskFullFailed, f.DiskFullRestart))
	}
	row("serve exits not from a kill", strconv.Itoa(f.DiedOnItsOwn))
	row("losses", strconv.Itoa(f.Losses))
	for _, l := range f.LossExamples {
		row("  lost", l)
	}
	row("messages sent", fmt.Sprintf("%d (%d never reached the SMTP server, %d gave up, %d not drained)", f.Messages, f.MessagesLost, f.MessagesFailed, f.Undrained))
	row("duplicate messages", fmt.Sprintf("%d of %d copies received: %d in the normal path, %s; %.1f per kill; the latest %.1fs after the first copy",
		f.Duplicates, f.Copies, f.DupNormal, byFault(f.DupByFault), f.DupPerKill, f.LatestDupS))
	row("max recovery", fmt.Sprintf("%.0f ms (%s)", f.MaxRecoveryMS, byFaultMS(f.RecoveryMaxMS)))
	row("drain", fmt.Sprintf("%.1f s", f.DrainSeconds))
	row("integrity_check", f.Integrity)
	if r.JSON {
		_ = benchPrintJSON(r.g.Stdout, f)
	}
}

func skipped(n int, why string) string {
	if why != "" {
		return "skipped: " + why
	}
	return strconv.Itoa(n)
}

func byFault(m map[string]int) string {
	if len(m) == 0 {
		return "none across faults"
	}
	var parts []string
	for _, k := range []string{"kill", "disk_full", "pg_cut", "smtp"} {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d across %s", m[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

func byFaultMS(m map[string]float64) string {
	var parts []string
	for _, k := range []string{"kill", "pg_cut", "disk_full", "smtp"} {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %.0f ms", k, v))
		}
	}
	return strings.Join(parts, ", ")
}
