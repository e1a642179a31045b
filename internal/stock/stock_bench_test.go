package stock_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/storetest"
)

// benchLevels returns n levels, every tenth with a delivery on its way;
// bump changes every on hand count.
func benchLevels(n, bump int) []stock.Level {
	levels := make([]stock.Level, n)
	for i := range levels {
		levels[i] = stock.Level{SKU: fmt.Sprintf("SKU-%06d", i), Name: "Item", OnHand: i%50 + bump}
		if i%10 == 0 {
			levels[i].Incoming = []stock.Incoming{{Qty: 5, Date: "2026-12-15"}}
		}
	}
	return levels
}

// BenchmarkPut100k puts 100,000 SKUs in one call: the first put creates
// them, the second changes every on hand count (the target is
// under 5 s for 100,000). Run:
//
//	SHOPCARE_TEST_DATABASE_URL=postgres://… go test ./internal/stock -run '^$' -bench Put100k -benchtime 1x
func BenchmarkPut100k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, phase := range []string{"create", "update"} {
			b.Run(string(engine)+"/"+phase, func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					a, _ := apptest.New(b, engine, false)
					ctx := context.Background()
					if phase == "update" {
						if _, err := a.Stock.Put(ctx, "api", benchLevels(100_000, 0)); err != nil {
							b.Fatal(err)
						}
					}
					levels := benchLevels(100_000, 1)
					cpu := cpuTime()
					b.StartTimer()
					res, err := a.Stock.Put(ctx, "api", levels)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
					if res.Created+res.Updated != 100_000 {
						b.Fatalf("put %+v", res)
					}
				}
			})
		}
	}
}

// BenchmarkAvailable reads one SKU's availability from memory, among
// 10,000 tracked, from every core at once (the target: it adds
// under 1 µs to a promise quote).
func BenchmarkAvailable(b *testing.B) {
	a, _ := apptest.New(b, "sqlite", false)
	if _, err := a.Stock.Put(context.Background(), "api", benchLevels(10_000, 0)); err != nil {
		b.Fatal(err)
	}
	a.Stock.Available("SKU-000000") // loaded
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, ok := a.Stock.Available(skus[i%len(skus)]); !ok {
				b.Fatal("untracked")
			}
			i++
		}
	})
}

var skus = func() []string {
	s := make([]string, 1000)
	for i := range s {
		s[i] = fmt.Sprintf("SKU-%06d", i*7)
	}
	return s
}()

// cpuTime is the CPU time this process has used: on a machine shared
// with other work the wall-clock figure says more about the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
