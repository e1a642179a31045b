package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shopcare/shopcare/internal/metrics"
	"github.com/shopcare/shopcare/internal/requestid"
)

// BenchmarkMiddleware is the cost the request id and the timing add to
// one request: the same mux served bare and wrapped as serve wraps it.
func BenchmarkMiddleware(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	m := metrics.New(metrics.Options{})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", mux},
		{"observed", requestid.Middleware(m.Middleware(metrics.Routed(mux)))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/orders/123", nil)
			b.ReportAllocs()
			for b.Loop() {
				bc.h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}

// BenchmarkScrape is one scrape of the registry: the Go runtime's and
// the process's collectors, the request histograms, the database's
// gauges (from the cache).
func BenchmarkScrape(b *testing.B) {
	m, h := fed(b)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/orders/1", nil))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/internal/metrics", nil))
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}
