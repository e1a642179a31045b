package bench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/csvimport"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// Pages measures the admin pages' server time on a store as big as
// a shop three years and a million orders old. Unlike the other
// benchmarks it runs in this process: it seeds the store through the
// domain (the CSV import's path for the history, order intake and the
// journal for the live orders), then calls the handler serve runs with
// httptest, so the times are the server's alone.
type Pages struct {
	Orders    int    // Orders of history to import (three years, as bench import generates them).
	Customers int    // Customers the history belongs to (at most 10,000,000).
	Callbacks int    // Live orders of the last day and a half left new, each with its call-back open.
	Packing   int    // Live orders more whose call-back reached the customer, waiting in processing to be packed.
	Requests  int    // Requests per page, each with its own parameters.
	Reuse     string // Measure the store a --keep run left (its directory for SQLite, its schema with --database-url) instead of seeding one.
	Keep      bool   // Keep the temporary directory (SQLite database) and the PostgreSQL schema.
	Profile   string // Write a CPU profile of the measured requests to this file (go tool pprof reads it).
	JSON      bool   // Print the figures as JSON on standard output (the report goes to standard error).
}

// benchPagesNow is the bench shop's "now": Monday 23 November 2026, 12:00
// UTC (15:00 in Moscow). The history ends at midnight before it, so the
// last two weeks' orders are on their way and some are at risk or late.
var benchPagesNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// benchPagesTarget is the target for a page's p95 server time.
const benchPagesTarget = 100 * time.Millisecond

// benchPagesFigures are the figures of bench pages.
type benchPagesFigures struct {
	benchMachine
	Orders       int               `json:"orders"`
	Customers    int               `json:"customers"`
	Seeded       bool              `json:"seeded"`
	Seed         *benchSeedFigures `json:"seed,omitempty"`
	Work         benchWork         `json:"open_work"`
	Requests     int               `json:"requests_per_page"`
	Pages        []benchPageFigure `json:"pages"`
	Skipped      []string          `json:"skipped,omitempty"`
	Scripts      []benchScript     `json:"scripts"`
	ScriptsGzip  int               `json:"scripts_gzip_bytes"`
	ScriptsBytes int               `json:"scripts_bytes"`
}

// benchSeedFigures time the seeding's steps, in seconds.
type benchSeedFigures struct {
	History   float64 `json:"history_seconds"`
	Live      float64 `json:"live_orders_seconds"`
	Journal   float64 `json:"journal_seconds"`
	Callbacks float64 `json:"callbacks_reached_seconds"`
	Analyze   float64 `json:"analyze_seconds"`
	Total     float64 `json:"total_seconds"`
	Rejected  int64   `json:"rejected"`
}

// benchWork is the open work the pages show.
type benchWork struct {
	ByStatus      map[string]int `json:"orders_by_status"`
	OpenCallbacks int            `json:"open_callbacks"`
	AtRisk        int            `json:"at_risk"`
	Late          int            `json:"late"`
	Messages      int            `json:"messages"`
}

// benchPageFigure is one page's server times.
type benchPageFigure struct {
	Page     string  `json:"page"`
	Requests int     `json:"requests"`
	P50MS    float64 `json:"p50_ms"`
	P95MS    float64 `json:"p95_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
	KiB      float64 `json:"avg_kib"`
	Slowest  string  `json:"slowest"` // the request that took MaxMS
}

// benchScript is one JavaScript file the admin pages load.
type benchScript struct {
	File      string `json:"file"`
	Bytes     int    `json:"bytes"`
	GzipBytes int    `json:"gzip_bytes"`
	Loaded    bool   `json:"loaded"` // referenced by a measured page (else only found on disk)
}

// Run seeds a fresh store (or opens the one --reuse names), signs in as an
// owner and requests every admin page --requests times.
func (c *Pages) Run(g *Env) error {
	if c.Orders < 1 || c.Customers < 1 || c.Customers > 10_000_000 || c.Callbacks < 0 || c.Packing < 0 || c.Requests < 1 {
		return errors.New("bench pages needs --orders and --requests of at least 1, --customers between 1 and 10,000,000, " +
			"and --callbacks and --packing of at least 0")
	}
	return runReusable(g, "bench pages", c.Keep, c.Reuse, c.run)
}

func (c *Pages) run(ctx context.Context, g *Env, st *benchStore, seed bool) error {
	settings, err := g.settings()
	if err != nil {
		return err
	}
	// The app logs warnings and errors only: a page that fails says why.
	log := slog.New(slog.NewTextHandler(g.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	open := func() (*app.App, error) {
		return app.Open(ctx, app.Options{
			Store:    store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")},
			Settings: settings,
			Clock:    clock.NewFake(benchPagesNow),
			Log:      log,
		})
	}

	fig := benchPagesFigures{benchMachine: newBenchMachine(st.engine()), Seeded: seed, Requests: c.Requests}
	if seed {
		fmt.Fprintf(g.Stderr, "bench pages: seeding a fresh %s store: %s\n", st.engine(), st.where())
		a, err := open()
		if err != nil {
			return err
		}
		fig.Seed, err = c.seed(ctx, g.Stderr, a)
		if err = errors.Join(err, a.Stop(context.Background())); err != nil {
			return err
		}
	}
	// The pages are measured on a store opened afresh, as serve opens it
	// after an import: its connections read the planner's statistics
	// as they are now, not as they were when the tables were small.
	a, err := open()
	if err != nil {
		return err
	}
	defer a.Stop(context.Background())
	if fig.Work, err = benchCountWork(ctx, a); err != nil {
		return err
	}
	for _, n := range fig.Work.ByStatus {
		fig.Orders += n
	}
	if fig.Customers, err = customer.CountAll(ctx, a.DB.Read()); err != nil {
		return err
	}

	pb, err := newPageBench(ctx, a, g.Handler(a))
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stderr, "bench pages: %d orders, %d customers; %d requests per page, in-process\n",
		fig.Orders, fig.Customers, c.Requests)
	smp, err := benchSample(ctx, a, c.Requests)
	if err != nil {
		return err
	}
	if c.Profile != "" {
		stopProfile, err := benchProfile(c.Profile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if fig.Pages, fig.Skipped, err = pb.measure(ctx, benchPagesList(smp), c.Requests); err != nil {
		return err
	}
	fig.Scripts = pb.scripts(benchStaticDir())
	for _, s := range fig.Scripts {
		if s.Loaded {
			fig.ScriptsGzip += s.GzipBytes
			fig.ScriptsBytes += s.Bytes
		}
	}

	w := benchReport(g, c.JSON)
	benchPagesPrint(w, &fig)
	if c.JSON {
		return benchPrintJSON(g.Stdout, fig)
	}
	return nil
}

// seed fills the store: the history through the CSV import's path, the
// live orders through intake, then the journal drained (customers'
// figures, call-back tasks, messages) and --packing of the call-backs
// reached, the way an operator records them.
func (c *Pages) seed(ctx context.Context, progress io.Writer, a *app.App) (*benchSeedFigures, error) {
	var fig benchSeedFigures
	t0 := time.Now()
	step := func(took *float64, since time.Time) {
		*took = round1(time.Since(since).Seconds())
	}

	fmt.Fprintf(progress, "bench pages: importing %d orders of %d customers (history)\n", c.Orders, c.Customers)
	t := time.Now()
	sum, err := benchImportHistory(ctx, a, c.Orders, c.Customers, progress)
	if err != nil {
		return nil, err
	}
	step(&fig.History, t)
	fig.Rejected = sum.Rejected
	fmt.Fprintf(progress, "bench pages: history: %d imported, %d rejected in %.1fs\n", sum.Imported, sum.Rejected, fig.History)

	live := c.Callbacks + c.Packing
	fmt.Fprintf(progress, "bench pages: placing %d live orders\n", live)
	t = time.Now()
	if err := benchPlaceLive(ctx, a, live, c.Customers); err != nil {
		return nil, err
	}
	step(&fig.Live, t)

	fmt.Fprintln(progress, "bench pages: draining the journal (customers' figures, call-back tasks, messages)")
	t = time.Now()
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		return nil, fmt.Errorf("drain the journal: %w", err)
	}
	step(&fig.Journal, t)

	fmt.Fprintf(progress, "bench pages: recording %d call-backs as reached (their orders go to processing)\n", c.Packing)
	t = time.Now()
	if err := benchReachCallbacks(ctx, a, c.Packing); err != nil {
		return nil, err
	}
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		return nil, fmt.Errorf("drain the journal: %w", err)
	}
	step(&fig.Callbacks, t)

	t = time.Now()
	if err := benchAnalyze(ctx, a.DB); err != nil {
		return nil, err
	}
	step(&fig.Analyze, t)
	step(&fig.Total, t0)
	return &fig, nil
}

// benchImportHistory streams the generated orders CSV straight into the
// importer, as `shopcare import orders` would read it from a file. The
// generator's last two weeks are new, processing and shipped orders in
// thirds; here they are all shipped, with their promised day, because the
// live orders are the work in progress (call-backs, packing).
func benchImportHistory(ctx context.Context, a *app.App, orders, customers int, progress io.Writer) (csvimport.Summary, error) {
	gen := newBenchOrders(orders, customers)
	shift := benchPagesNow.Truncate(24 * time.Hour).Sub(gen.end)
	gen.start, gen.end = gen.start.Add(shift), gen.end.Add(shift)

	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 256<<10)
		cw := csv.NewWriter(bw)
		err := cw.Write(benchCSVHeader)
		rec := make([]string, len(benchCSVHeader))
		next := orders / 10
		for i := 1; i <= orders && err == nil; i++ {
			gen.row(i, rec)
			if rec[9] == "new" || rec[9] == "processing" {
				rec[9] = "shipped"
				if rec[14] == "" {
					rec[14] = benchPromisedDay(rec[8])
				}
			}
			err = cw.Write(rec)
			if i == next && i < orders {
				fmt.Fprintf(progress, "bench pages: history %d%%\n", i*100/orders)
				next += orders / 10
			}
		}
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	sum, err := csvimport.New(a.Deps(), csvimport.Params{Orders: a.Orders}).Import(ctx, pr, io.Discard, csvimport.Options{Encoding: csvimport.EncodingUTF8})
	_ = pr.CloseWithError(errors.New("import stopped"))
	if err != nil {
		return sum, fmt.Errorf("import the history: %w", err)
	}
	return sum, nil
}

// benchPromisedDay is four days after the order's local day (created is
// RFC 3339 with the customer's offset).
func benchPromisedDay(created string) string {
	t, err := time.Parse(time.RFC3339, created)
	if err != nil {
		return ""
	}
	return time.Date(t.Year(), t.Month(), t.Day()+4, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// benchPlaceLive places n live orders through intake, spread over the day
// and a half before now: two in five from new customers, the rest from
// customers of the history. They are not history, so the playbook gives
// each a call-back task and messages when the journal is drained.
func benchPlaceLive(ctx context.Context, a *app.App, n, customers int) error {
	rng := rand.New(rand.NewPCG(20261123, 2))
	span := 36 * time.Hour
	const batch = 500
	for from := 0; from < n; from += batch {
		orders := make([]order.NewOrder, 0, batch)
		for j := from; j < min(from+batch, n); j++ {
			k := 1 + rng.IntN(customers)
			if rng.IntN(5) < 2 {
				k = customers + 1 + j
			}
			p := benchPersonFor(k)
			o := order.NewOrder{
				ExternalID: "w-" + strconv.Itoa(j+1),
				PlacedAt:   benchPagesNow.Add(-span + time.Duration(j)*span/time.Duration(max(n, 1))),
				Customer: customer.Input{ExternalID: p.ExternalID, Name: p.Name, Email: p.Email, Phone: p.Phone,
					Language: p.Language, Country: p.Country, City: p.City},
				Currency: p.Currency, Carrier: "courier", Channel: "web",
				Payment: order.Payment{Method: "cod"},
			}
			if rng.IntN(3) == 0 {
				o.Carrier = "post"
			}
			if rng.IntN(2) == 0 {
				o.Payment = order.Payment{Method: "prepaid", Paid: true}
			}
			if rng.IntN(2) == 0 {
				o.Address = p.City + ", ул. Садовая, д. " + strconv.Itoa(1+rng.IntN(120)) + ", кв. " + strconv.Itoa(1+rng.IntN(200))
			}
			for range 1 + rng.IntN(3) {
				pr := benchCatalogue[rng.IntN(len(benchCatalogue))]
				it := order.Item{SKU: pr.sku, Name: pr.name, Qty: int64(1 + rng.IntN(2)), PriceMinor: pr.priceMinor}
				if p.Currency == "EUR" {
					it.PriceMinor /= 90
				}
				if pr.sku == "BRD-OAK" {
					it.MadeToOrder, it.ProductionDays = true, 3
				}
				o.Items = append(o.Items, it)
			}
			if err := order.Normalize(&o, a.Settings, order.APIFields); err != nil {
				return fmt.Errorf("live order %s: %w", o.ExternalID, err)
			}
			orders = append(orders, o)
		}
		err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			_, err := a.Orders.CreateBatch(ctx, tx, orders, order.SourceAPI)
			return err
		})
		if err != nil {
			return fmt.Errorf("place live orders %d-%d: %w", from+1, from+len(orders), err)
		}
	}
	return nil
}

// benchReachCallbacks records the first n call-backs of the queue as
// reached, as an operator working through it would: each order moves to
// processing, into the packing queue.
func benchReachCallbacks(ctx context.Context, a *app.App, n int) error {
	if n == 0 {
		return nil
	}
	ids, err := task.OpenCallbackIDs(ctx, a.DB.Read(), n)
	if err != nil {
		return err
	}
	windows := a.Callbacks.Windows()
	for i, id := range ids {
		in := callback.ReachedInput{Address: "ул. Ленина, д. " + strconv.Itoa(1+i%90) + ", кв. " + strconv.Itoa(1+i%150)}
		if len(windows) > 0 {
			in.Window = windows[i%len(windows)].Code
		}
		if _, err := a.Callbacks.Reached(ctx, id, in, "bench@shopcare.invalid"); err != nil {
			return fmt.Errorf("reach call-back %d: %w", id, err)
		}
	}
	return nil
}

// benchAnalyze leaves the store as a shop's database is after a while:
// PostgreSQL's autovacuum would have vacuumed and analysed every table
// after this many inserts (the bench machine runs it off, so VACUUM
// ANALYZE of the bench schema's tables stands in; without it no index
// scan is index-only); SQLite gets what the import gives it, PRAGMA
// optimize.
func benchAnalyze(ctx context.Context, db *store.DB) error {
	if db.Engine() != store.Postgres {
		if err := db.Analyze(ctx); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return nil
	}
	rows, err := db.PgxPool().Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return fmt.Errorf("vacuum: list tables: %w", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("vacuum: list tables: %w", err)
	}
	for _, t := range tables {
		if _, err := db.PgxPool().Exec(ctx, "VACUUM ANALYZE "+pgx.Identifier{t}.Sanitize()); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	return nil
}

// benchCountWork counts the orders by status and the open work.
func benchCountWork(ctx context.Context, a *app.App) (benchWork, error) {
	q := a.DB.Read()
	var w benchWork
	var err error
	if w.ByStatus, err = order.CountByStatus(ctx, q); err != nil {
		return w, err
	}
	today := a.Orders.Today()
	d, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return w, fmt.Errorf("today %q: %w", today, err)
	}
	graceEnd := d.AddDate(0, 0, -a.Settings.Compensation.LateGraceDays).Format(time.DateOnly)
	if w.OpenCallbacks, err = task.CountOpenCallbacks(ctx, q); err != nil {
		return w, fmt.Errorf("count the open work: %w", err)
	}
	if w.AtRisk, err = order.CountOpenPromisedBetween(ctx, q, graceEnd, today); err != nil {
		return w, fmt.Errorf("count the open work: %w", err)
	}
	if w.Late, err = order.CountOpenPromisedBefore(ctx, q, graceEnd); err != nil {
		return w, fmt.Errorf("count the open work: %w", err)
	}
	if w.Messages, err = message.CountAll(ctx, q); err != nil {
		return w, fmt.Errorf("count the open work: %w", err)
	}
	return w, nil
}

// benchSamples are the parameters the pages are requested with: random
// orders and customers of the store, drawn once.
type benchSamples struct {
	orders    []benchSampleOrder
	customers []int64
	loc       *time.Location
}

type benchSampleOrder struct {
	id         int64
	customerID int64
	externalID string
	placedAt   time.Time
	name       string
	phone      string
}

// benchSample draws n random orders (with their customers) and n random
// customers.
func benchSample(ctx context.Context, a *app.App, n int) (*benchSamples, error) {
	q := a.DB.Read()
	maxOrder, err := order.MaxID(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sample orders: %w", err)
	}
	maxCustomer, err := customer.MaxID(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sample customers: %w", err)
	}
	if maxOrder == 0 {
		return nil, errors.New("sample orders: the store has none")
	}
	rng := rand.New(rand.NewPCG(5, 5))
	s := &benchSamples{loc: a.Settings.Shop.Location()}
	for range n {
		so, err := order.SampleFrom(ctx, q, 1+rng.Int64N(maxOrder))
		if err != nil {
			return nil, fmt.Errorf("sample orders: %w", err)
		}
		c, err := customer.Get(ctx, q, so.CustomerID)
		if err != nil {
			return nil, fmt.Errorf("sample orders: %w", err)
		}
		s.orders = append(s.orders, benchSampleOrder{id: so.ID, customerID: so.CustomerID, externalID: so.ExternalID, placedAt: so.PlacedAt, name: c.Name, phone: c.Phone})
		id, err := customer.IDFrom(ctx, q, 1+rng.Int64N(maxCustomer))
		if err != nil {
			return nil, fmt.Errorf("sample customers: %w", err)
		}
		s.customers = append(s.customers, id)
	}
	return s, nil
}

// surnamePrefix is the start of the sample's last name, three letters or
// more, as someone types it.
func (o benchSampleOrder) surnamePrefix(i int) string {
	words := strings.Fields(o.name)
	if len(words) == 0 {
		return o.externalID
	}
	last := []rune(words[len(words)-1])
	n := min(len(last), 3+i%4)
	p := string(last[:n])
	if i%2 == 0 {
		p = strings.ToLower(p)
	}
	return p
}

// fullName is the first name and a prefix of the last name.
func (o benchSampleOrder) fullName(i int) string {
	words := strings.Fields(o.name)
	if len(words) < 2 {
		return o.surnamePrefix(i)
	}
	return words[0] + " " + o.surnamePrefix(i)
}

// phoneQuery is the phone as someone types it: in full as stored, the
// national number, or its first seven digits.
func (o benchSampleOrder) phoneQuery(i int) string {
	d := strings.TrimPrefix(o.phone, "+")
	if len(d) < 10 {
		return o.externalID
	}
	national := d[len(d)-10:]
	switch i % 3 {
	case 0:
		return o.phone
	case 1:
		return national
	default:
		return national[:7]
	}
}

// benchPage is one page of the admin, requested with the i-th parameters.
type benchPage struct {
	name     string
	path     func(i int) string
	optional bool // a 404 means the route is not there yet: skipped with a note
	// customer, when set, makes the request a customer's on their own
	// page (/my), signed in as the customer it returns, not the owner.
	customer func(i int) int64
}

func benchPagesList(s *benchSamples) []benchPage {
	ord := func(i int) benchSampleOrder { return s.orders[i%len(s.orders)] }
	q := func(v string) string { return url.QueryEscape(v) }
	fixed := func(p string) func(int) string { return func(int) string { return p } }
	return []benchPage{
		{name: "/orders", path: fixed("/orders")},
		{name: "/orders?after=<cursor> (deep page)", path: func(i int) string {
			o := ord(i)
			return "/orders?after=" + q(order.ListItem{ID: o.id, PlacedAt: o.placedAt}.Cursor())
		}},
		{name: "/orders?status=processing", path: fixed("/orders?status=processing")},
		{name: "/orders?status=<each status>", path: func(i int) string {
			return "/orders?status=" + string(order.Statuses[i%len(order.Statuses)])
		}},
		{name: "/orders?state=late", path: fixed("/orders?state=late")},
		{name: "/orders?state=at_risk", path: fixed("/orders?state=at_risk")},
		{name: "/orders?from=..&to=.. (a week)", path: func(i int) string {
			from := ord(i).placedAt.In(s.loc)
			return "/orders?from=" + from.Format(time.DateOnly) + "&to=" + from.AddDate(0, 0, 6).Format(time.DateOnly)
		}},
		{name: "/orders?q=<order number>", path: func(i int) string { return "/orders?q=" + q(ord(i).externalID) }},
		{name: "/orders?q=<surname prefix>", path: func(i int) string { return "/orders?q=" + q(ord(i).surnamePrefix(i)) }},
		{name: "/orders?q=<first name> <surname prefix>", path: func(i int) string { return "/orders?q=" + q(ord(i).fullName(i)) }},
		{name: "/orders?q=<phone digits>", path: func(i int) string { return "/orders?q=" + q(ord(i).phoneQuery(i)) }},
		{name: "/orders/{id}", path: func(i int) string { return "/orders/" + strconv.FormatInt(ord(i).id, 10) }},
		{name: "/customers", path: fixed("/customers")},
		{name: "/customers?q=<first name> <surname prefix>", path: func(i int) string { return "/customers?q=" + q(ord(i).fullName(i)) }},
		{name: "/customers?q=<surname prefix>", path: func(i int) string { return "/customers?q=" + q(ord(i).surnamePrefix(i)) }},
		{name: "/customers/{id}", path: func(i int) string {
			return "/customers/" + strconv.FormatInt(s.customers[i%len(s.customers)], 10)
		}},
		{name: "/callbacks", path: fixed("/callbacks"), optional: true},
		{name: "/packing", path: fixed("/packing"), optional: true},
		{name: "/outbox", path: fixed("/outbox")},
		{name: "/my (a customer's own page: their orders)", path: fixed("/my"),
			customer: func(i int) int64 { return ord(i).customerID }},
		{name: "/my/orders/{id} (the customer's order)", path: func(i int) string { return "/my/orders/" + strconv.FormatInt(ord(i).id, 10) },
			customer: func(i int) int64 { return ord(i).customerID }},
		{name: "/my/help", path: fixed("/my/help")},
	}
}

// pageBench requests pages of the handler serve runs as a signed-in
// owner, and the customer's own pages as their customer.
type pageBench struct {
	handler   http.Handler
	cookie    *http.Cookie
	scriptSrc map[string]bool // the scripts the pages load, by URL
	signins   *signin.Service
	customers map[int64]*http.Cookie // the customers' sessions, made on first use
}

func newPageBench(ctx context.Context, a *app.App, handler http.Handler) (*pageBench, error) {
	const email = "bench-owner@shopcare.invalid"
	now := a.Clock.Now()
	if err := auth.UserAdd(ctx, a.DB, email, secret.Token(), auth.Owner, now); err != nil {
		return nil, fmt.Errorf("add the bench's owner: %w", err)
	}
	users, err := auth.UserList(ctx, a.DB.Read())
	if err != nil {
		return nil, fmt.Errorf("load the bench's owner: %w", err)
	}
	i := slices.IndexFunc(users, func(u auth.User) bool { return u.Email == email })
	if i < 0 {
		return nil, errors.New("load the bench's owner: not found")
	}
	id := users[i].ID
	// A session is human time (the admin checks it against the real clock),
	// not the business time of the app's fake clock.
	s, err := auth.SessionCreate(ctx, a.DB, id, time.Now())
	if err != nil {
		return nil, err
	}
	return &pageBench{handler: handler, cookie: &http.Cookie{Name: "shopcare_session", Value: s.Token},
		scriptSrc: map[string]bool{}, signins: a.SignIns, customers: map[int64]*http.Cookie{}}, nil
}

// as returns the cookie page p's i-th request carries: the owner's, or
// for a customer's own page a session of that customer (made once; real
// time, as the admin's).
func (pb *pageBench) as(ctx context.Context, p benchPage, i int) (*http.Cookie, error) {
	if p.customer == nil {
		return pb.cookie, nil
	}
	id := p.customer(i)
	if c, ok := pb.customers[id]; ok {
		return c, nil
	}
	s, err := pb.signins.SessionCreate(ctx, id, signin.ViaCode, time.Now())
	if err != nil {
		return nil, fmt.Errorf("sign customer %d in: %w", id, err)
	}
	c := &http.Cookie{Name: "shopcare_my", Value: s.Token}
	pb.customers[id] = c
	return c, nil
}

// get requests path with the cookie (nil for none) and returns the
// status, the server time and the body.
func (pb *pageBench) get(ctx context.Context, path string, cookie *http.Cookie) (int, time.Duration, []byte) {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	t0 := time.Now()
	pb.handler.ServeHTTP(rec, req)
	took := time.Since(t0)
	return rec.Code, took, rec.Body.Bytes()
}

var benchScriptTag = regexp.MustCompile(`<script[^>]*\ssrc="([^"]+)"`)

// measure requests each page once to check it is there, warms each up,
// then requests them round-robin, n rounds, each round with its own
// parameters, so every page meets caches the others have used.
func (pb *pageBench) measure(ctx context.Context, pages []benchPage, n int) ([]benchPageFigure, []string, error) {
	var live []benchPage
	var skipped []string
	for _, p := range pages {
		cookie, err := pb.as(ctx, p, 0)
		if err != nil {
			return nil, nil, err
		}
		code, _, body := pb.get(ctx, p.path(0), cookie)
		switch {
		case code == http.StatusNotFound && p.optional:
			skipped = append(skipped, p.name+": 404, the route is not there yet")
			continue
		case code != http.StatusOK:
			return nil, nil, fmt.Errorf("GET %s: %d: %.300s", p.path(0), code, body)
		}
		for _, m := range benchScriptTag.FindAllSubmatch(body, -1) {
			pb.scriptSrc[string(m[1])] = true
		}
		live = append(live, p)
	}
	const warm = 5
	times := make([][]time.Duration, len(live))
	sizes := make([]int, len(live))
	slowest := make([]string, len(live))
	longest := make([]time.Duration, len(live))
	for round := -warm; round < n; round++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for k, p := range live {
			path := p.path(max(round, 0) + 1)
			cookie, err := pb.as(ctx, p, max(round, 0)+1)
			if err != nil {
				return nil, nil, err
			}
			code, took, body := pb.get(ctx, path, cookie)
			if code != http.StatusOK {
				return nil, nil, fmt.Errorf("GET %s: %d: %.300s", path, code, body)
			}
			if round >= 0 {
				times[k] = append(times[k], took)
				sizes[k] += len(body)
				if took > longest[k] {
					longest[k], slowest[k] = took, path
				}
			}
		}
	}
	out := make([]benchPageFigure, len(live))
	for k, p := range live {
		lat := times[k]
		slices.Sort(lat)
		out[k] = benchPageFigure{Page: p.name, Requests: len(lat),
			P50MS: ms(percentile(lat, 0.50)), P95MS: ms(percentile(lat, 0.95)), P99MS: ms(percentile(lat, 0.99)),
			MaxMS: ms(percentile(lat, 1)), KiB: round1(float64(sizes[k]) / float64(len(lat)) / 1024), Slowest: slowest[k]}
	}
	return out, skipped, nil
}

// scripts measures the JavaScript the pages load, as served (the embedded
// files under their hashed names), and lists any other .js file under dir
// (the source tree's internal/web/static, when the bench runs there).
func (pb *pageBench) scripts(dir string) []benchScript {
	var out []benchScript
	seen := map[string]bool{}
	srcs := make([]string, 0, len(pb.scriptSrc))
	for src := range pb.scriptSrc {
		srcs = append(srcs, src)
	}
	slices.Sort(srcs)
	for _, src := range srcs {
		code, _, body := pb.get(context.Background(), src, nil)
		if code != http.StatusOK {
			continue
		}
		name := path.Base(src)
		out = append(out, benchScript{File: name, Bytes: len(body), GzipBytes: gzipSize(body), Loaded: true})
		seen[benchUnhashed(name)] = true
	}
	if dir == "" {
		return out
	}
	// A file that cannot be read ends the listing: what is on disk only
	// adds to the scripts measured already.
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".js") || seen[d.Name()] {
			return nil
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, benchScript{File: d.Name(), Bytes: len(body), GzipBytes: gzipSize(body)})
		return nil
	})
	return out
}

// benchUnhashed turns app.3f9c0a1b2d4e.js back into app.js.
func benchUnhashed(name string) string {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if i := strings.LastIndexByte(base, '.'); i >= 0 && len(base)-i-1 == 12 {
		base = base[:i]
	}
	return base + ext
}

// benchStaticDir is the web package's static directory when the bench
// runs in the source tree, else "".
func benchStaticDir() string {
	dir := filepath.Join("internal", "web", "static")
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return dir
	}
	return ""
}

// benchProfile starts a CPU profile into path; the function it returns
// stops it.
func benchProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create the profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start the profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

// gzipSize is the size of b compressed as gzip -9 does.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0
	}
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Len()
}

// benchPagesPrint writes the report.
func benchPagesPrint(w io.Writer, fig *benchPagesFigures) {
	fmt.Fprintf(w, "shopcare bench pages (%s)\n", fig.benchMachine)
	fmt.Fprintf(w, "  store           %d orders, %d customers", fig.Orders, fig.Customers)
	if !fig.Seeded {
		fmt.Fprint(w, " (reused)")
	}
	fmt.Fprintln(w)
	if s := fig.Seed; s != nil {
		fmt.Fprintf(w, "  seeding         %.1fs: history %.1fs, live orders %.1fs, journal %.1fs, call-backs reached %.1fs, statistics %.1fs\n",
			s.Total, s.History, s.Live, s.Journal, s.Callbacks, s.Analyze)
		if s.Rejected > 0 {
			fmt.Fprintf(w, "  warning: %d history rows were rejected\n", s.Rejected)
		}
	}
	statuses := make([]string, 0, len(fig.Work.ByStatus))
	for _, st := range order.Statuses {
		if n, ok := fig.Work.ByStatus[string(st)]; ok {
			statuses = append(statuses, fmt.Sprintf("%s %d", st, n))
		}
	}
	fmt.Fprintf(w, "  orders          %s\n", strings.Join(statuses, ", "))
	fmt.Fprintf(w, "  open work       %d call-backs open, %d orders at risk, %d late, %d messages\n",
		fig.Work.OpenCallbacks, fig.Work.AtRisk, fig.Work.Late, fig.Work.Messages)
	fmt.Fprintf(w, "  server time per page, %d requests each (ms; target p95 < %d):\n", fig.Requests, benchPagesTarget.Milliseconds())
	width := len("page")
	for _, p := range fig.Pages {
		width = max(width, utf8.RuneCountInString(p.Page))
	}
	fmt.Fprintf(w, "    %-*s %8s %8s %8s %8s %8s\n", width, "page", "p50", "p95", "p99", "max", "KiB")
	for _, p := range fig.Pages {
		flag := ""
		if p.P95MS >= float64(benchPagesTarget.Milliseconds()) {
			flag = "  over target"
		}
		fmt.Fprintf(w, "    %-*s %8.1f %8.1f %8.1f %8.1f %8.1f%s\n", width, p.Page, p.P50MS, p.P95MS, p.P99MS, p.MaxMS, p.KiB, flag)
	}
	for _, p := range fig.Pages {
		if p.MaxMS >= float64(benchPagesTarget.Milliseconds()) {
			fmt.Fprintf(w, "    the slowest request of %s (%.1f ms): %s\n", p.Page, p.MaxMS, p.Slowest)
		}
	}
	for _, s := range fig.Skipped {
		fmt.Fprintf(w, "    skipped %s\n", s)
	}
	fmt.Fprintf(w, "  JavaScript the admin loads: %d bytes, %d bytes gzipped (-9; target < 50 KB)\n", fig.ScriptsBytes, fig.ScriptsGzip)
	for _, s := range fig.Scripts {
		note := ""
		if !s.Loaded {
			note = "  (on disk, loaded by no page measured)"
		}
		fmt.Fprintf(w, "    %-28s %8d bytes %8d gzipped%s\n", s.File, s.Bytes, s.GzipBytes, note)
	}
}
