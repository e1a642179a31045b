package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
)

// Parcels measures parcels and promise-keeping (issue 7). First
// carrier events through POST /api/v1/parcels/events of a serve child, one
// a request and then in batches, for parcels of --orders shipped orders
// seeded set-based; the events stored are counted at the end against what
// the server said it stored. Then, in this process on the same store,
// --open-orders open orders seeded set-based and the promise watch over
// them on a fake clock: the first pass (the backlog), the daily passes and
// the passes that find nothing; and the parcel watch over the parcels the
// events moved.
type Parcels struct {
	Orders      int           // Shipped orders with a parcel each, seeded set-based, that the carrier events are for.
	OpenOrders  int           // Open orders seeded set-based for the promise watch, promised from 40 days before today to 30 after.
	Concurrency int           // Clients sending events at once, each waiting for its answer before the next.
	Batch       int           // Events per request in the batch mode (the API takes up to 1,000).
	Duration    time.Duration // How long to measure each mode.
	Warmup      time.Duration // How long to send events before measuring each mode; their figures are discarded (their events are counted).
	Sweeps      int           // Daily passes of the promise watch, the clock a day on before each; as many passes that find nothing follow.
	Keep        bool          // Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema.
	Profile     string        // Write a CPU profile of the promise and parcel watch passes to this file (go tool pprof reads it).
	JSON        bool          // Print the figures as JSON on standard output (the report goes to standard error).
}

// The targets.
const (
	benchParcelsRate  = 5000            // carrier events a second through the API, on either engine (issue 22)
	benchParcelsSweep = 2 * time.Second // the daily pass of the promise watch over a million open orders
)

// The carriers' side of the load.
const (
	benchParcelsStep   = 3 * time.Hour    // between a parcel's status events
	benchParcelsNotice = 10 * time.Minute // between its notices after the last of them
	benchParcelsRetry  = 50               // one event in this many is a retry of one sent before
	benchParcelsRecent = 64               // the events a client remembers, to retry
)

// benchParcelsFigures are the figures of bench parcels.
type benchParcelsFigures struct {
	benchMachine
	Customers      int                    `json:"customers"`
	Orders         int                    `json:"shipped_orders"`
	OpenOrders     int                    `json:"open_orders"`
	Seed           benchParcelsSeed       `json:"seed"`
	ServeStartupMS float64                `json:"serve_startup_ms"`
	Single         benchParcelsLoad       `json:"events_one_a_request"`
	Batched        benchParcelsLoad       `json:"events_batched"`
	Check          benchParcelsCheck      `json:"stored_events_check"`
	Moved          map[string]int         `json:"shipped_orders_by_status_after"`
	ServerRSSMiB   float64                `json:"server_rss_mib,omitempty"`
	ServerPeakMiB  float64                `json:"server_peak_rss_mib,omitempty"`
	Watch          benchParcelsWatch      `json:"promise_watch"`
	ParcelWatch    benchParcelsParcelPass `json:"parcel_watch"`
}

// benchParcelsSeed times the seeding's steps, in seconds.
type benchParcelsSeed struct {
	Customers  float64 `json:"customers_seconds"`
	Shipped    float64 `json:"shipped_orders_and_parcels_seconds"`
	OpenOrders float64 `json:"open_orders_seconds"`
	Indexes    float64 `json:"open_orders_indexes_and_keys_seconds"`
	Analyze    float64 `json:"analyze_seconds"`
}

// benchParcelsLoad is one mode of the event load.
type benchParcelsLoad struct {
	Batch             int     `json:"events_per_request"`
	WarmupSeconds     float64 `json:"warmup_seconds"`
	DurationSeconds   float64 `json:"duration_seconds"`
	Requests          int     `json:"requests"`
	RequestsPerSecond float64 `json:"requests_per_second"`
	Events            int     `json:"events"`
	EventsPerSecond   float64 `json:"events_per_second"`
	Stored            int     `json:"stored"`
	Duplicates        int     `json:"duplicates"`
	Unknown           int     `json:"unknown"`
	Errors            int     `json:"errors"`
	FirstError        string  `json:"first_error,omitempty"`
	P50MS             float64 `json:"p50_ms"`
	P90MS             float64 `json:"p90_ms"`
	P99MS             float64 `json:"p99_ms"`
	MaxMS             float64 `json:"max_ms"`
	ServerCPUCores    float64 `json:"server_cpu_cores,omitempty"`
	LoadCPUCores      float64 `json:"load_cpu_cores,omitempty"`
}

// benchParcelsCheck compares the events the server stored, by its answers
// (warm-ups included), with the rows parcel_events holds at the end, and
// with what the clients sent.
type benchParcelsCheck struct {
	Sent       int   `json:"sent"`    // in requests answered 2xx
	New        int   `json:"new"`     // of them, events not sent before
	Retries    int   `json:"retries"` // of them, events sent again
	Stored     int   `json:"stored"`  // the answers' "stored"
	Duplicates int   `json:"duplicates"`
	Unknown    int   `json:"unknown"`
	Failed     int   `json:"failed_requests"` // not answered 2xx: what became of their events is not known
	Rows       int64 `json:"parcel_events_rows"`
	OK         bool  `json:"ok"`
}

// benchParcelsWatch is the promise watch over the open orders.
type benchParcelsWatch struct {
	Today    string                  `json:"today"`
	ByStatus map[string]int          `json:"open_orders_by_status"`
	Backlog  benchParcelsSweepPass   `json:"first_pass"`
	Daily    []benchParcelsSweepPass `json:"daily_passes"`
	DailyP50 float64                 `json:"daily_p50_ms"`
	DailyMax float64                 `json:"daily_max_ms"`
	Idle     []benchParcelsSweepPass `json:"idle_passes"`
	IdleP50  float64                 `json:"idle_p50_ms"`
	IdleMax  float64                 `json:"idle_max_ms"`
}

// benchParcelsSweepPass is one pass of the promise watch.
type benchParcelsSweepPass struct {
	At     string  `json:"at"`
	MS     float64 `json:"ms"`
	AtRisk int     `json:"at_risk"`
	Late   int     `json:"late"`
}

// benchParcelsParcelPass is the parcel watch: its first pass on the
// parcels the events left, and the next, five minutes later.
type benchParcelsParcelPass struct {
	Parcels  int     `json:"parcels"`
	At       string  `json:"at"`
	FirstMS  float64 `json:"first_ms"`
	Reminded int     `json:"reminded"`
	Stuck    int     `json:"stuck"`
	NextMS   float64 `json:"next_ms"`
}

// Run seeds a fresh store and measures it.
func (c *Parcels) Run(g *Env) error {
	if c.Orders < 1 || c.OpenOrders < 1 || c.Concurrency < 1 || c.Concurrency > 10000 || c.Batch < 1 || c.Batch > 1000 ||
		c.Duration <= 0 || c.Warmup < 0 || c.Sweeps < 1 {
		return errors.New("bench parcels needs --orders, --open-orders and --sweeps of at least 1, --concurrency between 1 and 10000, " +
			"--batch between 1 and 1000, a positive --duration and a --warmup of at least 0")
	}
	return runBench(g, "bench parcels", c.Keep, func(ctx context.Context, exe string, st *benchStore) error {
		return c.run(ctx, g, exe, st)
	})
}

func (c *Parcels) run(ctx context.Context, g *Env, exe string, st *benchStore) error {
	settings, err := g.settings()
	if err != nil {
		return err
	}
	progress := g.Stderr
	loc := settings.Shop.Location()
	// Every carrier event is dated before start, in the four days before it.
	start := time.Now().Truncate(time.Minute)
	fig := benchParcelsFigures{benchMachine: newBenchMachine(st.engine()), Orders: c.Orders, OpenOrders: c.OpenOrders,
		Customers: max(1000, (c.Orders+c.OpenOrders)*3/10)}
	storeOpts := store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")}

	fmt.Fprintf(progress, "bench parcels: a fresh %s store: %s\n", st.engine(), st.where())
	if err := c.seedShipped(ctx, progress, storeOpts, &fig, start); err != nil {
		return err
	}

	token, err := benchToken(ctx, exe, g, st)
	if err != nil {
		return err
	}
	// A serve that finds no backup makes one at once: on a seeded store
	// of a million orders that copy (and its check) would run through the
	// measured seconds. A shop's own settings file, when given, decides.
	g2 := *g
	if g2.Config == "" {
		g2.Config = filepath.Join(st.dir, "parcels.yaml")
		if err := os.WriteFile(g2.Config, []byte("backup:\n  enabled: false\n"), 0o600); err != nil {
			return err
		}
	}
	srv, err := startBenchServe(ctx, exe, &g2, st)
	if err != nil {
		return err
	}
	defer srv.kill()
	fig.ServeStartupMS = ms(srv.startup)
	fmt.Fprintf(progress, "bench parcels: serve answered in %s at %s\n", srv.startup.Round(time.Millisecond), srv.base)

	feed := newBenchParcelFeed(c.Orders, start, loc)
	var check benchParcelsCheck
	for _, mode := range []struct {
		batch int
		into  *benchParcelsLoad
	}{{1, &fig.Single}, {c.Batch, &fig.Batched}} {
		fmt.Fprintf(progress, "bench parcels: %d clients, %d event(s) a request: %s warm-up, then %s measured\n",
			c.Concurrency, mode.batch, c.Warmup, c.Duration)
		res, err := benchEvents(ctx, benchEventsOptions{base: srv.base, token: token, concurrency: c.Concurrency, batch: mode.batch,
			warmup: c.Warmup, duration: c.Duration, serverPID: srv.cmd.Process.Pid, feed: feed})
		if err != nil {
			return err
		}
		if srv.exited() {
			return srv.failed(fmt.Errorf("exited during the load (%w)", srv.err))
		}
		*mode.into = res.figures(mode.batch, c.Warmup, c.Duration)
		check.add(res.all)
	}
	mem, memErr := srv.memory()
	if memErr == nil {
		fig.ServerRSSMiB, fig.ServerPeakMiB = mib(mem.RSS), mib(mem.Peak)
	}
	// serve commits what its intake holds before it exits, so the rows are
	// counted after it.
	if _, err := srv.stop(benchStopTimeout); err != nil {
		return err
	}

	db, err := store.Open(ctx, storeOpts)
	if err != nil {
		return err
	}
	defer db.Close()
	if check.Rows, err = parcel.EventCountAll(ctx, db.Read()); err != nil {
		return err
	}
	check.OK = check.Rows == int64(check.Stored) && check.Unknown == 0 &&
		(check.Failed > 0 || check.Stored == check.New && check.Duplicates == check.Retries)
	fig.Check = check
	if fig.Moved, err = order.CountByStatusPrefix(ctx, db.Read(), "ps-"); err != nil {
		return err
	}

	if err := c.sweep(ctx, g, db, settings, &fig); err != nil {
		return err
	}

	w := benchReport(g, c.JSON)
	benchParcelsPrint(w, &fig)
	if c.JSON {
		if err := benchPrintJSON(g.Stdout, fig); err != nil {
			return err
		}
	}
	if !check.OK {
		return fmt.Errorf("the stored events do not add up: parcel_events holds %d rows, the server said it stored %d "+
			"(%d new events and %d retries sent, %d answered duplicate, %d unknown, %d requests failed)",
			check.Rows, check.Stored, check.New, check.Retries, check.Duplicates, check.Unknown, check.Failed)
	}
	return nil
}

// seedShipped seeds the customers of both parts and the shipped orders
// with their parcels, set-based, in a store opened for it and closed
// before serve starts.
func (c *Parcels) seedShipped(ctx context.Context, progress io.Writer, opts store.Options, fig *benchParcelsFigures, start time.Time) error {
	db, err := store.Open(ctx, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	sd := benchParcelsSeeder{benchLoyaltySeeder{db: db, progress: progress, bench: "bench parcels"}}
	t := time.Now()
	if err := sd.customers(ctx, fig.Customers); err != nil {
		return err
	}
	fig.Seed.Customers = round1(time.Since(t).Seconds())

	fmt.Fprintf(progress, "bench parcels: seeding %d customers, %d shipped orders with a parcel each\n", fig.Customers, c.Orders)
	t = time.Now()
	series := func(lo, hi int64) order.SyntheticSeries {
		return order.SyntheticSeries{Engine: db.Engine(), From: lo, To: hi}
	}
	err = sd.series(ctx, "shipped orders", c.Orders, func(tx *store.Tx, lo, hi int64) error {
		return order.SyntheticInsertShipped(ctx, tx, order.SyntheticShipped{SyntheticSeries: series(lo, hi),
			Customers: int64(fig.Customers), Now: start.Unix()})
	})
	if err != nil {
		return err
	}
	// Parcel i is order ps-i's, which is order i in a fresh store.
	if last, err := order.MaxID(ctx, db.Read()); err != nil {
		return err
	} else if last != int64(c.Orders) {
		return fmt.Errorf("seed shipped orders: ids up to %d, want 1-%d (is the store fresh?)", last, c.Orders)
	}
	err = sd.series(ctx, "parcels", c.Orders, func(tx *store.Tx, lo, hi int64) error {
		return parcel.SyntheticInsert(ctx, tx, parcel.Synthetic{Engine: db.Engine(), From: lo, To: hi, Now: start.Unix()})
	})
	if err != nil {
		return err
	}
	n, lo, hi, err := parcel.OrderIDRange(ctx, db.Read())
	if err != nil {
		return err
	}
	if n != int64(c.Orders) || lo != 1 || hi != int64(c.Orders) {
		return fmt.Errorf("seed parcels: %d of orders %d-%d, want %d of orders 1-%d (is the store fresh?)", n, lo, hi, c.Orders, c.Orders)
	}
	fig.Seed.Shipped = round1(time.Since(t).Seconds())
	t = time.Now()
	if err := benchAnalyze(ctx, db); err != nil {
		return err
	}
	fig.Seed.Analyze = round1(time.Since(t).Seconds())
	return nil
}

// sweep seeds the open orders and runs the promise watch over them, then
// the parcel watch, through an App wired in this process on a fake clock.
func (c *Parcels) sweep(ctx context.Context, g *Env, db *store.DB, settings config.Settings, fig *benchParcelsFigures) error {
	progress := g.Stderr
	loc := settings.Shop.Location()
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	at := func(day int, minutes int) time.Time {
		return today.AddDate(0, 0, day).Add(10*time.Hour + time.Duration(minutes)*time.Minute)
	}
	fig.Watch.Today = at(0, 0).Format("2006-01-02 15:04 MST")

	fmt.Fprintf(progress, "bench parcels: seeding %d open orders promised from %s to %s\n", c.OpenOrders,
		today.AddDate(0, 0, -40).Format(time.DateOnly), today.AddDate(0, 0, 30).Format(time.DateOnly))
	sd := benchParcelsSeeder{benchLoyaltySeeder{db: db, progress: progress, bench: "bench parcels"}}
	t := time.Now()
	undo, err := sd.unindex(ctx, "orders")
	if err != nil {
		return err
	}
	fig.Seed.Indexes = time.Since(t).Seconds()
	t = time.Now()
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).Unix()
	err = sd.series(ctx, "open orders", c.OpenOrders, func(tx *store.Tx, lo, hi int64) error {
		return order.SyntheticInsertOpen(ctx, tx, order.SyntheticOpen{
			SyntheticSeries: order.SyntheticSeries{Engine: db.Engine(), From: lo, To: hi},
			Customers:       int64(fig.Customers), Today: day})
	})
	if err != nil {
		return err
	}
	fig.Seed.OpenOrders = round1(time.Since(t).Seconds())
	t = time.Now()
	if err := sd.exec(ctx, "index the orders", undo...); err != nil {
		return err
	}
	fig.Seed.Indexes = round1(fig.Seed.Indexes + time.Since(t).Seconds())
	t = time.Now()
	if err := benchAnalyze(ctx, db); err != nil {
		return err
	}
	fig.Seed.Analyze = round1(fig.Seed.Analyze + time.Since(t).Seconds())
	if fig.Watch.ByStatus, err = order.CountByStatusPrefix(ctx, db.Read(), "oo-"); err != nil {
		return err
	}

	clk := clock.NewFake(at(0, 0))
	a, err := app.Wire(ctx, db, app.Options{Settings: settings, Clock: clk,
		Log: slog.New(slog.NewTextHandler(progress, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	defer a.Stop(context.Background())
	if c.Profile != "" {
		stopProfile, err := benchProfile(c.Profile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	pass := func(t time.Time) (benchParcelsSweepPass, error) {
		clk.Set(t)
		t0 := time.Now()
		res, err := a.Orders.Watch(ctx)
		if err != nil {
			return benchParcelsSweepPass{}, fmt.Errorf("the promise watch at %s: %w", t.Format(time.DateTime), err)
		}
		return benchParcelsSweepPass{At: t.Format("2006-01-02 15:04"), MS: ms(time.Since(t0)), AtRisk: res.AtRisk, Late: res.Late}, nil
	}
	fmt.Fprintf(progress, "bench parcels: the promise watch at %s: the first pass, %d daily passes, %d passes that find nothing\n",
		fig.Watch.Today, c.Sweeps, c.Sweeps)
	if fig.Watch.Backlog, err = pass(at(0, 0)); err != nil {
		return err
	}
	var daily, idle []time.Duration
	for d := 1; d <= c.Sweeps; d++ {
		p, err := pass(at(d, 0))
		if err != nil {
			return err
		}
		fig.Watch.Daily = append(fig.Watch.Daily, p)
		daily = append(daily, time.Duration(p.MS*float64(time.Millisecond)))
	}
	for k := 1; k <= c.Sweeps; k++ {
		p, err := pass(at(c.Sweeps, 5*k))
		if err != nil {
			return err
		}
		fig.Watch.Idle = append(fig.Watch.Idle, p)
		idle = append(idle, time.Duration(p.MS*float64(time.Millisecond)))
	}
	slices.Sort(daily)
	slices.Sort(idle)
	fig.Watch.DailyP50, fig.Watch.DailyMax = ms(percentile(daily, 0.5)), ms(percentile(daily, 1))
	fig.Watch.IdleP50, fig.Watch.IdleMax = ms(percentile(idle, 0.5)), ms(percentile(idle, 1))

	// The parcel watch a day after the promise watch's last pass: the
	// pickup reminders of the parcels that arrived are due, and the
	// parcels the carriers went quiet about are stuck.
	pw := &fig.ParcelWatch
	pw.Parcels = c.Orders
	next := at(c.Sweeps+1, 0)
	pw.At = next.Format("2006-01-02 15:04")
	fmt.Fprintf(progress, "bench parcels: the parcel watch at %s over %d parcels\n", pw.At, pw.Parcels)
	for k := range 2 {
		clk.Set(next.Add(time.Duration(k) * 5 * time.Minute))
		t0 := time.Now()
		res, err := a.Parcels.Watch(ctx)
		if err != nil {
			return fmt.Errorf("the parcel watch: %w", err)
		}
		if k == 0 {
			pw.FirstMS, pw.Reminded, pw.Stuck = ms(time.Since(t0)), res.Reminded, res.Stuck
		} else {
			pw.NextMS = ms(time.Since(t0))
		}
	}
	return nil
}

// benchCountBy runs a "key, COUNT(*) … GROUP BY key" query.
// benchParcelsSeeder seeds as bench loyalty's seeder does, a chunk of a
// series a statement, with bench parcels' progress lines.
type benchParcelsSeeder struct{ benchLoyaltySeeder }

func (sd benchParcelsSeeder) series(ctx context.Context, what string, n int, insert func(tx *store.Tx, lo, hi int64) error) error {
	for lo := 1; lo <= n; lo += benchLoyaltyChunk {
		hi := min(lo+benchLoyaltyChunk-1, n)
		err := sd.db.InTx(ctx, func(tx *store.Tx) error {
			return insert(tx, int64(lo), int64(hi))
		})
		if err != nil {
			return fmt.Errorf("seed %s %d-%d: %w", what, lo, hi, err)
		}
		if n > benchLoyaltyChunk {
			fmt.Fprintf(sd.progress, "bench parcels: %s %d%%\n", what, hi*100/n)
		}
	}
	return nil
}

// benchParcelFeed is the carriers' side of the load: the life of each
// seeded parcel as its carrier reports it, and how far each has got. It
// is shared by the clients, so a parcel's events go out in order whoever
// sends them.
type benchParcelFeed struct {
	parcels int
	start   time.Time // every event is dated before it
	loc     *time.Location
	next    []atomic.Int32 // of parcel i at i-1: its next event
}

// benchStep is one event of a parcel's life.
type benchStep struct {
	status      carrier.Status
	code        string
	description string
}

var benchParcelLocations = []string{"Москва 140961", "Подольск 142100", "Тверь 170000", "Казань 420000",
	"Нижний Новгород 603000", "Самара 443000", "Санкт-Петербург 190000", "Екатеринбург 620000"}

func newBenchParcelFeed(parcels int, start time.Time, loc *time.Location) *benchParcelFeed {
	f := &benchParcelFeed{parcels: parcels, start: start, loc: loc, next: make([]atomic.Int32, parcels)}
	// The feed joins each parcel somewhere in its life, as a shop's
	// feed of many carriers sees them: so the events of a run are of all
	// stages in the proportions of parcels' lives, arrivals and
	// deliveries (which move the orders) among them.
	for i := 1; i <= parcels; i++ {
		f.next[i-1].Store(int32(splitmix64(uint64(i)) % uint64(len(benchParcelLife(i)))))
	}
	return f
}

// benchParcelLife is parcel i's life: accepted, one to three sorting
// centres, then by post to a pickup point (three in four picked up) or
// by courier to the door (one in ten at the second attempt).
func benchParcelLife(i int) []benchStep {
	life := []benchStep{{carrier.Accepted, "accepted", "Принято в отделении связи"}}
	for k := range 1 + i%3 {
		life = append(life, benchStep{carrier.InTransit, "in_transit." + strconv.Itoa(k+1), "Покинуло сортировочный центр"})
	}
	if i%5 < 2 {
		life = append(life, benchStep{carrier.ArrivedAtPickup, "arrived", "Прибыло в место вручения"})
		if i%4 != 0 {
			life = append(life, benchStep{carrier.Delivered, "delivered", "Вручение адресату"})
		}
		return life
	}
	life = append(life, benchStep{carrier.OutForDelivery, "out_for_delivery", "Передано курьеру"})
	if i%10 == 3 {
		life = append(life, benchStep{carrier.FailedAttempt, "failed_attempt", "Адресат отсутствует"},
			benchStep{carrier.OutForDelivery, "out_for_delivery.2", "Передано курьеру повторно"})
	}
	return append(life, benchStep{carrier.Delivered, "delivered", "Вручено"})
}

// benchParcelShipped is when parcel i was handed to its carrier, as seeded.
func benchParcelShipped(start time.Time, i int) time.Time {
	return start.Add(-96*time.Hour + time.Duration(i*7919%2880)*time.Minute)
}

// benchParcelTracking is parcel i's tracking number, as seeded.
func benchParcelTracking(i int) string {
	if i%5 < 2 {
		return fmt.Sprintf("RA%09dRU", i)
	}
	return fmt.Sprintf("CR%010d", i)
}

// benchEventJSON is one event of POST /api/v1/parcels/events.
type benchEventJSON struct {
	TrackingNumber string `json:"tracking_number"`
	Status         string `json:"status,omitempty"`
	At             string `json:"at"`
	Code           string `json:"code"`
	Description    string `json:"description,omitempty"`
	Location       string `json:"location,omitempty"`
}

// event is the k-th event of parcel i: its life's steps three hours
// apart, then notices (events that change no status) ten minutes apart;
// false when it would be dated after the feed's start.
func (f *benchParcelFeed) event(i, k int) (benchEventJSON, bool) {
	life := benchParcelLife(i)
	e := benchEventJSON{TrackingNumber: benchParcelTracking(i), Location: benchParcelLocations[(i+k)%len(benchParcelLocations)]}
	shipped := benchParcelShipped(f.start, i)
	var at time.Time
	if k < len(life) {
		s := life[k]
		at = shipped.Add(time.Duration(k+1)*benchParcelsStep + time.Duration(i%7)*time.Minute)
		e.Status, e.Code, e.Description = string(s.status), s.code, s.description
	} else {
		at = shipped.Add(time.Duration(len(life)+1)*benchParcelsStep + time.Duration(k-len(life)+1)*benchParcelsNotice)
		e.Code, e.Description = "notice", "Извещение отправлено получателю"
	}
	if !at.Before(f.start) {
		return e, false
	}
	e.At = at.In(f.loc).Format(time.RFC3339)
	return e, true
}

// take returns the next event of a random parcel whose life is not over.
func (f *benchParcelFeed) take(rng *rand.Rand) (benchEventJSON, bool) {
	for range 16 {
		i := 1 + rng.IntN(f.parcels)
		if e, ok := f.event(i, int(f.next[i-1].Add(1)-1)); ok {
			return e, true
		}
	}
	return benchEventJSON{}, false
}

type benchEventsOptions struct {
	base, token      string
	concurrency      int
	batch            int // events a request; 1 sends the event alone, not in {"events": [...]}
	warmup, duration time.Duration
	serverPID        int
	feed             *benchParcelFeed
}

// benchEventsTally counts requests' events and their answers' outcomes.
type benchEventsTally struct {
	requests, events, new, retries int
	stored, duplicates, unknown    int
	failed                         int // requests not answered 2xx
}

func (t *benchEventsTally) addTally(o benchEventsTally) {
	t.requests += o.requests
	t.events += o.events
	t.new += o.new
	t.retries += o.retries
	t.stored += o.stored
	t.duplicates += o.duplicates
	t.unknown += o.unknown
	t.failed += o.failed
}

func (c *benchParcelsCheck) add(t benchEventsTally) {
	c.Sent += t.events
	c.New += t.new
	c.Retries += t.retries
	c.Stored += t.stored
	c.Duplicates += t.duplicates
	c.Unknown += t.unknown
	c.Failed += t.failed
}

// benchEventsResult is what one mode of the load achieved.
type benchEventsResult struct {
	latencies          []time.Duration // of the measured 2xx answers, sorted
	measured           benchEventsTally
	all                benchEventsTally // warm-up included
	errors             int              // measured requests not answered 2xx
	firstError         string
	serverCPU, loadCPU time.Duration
}

func (r benchEventsResult) figures(batch int, warmup, duration time.Duration) benchParcelsLoad {
	lat := r.latencies
	secs := duration.Seconds()
	return benchParcelsLoad{Batch: batch, WarmupSeconds: warmup.Seconds(), DurationSeconds: secs,
		Requests: len(lat), RequestsPerSecond: math.Round(float64(len(lat)) / secs),
		Events: r.measured.events, EventsPerSecond: math.Round(float64(r.measured.events) / secs),
		Stored: r.measured.stored, Duplicates: r.measured.duplicates, Unknown: r.measured.unknown,
		Errors: r.errors, FirstError: r.firstError,
		P50MS: ms(percentile(lat, 0.50)), P90MS: ms(percentile(lat, 0.90)), P99MS: ms(percentile(lat, 0.99)), MaxMS: ms(percentile(lat, 1)),
		ServerCPUCores: math.Round(100*r.serverCPU.Seconds()/secs) / 100, LoadCPUCores: math.Round(100*r.loadCPU.Seconds()/secs) / 100}
}

// benchEvents runs the clients of one mode as benchLoad runs bench api's:
// each sends a request, waits for its answer and sends the next until
// warmup+duration has passed; requests started in the warm-up are left
// out of the figures but not out of the tally of what was stored.
func benchEvents(ctx context.Context, o benchEventsOptions) (benchEventsResult, error) {
	transport := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * o.concurrency,
		MaxIdleConnsPerHost: 2 * o.concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: benchRequestTimeout}

	from := time.Now().Add(o.warmup)
	end := from.Add(o.duration)
	reqCtx, cancel := context.WithDeadline(ctx, end.Add(benchRequestTimeout))
	defer cancel()
	workers := make([]benchEventWorker, o.concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.rng = rand.New(rand.NewPCG(uint64(i)+1, uint64(o.batch)))
		wg.Go(func() { w.run(reqCtx, client, o, from, end) })
	}
	var res benchEventsResult
	res.serverCPU, res.loadCPU = benchCPUDuring(ctx, o.serverPID, from, end)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return benchEventsResult{}, fmt.Errorf("load interrupted: %w", err)
	}
	var firstAt time.Time
	for i := range workers {
		w := &workers[i]
		if w.err != nil {
			return benchEventsResult{}, w.err
		}
		res.latencies = append(res.latencies, w.latencies...)
		res.measured.addTally(w.measured)
		res.all.addTally(w.all)
		res.errors += w.errors
		if w.firstError != "" && (firstAt.IsZero() || w.firstErrorAt.Before(firstAt)) {
			res.firstError, firstAt = w.firstError, w.firstErrorAt
		}
	}
	slices.Sort(res.latencies)
	return res, nil
}

// benchEventWorker is one client of the event load.
type benchEventWorker struct {
	rng          *rand.Rand
	recent       []benchEventJSON // events sent, to retry
	latencies    []time.Duration
	measured     benchEventsTally
	all          benchEventsTally
	errors       int
	firstError   string
	firstErrorAt time.Time
	err          error
}

func (w *benchEventWorker) run(ctx context.Context, client *http.Client, o benchEventsOptions, from, end time.Time) {
	url := o.base + "/api/v1/parcels/events"
	events := make([]benchEventJSON, 0, o.batch)
	for ctx.Err() == nil {
		var req benchEventsTally
		events = events[:0]
		for range o.batch {
			if len(w.recent) > 0 && w.rng.IntN(benchParcelsRetry) == 0 {
				events = append(events, w.recent[w.rng.IntN(len(w.recent))])
				req.retries++
				continue
			}
			e, ok := o.feed.take(w.rng)
			if !ok {
				w.err = errors.New("the parcels' lives are over: seed more --orders or measure for less --duration")
				return
			}
			events = append(events, e)
			req.new++
			if len(w.recent) < benchParcelsRecent {
				w.recent = append(w.recent, e)
			} else {
				w.recent[w.rng.IntN(benchParcelsRecent)] = e
			}
		}
		var body []byte
		var err error
		if o.batch == 1 {
			body, err = json.Marshal(events[0])
		} else {
			body, err = json.Marshal(struct {
				Events []benchEventJSON `json:"events"`
			}{events})
		}
		if err != nil {
			w.err = fmt.Errorf("encode events: %w", err)
			return
		}
		t0 := time.Now()
		if !t0.Before(end) {
			return
		}
		ans, failure := benchPostEvents(ctx, client, url, o.token, body)
		took := time.Since(t0)
		req.requests = 1
		if failure == "" {
			req.events = len(events)
			req.stored, req.duplicates, req.unknown = ans.Stored, ans.Duplicates, ans.Unknown
		} else {
			req.failed = 1
		}
		w.all.addTally(req)
		switch {
		case t0.Before(from):
		case failure == "":
			w.latencies = append(w.latencies, took)
			w.measured.addTally(req)
		default:
			w.errors++
			if w.firstError == "" {
				w.firstError, w.firstErrorAt = failure, t0
			}
		}
	}
}

// benchEventsAnswer is the part of the answer the load reads.
type benchEventsAnswer struct {
	Stored     int `json:"stored"`
	Duplicates int `json:"duplicates"`
	Unknown    int `json:"unknown"`
}

// benchPostEvents sends events; it returns the answer's counts, or what
// went wrong (the status and the start of the body).
func benchPostEvents(ctx context.Context, client *http.Client, url, token string, body []byte) (benchEventsAnswer, string) {
	var ans benchEventsAnswer
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return ans, err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return ans, err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 2<<10))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return ans, resp.Status + ": " + strings.TrimSpace(string(b))
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return ans, "read the answer: " + err.Error()
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return ans, ""
}

// benchParcelsPrint writes the report.
func benchParcelsPrint(w io.Writer, fig *benchParcelsFigures) {
	fmt.Fprintf(w, "shopcare bench parcels (%s)\n", fig.benchMachine)
	s := fig.Seed
	fmt.Fprintf(w, "  store           %d customers, %d shipped orders with a parcel each, %d open orders\n",
		fig.Customers, fig.Orders, fig.OpenOrders)
	fmt.Fprintf(w, "  seeding         customers %.1fs, shipped orders and parcels %.1fs, open orders %.1fs, their indexes and keys %.1fs, statistics %.1fs\n",
		s.Customers, s.Shipped, s.OpenOrders, s.Indexes, s.Analyze)
	for _, l := range []benchParcelsLoad{fig.Single, fig.Batched} {
		mode := "1 event a request"
		if l.Batch > 1 {
			mode = strconv.Itoa(l.Batch) + " events a request"
		}
		flag := ""
		if l.EventsPerSecond < benchParcelsRate {
			flag = "  under target"
		}
		fmt.Fprintf(w, "  events, %s: POST /api/v1/parcels/events, %.0fs warm-up, %.0fs measured\n", mode, l.WarmupSeconds, l.DurationSeconds)
		fmt.Fprintf(w, "    throughput    %.0f events/s (target >= %d)%s, %.0f requests/s; %d stored, %d duplicates, %d unknown; %d errors\n",
			l.EventsPerSecond, benchParcelsRate, flag, l.RequestsPerSecond, l.Stored, l.Duplicates, l.Unknown, l.Errors)
		fmt.Fprintf(w, "    latency       p50 %.1fms  p90 %.1fms  p99 %.1fms  max %.1fms\n", l.P50MS, l.P90MS, l.P99MS, l.MaxMS)
		if l.ServerCPUCores > 0 {
			fmt.Fprintf(w, "    CPU           server %.2f cores, load generator %.2f cores (of %d)\n", l.ServerCPUCores, l.LoadCPUCores, fig.CPUs)
		}
		if l.FirstError != "" {
			fmt.Fprintf(w, "    first error   %s\n", l.FirstError)
		}
	}
	ck := fig.Check
	verdict := "the rows match what the server said it stored"
	if !ck.OK {
		verdict = "MISMATCH"
	}
	fmt.Fprintf(w, "  stored events   parcel_events holds %d rows; the server said it stored %d (warm-ups included): %s\n", ck.Rows, ck.Stored, verdict)
	fmt.Fprintf(w, "                  sent %d new events and %d retries; %d answered duplicate, %d unknown; %d requests failed\n",
		ck.New, ck.Retries, ck.Duplicates, ck.Unknown, ck.Failed)
	fmt.Fprintf(w, "  shipped orders  after the events: %s\n", benchByStatus(fig.Moved))
	if fig.ServerRSSMiB > 0 {
		fmt.Fprintf(w, "  server memory   %.1f MiB RSS after the load, %.1f MiB at its peak\n", fig.ServerRSSMiB, fig.ServerPeakMiB)
	}
	fmt.Fprintf(w, "  serve start-up  %.0fms to the first 200 from /healthz\n", fig.ServeStartupMS)

	wt := fig.Watch
	fmt.Fprintf(w, "  promise watch   Orders.Watch in-process, today %s; open orders: %s\n", wt.Today, benchByStatus(wt.ByStatus))
	fmt.Fprintf(w, "    first pass    %8.1f ms  %d at risk, %d late (the backlog of the 30-day lookback)\n", wt.Backlog.MS, wt.Backlog.AtRisk, wt.Backlog.Late)
	if len(wt.Daily) > 0 {
		d := wt.Daily[0]
		flag := ""
		if d.MS >= float64(benchParcelsSweep.Milliseconds()) {
			flag = "  over target"
		}
		fmt.Fprintf(w, "    daily pass    %8.1f ms  %d at risk, %d late, a day on (target < %s)%s\n", d.MS, d.AtRisk, d.Late, benchParcelsSweep, flag)
	}
	fmt.Fprintf(w, "    daily passes  %d, a day apart: p50 %.1f ms, max %.1f ms;", len(wt.Daily), wt.DailyP50, wt.DailyMax)
	for _, d := range wt.Daily {
		fmt.Fprintf(w, " %d+%d", d.AtRisk, d.Late)
	}
	fmt.Fprintln(w, " at risk+late")
	found := 0
	for _, p := range wt.Idle {
		found += p.AtRisk + p.Late
	}
	fmt.Fprintf(w, "    idle passes   %d, five minutes apart: p50 %.1f ms, max %.1f ms (%d orders found)\n", len(wt.Idle), wt.IdleP50, wt.IdleMax, found)
	pw := fig.ParcelWatch
	fmt.Fprintf(w, "  parcel watch    Parcels.Watch at %s over %d parcels: first pass %.1f ms (%d reminded, %d stuck), the next %.1f ms\n",
		pw.At, pw.Parcels, pw.FirstMS, pw.Reminded, pw.Stuck, pw.NextMS)
}

// benchByStatus lists counts by order status, in the lifecycle's order.
func benchByStatus(m map[string]int) string {
	var parts []string
	for _, st := range order.Statuses {
		if n, ok := m[string(st)]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", st, n))
		}
	}
	return strings.Join(parts, ", ")
}
