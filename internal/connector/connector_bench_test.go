package connector_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkHookIntake posts signed deliveries (each a new delivery id,
// a realistic order of one line) from many platforms at once through the
// real HTTP handler onto SQLite, with group commit on as serve runs it,
// and reports deliveries accepted per second and the 99th percentile of
// the answer's latency. The drain is off: applying is measured apart.
func BenchmarkHookIntake(b *testing.B) {
	hs := newHarness(b, store.SQLite)
	hs.svc.Start(ctx, false)
	b.Cleanup(hs.svc.Stop)
	// The platforms' side (encoding, signing) is done before the clock
	// starts: on a small machine it would otherwise take the server's CPU.
	type signed struct {
		body []byte
		sig  string
	}
	reqs := make([]signed, b.N)
	for i := range reqs {
		id := strconv.Itoa(i)
		o := placed()
		o.ID = id
		body, _ := json.Marshal(connector.Delivery{ID: "bench-" + id, Topic: "orders/create", Event: connector.OrderCreated, OrderID: id, Order: o})
		reqs[i] = signed{body, b64(sign(signKey, body))}
	}
	var seq atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8) // 8 × GOMAXPROCS deliveries in flight: a flash sale's burst
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			req := reqs[seq.Add(1)-1]
			r := httptest.NewRequest(http.MethodPost, "/hooks/shop", bytes.NewReader(req.body))
			r.Header.Set(signHeader, req.sig)
			w := httptest.NewRecorder()
			t0 := time.Now()
			hs.h.ServeHTTP(w, r)
			mine = append(mine, time.Since(t0))
			if w.Code != http.StatusOK {
				b.Errorf("delivery: %d %s", w.Code, w.Body.String())
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
