package traffic

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkCollect times what a beacon's request waits for: the hit
// classified (robots, sites, source) and put in the buffer.
func BenchmarkCollect(b *testing.B) {
	s, _ := counterOf(b, store.SQLite)
	done := make(chan struct{})
	go func() { // an empty buffer, as the writer keeps it
		for {
			select {
			case <-s.counter.full:
				s.counter.drain(nil)
			case <-done:
				return
			}
		}
	}()
	defer close(done)
	agents := []string{chrome, firefox, iphone}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		h := hit(start, func(h *Hit) {
			h.Addr, h.Agent = fmt.Sprintf("198.51.%d.%d", i>>8&255, i&255), agents[i%3]
			h.Path, h.Ref = "/product/pan-26?utm_source=newsletter", "https://www.google.com/"
		})
		if out := s.Collect(h); out != Accepted {
			b.Fatal(out)
		}
	}
}

// BenchmarkWrite measures the writer: page views per second written in
// batches of flushAt (a third of them by visitors seen before), on each
// engine.
func BenchmarkWrite(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			s, _ := counterOf(b, engine)
			ctx := context.Background()
			n := 0
			for b.Loop() {
				views := make([]view, flushAt)
				for i := range views {
					n++
					who := n
					if i%3 == 0 {
						who = n / 3 // seen before
					}
					views[i] = view{at: start.Add(time.Duration(n) * time.Millisecond), host: "shop.example", path: fmt.Sprintf("/p/%d", n%200),
						source: "google.com", addr: fmt.Sprintf("198.51.%d.%d", who>>8&255, who&255), agent: chrome}
				}
				if err := s.write(ctx, views); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*flushAt)/b.Elapsed().Seconds(), "views/s")
		})
	}
}
