package loyalty_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// The benchmarks' shop: this many customers, each with one order the
// accruals point at (an accrual's order is what production posts; the
// partial index on order_id is written for each). `shopcare bench loyalty`
// measures the same paths on a ledger of ten million entries.
const (
	benchLedgerCustomers = 10_000
	benchLedgerOrders    = 10_000
)

var benchLedgerNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// benchLedgerStore is a fresh migrated store with the benchmarks'
// customers and orders, and the program over it.
func benchLedgerStore(b testing.TB, engine store.Engine) (*store.DB, *loyalty.Service) {
	b.Helper()
	c := context.Background()
	db, _ := storetest.OpenTest(b, engine)
	customers := make([][]any, benchLedgerCustomers)
	for i := range customers {
		k := strconv.Itoa(i + 1)
		customers[i] = []any{"lb-" + k, "Покупатель " + k, "lb" + k + "@example.ru", benchLedgerNow, benchLedgerNow}
	}
	orders := make([][]any, benchLedgerOrders)
	for i := range orders {
		orders[i] = []any{"lb-o" + strconv.Itoa(i+1), int64(i%benchLedgerCustomers + 1), "delivered", int64(125000), "RUB",
			benchLedgerNow, benchLedgerNow, benchLedgerNow}
	}
	err := db.InTx(c, func(tx *store.Tx) error {
		err := store.InsertMany(c, tx, "customers", []string{"external_id", "name", "email", "created_at", "updated_at"}, customers, "", nil)
		if err != nil {
			return err
		}
		return store.InsertMany(c, tx, "orders", []string{"external_id", "customer_id", "status", "total_minor", "currency",
			"placed_at", "created_at", "updated_at"}, orders, "", nil)
	})
	if err != nil {
		b.Fatalf("seed customers and orders: %v", err)
	}
	clk := clock.NewFake(benchLedgerNow)
	svc := loyalty.New(service.Deps{DB: db, Clock: clk, Settings: config.Default(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		loyalty.Params{Journal: journal.New(clk)})
	return db, svc
}

// benchAccruals returns the n accruals from the i-th on: random customers
// of the benchmarks' shop, each for an order and with a key of its own.
func benchAccruals(rng *rand.Rand, from, n int) []loyalty.Posting {
	ps := make([]loyalty.Posting, n)
	for j := range ps {
		k := from + j
		ps[j] = loyalty.Posting{Kind: loyalty.Accrual, CustomerID: 1 + rng.Int64N(benchLedgerCustomers),
			Points: 1 + rng.Int64N(500), OrderID: int64(k%benchLedgerOrders + 1), Source: loyalty.FromOrder,
			Key: "bench:accrual:" + strconv.Itoa(k)}
	}
	return ps
}

// BenchmarkPostAccruals posts accruals through Service.Post, batch of them
// per transaction, as the journal handler does with up to 1,000 events a
// transaction; batch=1 is one posting per transaction. Each op is one
// transaction; accruals/s is the throughput.
func BenchmarkPostAccruals(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, batch := range []int{1, 100, 1000} {
			b.Run(fmt.Sprintf("%s/batch=%d", engine, batch), func(b *testing.B) {
				c := context.Background()
				db, svc := benchLedgerStore(b, engine)
				rng := rand.New(rand.NewPCG(6, uint64(batch)))
				// Every customer has an account, as in a shop that has
				// run its program a while: the measured posts open none.
				for from := 0; from < benchLedgerCustomers; from += 1000 {
					open := make([]loyalty.Posting, 0, 1000)
					for k := from; k < min(from+1000, benchLedgerCustomers); k++ {
						open = append(open, loyalty.Posting{Kind: loyalty.Bonus, CustomerID: int64(k + 1), Points: 100,
							Source: loyalty.FromProgram, Key: "bench:open:" + strconv.Itoa(k)})
					}
					if err := db.InTx(c, func(tx *store.Tx) error { _, err := svc.Post(c, tx, open); return err }); err != nil {
						b.Fatal(err)
					}
				}
				next := 0
				b.ResetTimer()
				for b.Loop() {
					ps := benchAccruals(rng, next, batch)
					next += batch
					err := db.InTx(c, func(tx *store.Tx) error {
						_, err := svc.Post(c, tx, ps)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "accruals/s")
				b.StopTimer()
				if err := loyalty.Audit(c, db.Read()); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// BenchmarkBalance reads random customers' balances (one row by the
// unique customer_id index) after 100,000 accruals over 10,000 customers.
func BenchmarkBalance(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			c := context.Background()
			db, _ := benchLedgerSeeded(b, engine, 100_000)
			rng := rand.New(rand.NewPCG(6, 7))
			q := db.Read()
			b.ResetTimer()
			for b.Loop() {
				if _, err := loyalty.Balance(c, q, 1+rng.Int64N(benchLedgerCustomers)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLedgerPage reads the first page (20, as the admin shows) of a
// random customer's ledger with the balance after each transaction.
func BenchmarkLedgerPage(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			c := context.Background()
			db, _ := benchLedgerSeeded(b, engine, 100_000)
			rng := rand.New(rand.NewPCG(6, 8))
			q := db.Read()
			b.ResetTimer()
			for b.Loop() {
				if _, err := loyalty.Ledger(c, q, 1+rng.Int64N(benchLedgerCustomers), 0, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchLedgerSeeded is benchLedgerStore with n accruals posted in
// batches of 1,000.
func benchLedgerSeeded(b *testing.B, engine store.Engine, n int) (*store.DB, *loyalty.Service) {
	b.Helper()
	c := context.Background()
	db, svc := benchLedgerStore(b, engine)
	rng := rand.New(rand.NewPCG(6, 6))
	for from := 0; from < n; from += 1000 {
		ps := benchAccruals(rng, from, min(1000, n-from))
		if err := db.InTx(c, func(tx *store.Tx) error { _, err := svc.Post(c, tx, ps); return err }); err != nil {
			b.Fatal(err)
		}
	}
	if db.Engine() == store.Postgres {
		if _, err := db.PgxPool().Exec(c, `ANALYZE loyalty_accounts, loyalty_transactions, loyalty_entries`); err != nil {
			b.Fatal(err)
		}
	}
	return db, svc
}
