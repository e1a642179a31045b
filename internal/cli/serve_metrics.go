package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/metrics"
	"github.com/shopcare/shopcare/internal/requestid"
)

// MetricsPath is where the Prometheus metrics are served.
const MetricsPath = "/internal/metrics"

// MetricsFlags are serve's and demo's metrics settings: a token that
// opens /internal/metrics on the public address, and/or an address of
// their own (no token there: bind it to the loopback or a private
// network). With neither, /internal/metrics answers 404.
type MetricsFlags struct {
	MetricsToken string `help:"Bearer token that opens /internal/metrics on the public address (without it, and without --metrics-addr, the metrics are not served there)." env:"SHOPCARE_METRICS_TOKEN"`
	MetricsAddr  string `help:"Separate address serving /internal/metrics without a token, e.g. 127.0.0.1:9090." env:"SHOPCARE_METRICS_ADDR"`
}

// front is what the public address serves: /internal/metrics behind the
// token, and the live app; every request gets an id and is timed.
func front(live http.Handler, m *metrics.Metrics, token string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(MetricsPath, metrics.Protect(m.Handler(), token))
	mux.Handle("/", live)
	return requestid.Middleware(m.Middleware(metrics.Routed(mux)))
}

// metricsServer serves the metrics alone on their own address.
type metricsServer struct {
	srv    *http.Server
	ln     net.Listener
	served chan error
}

// listenMetrics opens the metrics' own address; an empty one is none.
func listenMetrics(addr string) (net.Listener, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics address (--metrics-addr, SHOPCARE_METRICS_ADDR) %s: %w", addr, err)
	}
	return ln, nil
}

// serveMetrics serves m on ln until stopped; a nil ln serves nothing.
func serveMetrics(log *slog.Logger, ln net.Listener, m *metrics.Metrics) *metricsServer {
	if ln == nil {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+MetricsPath, m.Handler())
	mux.Handle("GET /metrics", m.Handler())
	s := &metricsServer{ln: ln, served: make(chan error, 1), srv: &http.Server{
		Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
	}}
	go func() { s.served <- s.srv.Serve(ln) }()
	log.Info("metrics serving", "addr", "http://"+ln.Addr().String()+MetricsPath)
	return s
}

// stop shuts the metrics' server down.
func (s *metricsServer) stop(ctx context.Context) error {
	if s == nil {
		return nil
	}
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("stop the metrics' server: %w", err)
	}
	if err := <-s.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics' server: %w", err)
	}
	return nil
}
