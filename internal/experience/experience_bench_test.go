package experience_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkWorth times the worth of care (GET /analytics/experiences, the
// analytics page's block) over SHOPCARE_BENCH_CUSTOMERS synthetic buyers
// (default 1,000,000): one to three purchases each, half of them scored
// by the CLV model, a quarter with one negative experience and a twelfth
// with several. The target is under 3 s an answer.
//
//	go test ./internal/experience -run '^$' -bench Worth -benchtime 3x
func BenchmarkWorth(b *testing.B) {
	n := int64(1_000_000)
	if s := os.Getenv("SHOPCARE_BENCH_CUSTOMERS"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 1 {
			b.Fatalf("SHOPCARE_BENCH_CUSTOMERS=%q is not a count", s)
		}
		n = v
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			a, clk := apptest.New(b, engine, false)
			ctx := context.Background()
			at := clk.Now().Add(-30 * 24 * time.Hour)
			const chunk = 100_000
			for lo := int64(1); lo <= n; lo += chunk {
				hi := min(lo+chunk-1, n)
				err := a.DB.InTx(ctx, func(tx *store.Tx) error {
					return customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: lo, To: hi, At: at})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				for _, q := range []string{
					`UPDATE customers SET purchases = 1 + id % 3, placed = 1 + id % 3, spent_minor = 150000 * (1 + id % 3), last_order_at = $1`,
					`INSERT INTO customer_scores (customer_id, frequency, recency, age, monetary_minor, expected_30, expected_90, expected_365,
						p_alive, clv_minor, rfm, segment, segment_since, scored_at)
						SELECT id, 1, 1, 1, 150000, 0.1, 0.3, 1, 0.8, 100000 + id % 100000, '', 'loyal', $1, $1 FROM customers WHERE id % 2 = 0`,
					`INSERT INTO negative_experiences (customer_id, kind, ref, at, created_at)
						SELECT id, 'late_delivery', 'order:' || id, $1, $1 FROM customers WHERE id % 4 = 0`,
					`INSERT INTO negative_experiences (customer_id, kind, ref, at, created_at)
						SELECT id, 'unanswered_message', 'conversation:' || id, $1, $1 FROM customers WHERE id % 12 = 0`,
				} {
					if _, err := tx.Exec(ctx, q, at.Add(-time.Hour)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if engine == store.Postgres {
				if _, err := a.DB.Read().Exec(ctx, `ANALYZE`); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			var w experience.Worth
			cpu0 := cpuTime()
			for b.Loop() {
				if w, err = a.Experiences.Worth(ctx, experience.WorthQuery{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			// The process's CPU time an answer (SQLite works in the
			// process): the figure a loaded machine does not inflate.
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			var total int64
			for _, g := range w.Groups {
				total += g.Customers
			}
			if total != n {
				b.Fatalf("%d customers in the groups, want %d", total, n)
			}
			b.ReportMetric(float64(n), "customers")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
