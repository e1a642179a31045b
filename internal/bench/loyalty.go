package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Loyalty measures the loyalty ledger (issue 6) in this process:
// accruals through Service.Post on a fresh ledger, then a history of
// --transactions seeded set-based beside them, balance lookups and ledger
// pages of random customers on it, accruals posted again on the full
// ledger, and the audit of the whole.
type Loyalty struct {
	Customers    int    // Customers of the shop; the seeded history is spread over all of them.
	Transactions int    // Ledger transactions of history to seed set-based, two entries each.
	Members      int    // Customers the accruals on the fresh ledger go to (the first of --customers).
	Accruals     int    // Accruals posted through Service.Post in each of the two runs, --batch a transaction, one order each.
	Batch        int    // Postings per transaction (the journal handler posts up to 1,000 events' worth a transaction).
	Singles      int    // Accruals more posted one per transaction in each run.
	Lookups      int    // Balance lookups, and as many first ledger pages, of random customers.
	Reuse        string // Measure the store a --keep run left (its directory for SQLite, its schema with --database-url) instead of seeding one: lookups, posting on the full ledger, audit.
	Audit        bool   // Audit the books at the end (--no-audit skips it: two minutes on SQLite with ten million entries).
	Keep         bool   // Keep the temporary directory (SQLite database) and the PostgreSQL schema.
	Profile      string // Write a CPU profile of the posting on the full ledger to this file (go tool pprof reads it).
	JSON         bool   // Print the figures as JSON on standard output (the report goes to standard error).
}

// The targets.
const (
	benchLoyaltyRate    = 10_000           // accruals per second
	benchLoyaltyBalance = time.Millisecond // a balance lookup
	benchLoyaltyPage    = 20               // a ledger page, as the admin shows
	benchLoyaltyChunk   = 500_000          // rows per seeding statement
)

// benchLoyaltyNow is the bench shop's "now", as bench pages has it.
var benchLoyaltyNow = benchPagesNow

// benchLoyaltyFigures are the figures of bench loyalty.
type benchLoyaltyFigures struct {
	benchMachine
	Customers    int                `json:"customers"`
	Seeded       bool               `json:"seeded"`
	Transactions int64              `json:"transactions"`
	Entries      int64              `json:"entries"`
	Seed         *benchLoyaltySeed  `json:"seed,omitempty"`
	Fresh        *benchLoyaltyPost  `json:"post_fresh_ledger,omitempty"`
	Full         benchLoyaltyPost   `json:"post_full_ledger"`
	Balance      benchLoyaltyLookup `json:"balance"`
	LedgerPage   benchLoyaltyLookup `json:"ledger_first_page"`
	AuditSeconds float64            `json:"audit_seconds,omitempty"` // 0: not audited
}

// benchLoyaltySeed times the seeding's steps, in seconds.
type benchLoyaltySeed struct {
	Customers    float64 `json:"customers_seconds"`
	Orders       float64 `json:"orders_seconds"`
	Transactions float64 `json:"transactions_seconds"`
	Accounts     float64 `json:"accounts_seconds"`
	Entries      float64 `json:"entries_seconds"`
	Indexes      float64 `json:"indexes_and_keys_seconds"`
	Analyze      float64 `json:"analyze_seconds"`
	History      float64 `json:"history_total_seconds"`
}

// benchLoyaltyPost is one run of accruals through Service.Post.
type benchLoyaltyPost struct {
	EntriesBefore    int64   `json:"ledger_entries_before"`
	Members          int     `json:"customers"`
	Accruals         int     `json:"accruals"`
	Batch            int     `json:"batch"`
	Seconds          float64 `json:"seconds"`
	PerSecond        float64 `json:"accruals_per_second"`
	Singles          int     `json:"singles"`
	SinglesPerSecond float64 `json:"single_transactions_per_second"`
	SingleP50MS      float64 `json:"single_p50_ms"`
	SingleP99MS      float64 `json:"single_p99_ms"`
}

// benchLoyaltyLookup is the latency of one kind of read, in microseconds.
type benchLoyaltyLookup struct {
	Requests int     `json:"requests"`
	P50US    float64 `json:"p50_us"`
	P95US    float64 `json:"p95_us"`
	P99US    float64 `json:"p99_us"`
	MaxUS    float64 `json:"max_us"`
}

// Run seeds a fresh store and measures it.
func (c *Loyalty) Run(g *Env) error {
	if c.Customers < 1 || c.Members < 1 || c.Members > c.Customers || c.Transactions < 0 || c.Accruals < 0 ||
		c.Batch < 1 || c.Singles < 0 || c.Lookups < 1 {
		return errors.New("bench loyalty needs --customers and --lookups of at least 1, --members between 1 and --customers, " +
			"--batch of at least 1, and --transactions, --accruals and --singles of at least 0")
	}
	return runReusable(g, "bench loyalty", c.Keep, c.Reuse, c.run)
}

func (c *Loyalty) run(ctx context.Context, g *Env, st *benchStore, seed bool) error {
	settings, err := g.settings()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Options{URL: st.url, DataDir: filepath.Join(st.dir, "data")})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	progress := g.Stderr
	// The history spans what the program keeps points for (less a day), so
	// none of it is due to lapse: the expiry run would have taken it.
	span := 3 * 365 * 24 * time.Hour
	if ea := time.Duration(settings.Loyalty.ExpireAfter); ea > 48*time.Hour {
		span = ea - 24*time.Hour
	}
	start := benchLoyaltyNow.Add(-span)
	// The fresh ledger's accruals come before the history, so ids and times
	// rise together over the whole ledger.
	clk := clock.NewFake(start.Add(-time.Hour))
	svc := loyalty.New(service.Deps{DB: db, Clock: clk, Settings: settings, Log: slog.New(slog.NewTextHandler(g.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))},
		loyalty.Params{Journal: journal.New(clk)})
	sd := benchLoyaltySeeder{db: db, progress: progress, expire: int64(time.Duration(settings.Loyalty.ExpireAfter) / time.Second)}

	fig := benchLoyaltyFigures{benchMachine: newBenchMachine(st.engine()), Customers: c.Customers, Seeded: seed}
	if seed {
		fmt.Fprintf(progress, "bench loyalty: a fresh %s store: %s\n", st.engine(), st.where())
		if err := c.seed(ctx, &fig, sd, db, svc, start, span); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(progress, "bench loyalty: reusing the %s store %s\n", st.engine(), st.where())
		n, err := customer.MaxID(ctx, db.Read())
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("--reuse %s: the store has no customers", c.Reuse)
		}
		fig.Customers = int(n)
	}

	rng := rand.New(rand.NewPCG(20261123, 6))
	fmt.Fprintf(progress, "bench loyalty: %d balance lookups and %d ledger pages of random customers\n", c.Lookups, c.Lookups)
	q := db.Read()
	if fig.Balance, err = benchLoyaltyMeasure(ctx, rng, c.Lookups, int64(fig.Customers), func(id int64) error {
		_, err := loyalty.Balance(ctx, q, id)
		return err
	}); err != nil {
		return err
	}
	if fig.LedgerPage, err = benchLoyaltyMeasure(ctx, rng, c.Lookups, int64(fig.Customers), func(id int64) error {
		_, err := loyalty.Ledger(ctx, q, id, 0, benchLoyaltyPage)
		return err
	}); err != nil {
		return err
	}

	clk.Set(benchLoyaltyNow)
	full, err := sd.orders(ctx, c.Accruals+c.Singles, fig.Customers)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "bench loyalty: posting %d accruals in transactions of %d, then %d one a transaction, for %d customers (full ledger)\n",
		c.Accruals, c.Batch, c.Singles, fig.Customers)
	if c.Profile != "" {
		stopProfile, err := benchProfile(c.Profile)
		if err != nil {
			return err
		}
		fig.Full, err = c.post(ctx, db, svc, full, fig.Customers)
		stopProfile()
		if err != nil {
			return err
		}
	} else if fig.Full, err = c.post(ctx, db, svc, full, fig.Customers); err != nil {
		return err
	}

	if c.Audit {
		fmt.Fprintln(progress, "bench loyalty: auditing the books")
		t := time.Now()
		if err := loyalty.Audit(ctx, q); err != nil {
			return fmt.Errorf("the ledger fails its audit: %w", err)
		}
		fig.AuditSeconds = round1(time.Since(t).Seconds())
	}
	if fig.Transactions, err = loyalty.TransactionCountAll(ctx, q); err != nil {
		return err
	}
	if fig.Entries, err = loyalty.EntryCountAll(ctx, q); err != nil {
		return err
	}

	w := benchReport(g, c.JSON)
	benchLoyaltyPrint(w, &fig)
	if c.JSON {
		return benchPrintJSON(g.Stdout, fig)
	}
	return nil
}

// seed fills a fresh store: the customers, accruals on the fresh ledger
// (timed: fig.Fresh), then the history beside them, and the planner's
// statistics.
func (c *Loyalty) seed(ctx context.Context, fig *benchLoyaltyFigures, sd benchLoyaltySeeder, db *store.DB, svc *loyalty.Service,
	start time.Time, span time.Duration) error {
	fig.Seed = &benchLoyaltySeed{}
	t := time.Now()
	if err := sd.customers(ctx, c.Customers); err != nil {
		return err
	}
	fig.Seed.Customers = round1(time.Since(t).Seconds())
	t = time.Now()
	fresh, err := sd.orders(ctx, c.Accruals+c.Singles, c.Members)
	if err != nil {
		return err
	}
	fig.Seed.Orders = round1(time.Since(t).Seconds())
	fmt.Fprintf(sd.progress, "bench loyalty: %d customers, %d orders in %.1fs\n", c.Customers, len(fresh), fig.Seed.Customers+fig.Seed.Orders)

	fmt.Fprintf(sd.progress, "bench loyalty: posting %d accruals in transactions of %d, then %d one a transaction, for %d customers (fresh ledger)\n",
		c.Accruals, c.Batch, c.Singles, c.Members)
	post, err := c.post(ctx, db, svc, fresh, c.Members)
	if err != nil {
		return err
	}
	fig.Fresh = &post

	fmt.Fprintf(sd.progress, "bench loyalty: seeding %d transactions (%d entries) over %d customers\n", c.Transactions, 2*c.Transactions, c.Customers)
	t = time.Now()
	if err := sd.history(ctx, fig.Seed, c.Transactions, c.Customers, start, span); err != nil {
		return err
	}
	t2 := time.Now()
	if err := benchAnalyze(ctx, db); err != nil {
		return err
	}
	fig.Seed.Analyze = round1(time.Since(t2).Seconds())
	fig.Seed.History = round1(time.Since(t).Seconds())
	fmt.Fprintf(sd.progress, "bench loyalty: history seeded in %.1fs\n", fig.Seed.History)
	return nil
}

// post posts one accrual per order: all but the last --singles in
// transactions of --batch, then those one a transaction.
func (c *Loyalty) post(ctx context.Context, db *store.DB, svc *loyalty.Service, orders []order.SyntheticTotal, members int) (benchLoyaltyPost, error) {
	fig := benchLoyaltyPost{Members: members, Accruals: c.Accruals, Batch: c.Batch, Singles: c.Singles}
	var err error
	if fig.EntriesBefore, err = loyalty.EntryCountAll(ctx, db.Read()); err != nil {
		return fig, err
	}
	ps := make([]loyalty.Posting, len(orders))
	for i, o := range orders {
		// 5 % of the order's total in points, as the default program earns.
		ps[i] = loyalty.Posting{Kind: loyalty.Accrual, CustomerID: o.CustomerID, Points: max(1, o.TotalMinor/2000),
			OrderID: o.ID, Source: loyalty.FromOrder, Key: "accrual:o" + strconv.FormatInt(o.ID, 10)}
	}
	postTx := func(batch []loyalty.Posting) error {
		return db.InTx(ctx, func(tx *store.Tx) error {
			posted, err := svc.Post(ctx, tx, batch)
			if err == nil && len(posted) != len(batch) {
				err = fmt.Errorf("posted %d of %d accruals", len(posted), len(batch))
			}
			return err
		})
	}
	t0 := time.Now()
	for from := 0; from < c.Accruals; from += c.Batch {
		if err := postTx(ps[from:min(from+c.Batch, c.Accruals)]); err != nil {
			return fig, fmt.Errorf("post accruals %d-%d: %w", from+1, min(from+c.Batch, c.Accruals), err)
		}
	}
	took := time.Since(t0)
	fig.Seconds = round1(took.Seconds())
	if c.Accruals > 0 {
		fig.PerSecond = float64(int(float64(c.Accruals) / took.Seconds()))
	}
	lat := make([]time.Duration, 0, c.Singles)
	t0 = time.Now()
	for i := c.Accruals; i < len(ps); i++ {
		t := time.Now()
		if err := postTx(ps[i : i+1]); err != nil {
			return fig, fmt.Errorf("post accrual %d: %w", i+1, err)
		}
		lat = append(lat, time.Since(t))
	}
	if c.Singles > 0 {
		fig.SinglesPerSecond = float64(int(float64(c.Singles) / time.Since(t0).Seconds()))
		slices.Sort(lat)
		fig.SingleP50MS, fig.SingleP99MS = round2(msf(percentile(lat, 0.5))), round2(msf(percentile(lat, 0.99)))
	}
	return fig, nil
}

// benchLoyaltyMeasure calls read for n random customers of 1..customers
// after a warm-up of a hundred, and returns its latency.
func benchLoyaltyMeasure(ctx context.Context, rng *rand.Rand, n int, customers int64, read func(id int64) error) (benchLoyaltyLookup, error) {
	lat := make([]time.Duration, 0, n)
	for i := -100; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return benchLoyaltyLookup{}, err
		}
		id := 1 + rng.Int64N(customers)
		t := time.Now()
		if err := read(id); err != nil {
			return benchLoyaltyLookup{}, err
		}
		if i >= 0 {
			lat = append(lat, time.Since(t))
		}
	}
	slices.Sort(lat)
	us := func(d time.Duration) float64 { return round1(float64(d) / float64(time.Microsecond)) }
	return benchLoyaltyLookup{Requests: n, P50US: us(percentile(lat, 0.5)), P95US: us(percentile(lat, 0.95)),
		P99US: us(percentile(lat, 0.99)), MaxUS: us(percentile(lat, 1))}, nil
}

// benchLoyaltySeeder fills the store set-based: every row is computed by
// the database from a series of numbers (a recursive CTE on SQLite,
// generate_series on PostgreSQL), a chunk a statement.
type benchLoyaltySeeder struct {
	db       *store.DB
	progress io.Writer
	expire   int64  // the program's expire_after, in seconds (0: points never lapse)
	bench    string // the command its progress lines name; "bench loyalty" when empty
}

// name is the command the seeder's progress lines name.
func (sd benchLoyaltySeeder) name() string {
	if sd.bench == "" {
		return "bench loyalty"
	}
	return sd.bench
}

// series runs a seeding statement over 1..n, a chunk at a time, each in
// its own transaction: insert inserts the chunk lo..hi.
func (sd benchLoyaltySeeder) series(ctx context.Context, what string, n int, insert func(tx *store.Tx, lo, hi int64) error) error {
	for lo := 1; lo <= n; lo += benchLoyaltyChunk {
		hi := min(lo+benchLoyaltyChunk-1, n)
		err := sd.db.InTx(ctx, func(tx *store.Tx) error {
			return insert(tx, int64(lo), int64(hi))
		})
		if err != nil {
			return fmt.Errorf("seed %s %d-%d: %w", what, lo, hi, err)
		}
		if n > benchLoyaltyChunk {
			fmt.Fprintf(sd.progress, "%s: %s %d%%\n", sd.name(), what, hi*100/n)
		}
	}
	return nil
}

// customers seeds customers 1..n (the store is fresh, so those are their
// ids; checked).
func (sd benchLoyaltySeeder) customers(ctx context.Context, n int) error {
	at := benchLoyaltyNow.Add(-3 * 365 * 24 * time.Hour)
	err := sd.series(ctx, "customers", n, func(tx *store.Tx, lo, hi int64) error {
		return customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: sd.db.Engine(), From: lo, To: hi, At: at})
	})
	if err != nil {
		return err
	}
	lo, hi, err := customer.IDRange(ctx, sd.db.Read())
	if err != nil {
		return err
	}
	if lo != 1 || hi != int64(n) {
		return fmt.Errorf("seed customers: ids %d-%d, want 1-%d (is the store fresh?)", lo, hi, n)
	}
	return nil
}

// orders seeds n delivered orders of customers 1..customers and returns
// them.
func (sd benchLoyaltySeeder) orders(ctx context.Context, n, customers int) ([]order.SyntheticTotal, error) {
	q := sd.db.Read()
	before, err := order.MaxID(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("seed orders: %w", err)
	}
	prefix := "lo-" + strconv.FormatInt(before, 10) + "-"
	at := benchLoyaltyNow.Add(-14 * 24 * time.Hour)
	err = sd.series(ctx, "orders", n, func(tx *store.Tx, lo, hi int64) error {
		return order.SyntheticInsertDelivered(ctx, tx, order.SyntheticDelivered{
			SyntheticSeries: order.SyntheticSeries{Engine: sd.db.Engine(), From: lo, To: hi},
			Prefix:          prefix, Customers: int64(customers), At: at})
	})
	if err != nil {
		return nil, err
	}
	out, err := order.TotalsAfter(ctx, q, before)
	if err != nil {
		return nil, fmt.Errorf("read the seeded orders: %w", err)
	}
	return out, nil
}

// history seeds n transactions of customers 1..customers created evenly
// over span from start, as the ledger's rules have them: each a credit of
// the customer (nine in ten accruals, one in ten review bonuses) against
// the program's issued account, in two legs summing to zero, each
// customer's account opened (or its balance moved) by the sum of their
// points. The two tables' secondary indexes are dropped for the load and
// made again after it (a sort each instead of millions of inserts, most
// in random order), and on PostgreSQL their foreign keys too, added back
// after (one validating join each instead of a trigger call per row).
func (sd benchLoyaltySeeder) history(ctx context.Context, fig *benchLoyaltySeed, n, customers int, start time.Time, span time.Duration) error {
	if n == 0 {
		return nil
	}
	q := sd.db.Read()
	before, err := loyalty.TransactionMaxID(ctx, q)
	if err != nil {
		return fmt.Errorf("seed the history: %w", err)
	}
	t := time.Now()
	txUndo, err := sd.unindex(ctx, "loyalty_transactions")
	if err != nil {
		return err
	}
	entryUndo, err := sd.unindex(ctx, "loyalty_entries")
	if err != nil {
		return err
	}
	fig.Indexes += time.Since(t).Seconds()

	t = time.Now()
	err = sd.series(ctx, "transactions", n, func(tx *store.Tx, lo, hi int64) error {
		return loyalty.SyntheticInsertTransactions(ctx, tx, loyalty.SyntheticTransactions{Engine: sd.db.Engine(), From: lo, To: hi,
			Customers: int64(customers), Start: start.Unix(), Span: int64(span / time.Second), Total: int64(n), Expire: sd.expire})
	})
	if err != nil {
		return err
	}
	fig.Transactions = round1(time.Since(t).Seconds())
	t = time.Now()
	if err := sd.exec(ctx, "index the transactions", txUndo...); err != nil {
		return err
	}
	fig.Indexes += time.Since(t).Seconds()

	lo, hi, err := loyalty.TransactionIDRangeAfter(ctx, q, before)
	if err != nil {
		return fmt.Errorf("seed the history: %w", err)
	}
	if hi-lo+1 != int64(n) {
		return fmt.Errorf("seed the history: transaction ids %d-%d, want %d of them", lo, hi, n)
	}

	// The accounts: those the fresh ledger opened move by their history;
	// the rest open with it, dated at their first transaction.
	t = time.Now()
	err = sd.inTx(ctx, "open the accounts", func(tx *store.Tx) error {
		return loyalty.SyntheticOpenAccounts(ctx, tx, lo, hi)
	})
	if err != nil {
		return err
	}
	fig.Accounts = round1(time.Since(t).Seconds())

	// The legs: the customer's, then the issued account's, of each.
	t = time.Now()
	for from := lo; from <= hi; from += benchLoyaltyChunk {
		to := min(from+benchLoyaltyChunk-1, hi)
		err := sd.inTx(ctx, "seed the entries", func(tx *store.Tx) error {
			return loyalty.SyntheticInsertEntries(ctx, tx, from, to)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(sd.progress, "bench loyalty: entries %d%%\n", (to-lo+1)*100/(hi-lo+1))
	}
	fig.Entries = round1(time.Since(t).Seconds())
	t = time.Now()
	if err := sd.exec(ctx, "index the entries", entryUndo...); err != nil {
		return err
	}
	fig.Indexes = round1(fig.Indexes + time.Since(t).Seconds())
	return nil
}

// unindex drops table's secondary indexes (not those of its primary key
// or unique constraints) and, on PostgreSQL, its foreign keys, and
// returns the statements that make them again, as the catalog has them.
func (sd benchLoyaltySeeder) unindex(ctx context.Context, table string) ([]string, error) {
	type object struct{ name, def string }
	var objs []object
	var keys []object
	list := func(sql string, into *[]object) error {
		rows, err := sd.db.Read().Query(ctx, sql, table)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o object
			if err := rows.Scan(&o.name, &o.def); err != nil {
				return err
			}
			*into = append(*into, o)
		}
		return rows.Err()
	}
	var drop, undo []string
	if sd.db.Engine() == store.Postgres {
		err := list(`SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = $1
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
			ORDER BY i.indexname`, &objs)
		if err == nil {
			err = list(`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
				WHERE conrelid = (current_schema() || '.' || $1)::regclass AND contype = 'f' ORDER BY conname`, &keys)
		}
		if err != nil {
			return nil, fmt.Errorf("list the indexes of %s: %w", table, err)
		}
		for _, k := range keys {
			drop = append(drop, "ALTER TABLE "+table+" DROP CONSTRAINT "+k.name)
			undo = append(undo, "ALTER TABLE "+table+" ADD CONSTRAINT "+k.name+" "+k.def)
		}
	} else if err := list(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name`, &objs); err != nil {
		return nil, fmt.Errorf("list the indexes of %s: %w", table, err)
	}
	for _, o := range objs {
		drop = append(drop, "DROP INDEX "+o.name)
		undo = append(undo, o.def)
	}
	if err := sd.exec(ctx, "drop the indexes of "+table, drop...); err != nil {
		return nil, err
	}
	return undo, nil
}

// exec runs statements (the indexes' and keys' DDL unindex reads from
// the catalog) in one transaction.
func (sd benchLoyaltySeeder) exec(ctx context.Context, what string, stmts ...string) error {
	return sd.inTx(ctx, what, func(tx *store.Tx) error {
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%.80s: %w", s, err)
			}
		}
		return nil
	})
}

// inTx runs fn in a transaction; what names it in the error.
func (sd benchLoyaltySeeder) inTx(ctx context.Context, what string, fn func(tx *store.Tx) error) error {
	if err := sd.db.InTx(ctx, fn); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// msf is a duration in milliseconds.
func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

// benchLoyaltyPrint writes the report.
func benchLoyaltyPrint(w io.Writer, fig *benchLoyaltyFigures) {
	fmt.Fprintf(w, "shopcare bench loyalty (%s)\n", fig.benchMachine)
	fmt.Fprintf(w, "  ledger          %d customers, %d transactions, %d entries at the end", fig.Customers, fig.Transactions, fig.Entries)
	if !fig.Seeded {
		fmt.Fprint(w, " (reused)")
	}
	fmt.Fprintln(w)
	if s := fig.Seed; s != nil {
		fmt.Fprintf(w, "  seeding         customers %.1fs, orders %.1fs; history %.1fs: transactions %.1fs, accounts %.1fs, entries %.1fs, indexes and keys %.1fs, statistics %.1fs\n",
			s.Customers, s.Orders, s.History, s.Transactions, s.Accounts, s.Entries, s.Indexes, s.Analyze)
	}
	type run struct {
		name string
		fig  benchLoyaltyPost
	}
	runs := []run{{"full ledger", fig.Full}}
	if fig.Fresh != nil {
		runs = append([]run{{"fresh ledger", *fig.Fresh}}, runs...)
	}
	for _, p := range runs {
		flag := ""
		if p.fig.Accruals > 0 && p.fig.PerSecond < benchLoyaltyRate {
			flag = "  under target"
		}
		fmt.Fprintf(w, "  post, %-12s %d entries before; %d accruals for %d customers, %d a transaction: %.0f accruals/s (%.1fs; target >= %d)%s\n",
			p.name, p.fig.EntriesBefore, p.fig.Accruals, p.fig.Members, p.fig.Batch, p.fig.PerSecond, p.fig.Seconds, benchLoyaltyRate, flag)
		if p.fig.Singles > 0 {
			fmt.Fprintf(w, "                       %d accruals one a transaction: %.0f transactions/s, p50 %.2f ms, p99 %.2f ms\n",
				p.fig.Singles, p.fig.SinglesPerSecond, p.fig.SingleP50MS, p.fig.SingleP99MS)
		}
	}
	for _, l := range []struct {
		name   string
		fig    benchLoyaltyLookup
		target time.Duration
	}{{"loyalty.Balance", fig.Balance, benchLoyaltyBalance}, {"loyalty.Ledger, first page of " + strconv.Itoa(benchLoyaltyPage), fig.LedgerPage, 0}} {
		flag := ""
		if l.target > 0 {
			flag = fmt.Sprintf(" (target < %d µs)", l.target.Microseconds())
			if l.fig.P99US >= float64(l.target.Microseconds()) {
				flag += "  over target"
			}
		}
		fmt.Fprintf(w, "  %-34s %d random customers: p50 %.1f µs, p95 %.1f µs, p99 %.1f µs, max %.1f µs%s\n",
			l.name, l.fig.Requests, l.fig.P50US, l.fig.P95US, l.fig.P99US, l.fig.MaxUS, flag)
	}
	if fig.AuditSeconds > 0 {
		fmt.Fprintf(w, "  loyalty.Audit   the books balance: %.1fs over %d entries\n", fig.AuditSeconds, fig.Entries)
	}
}
