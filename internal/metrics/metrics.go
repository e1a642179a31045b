package metrics

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/shopcare/shopcare/internal/version"
)

// Namespace prefixes every metric of shopcare's own.
const Namespace = "shopcare"

// Channels are the channels whose counters start at 0.
var Channels = []string{"email", "sms", "telegram"}

// Metrics is the process's registry and the metrics on it. One lives as
// long as the process: the app rebuilt on a settings change keeps it, so
// counters do not restart.
type Metrics struct {
	// Registry holds every metric; the scrape handler reads it.
	Registry *prometheus.Registry

	requests       *prometheus.HistogramVec
	inflight       prometheus.Gauge
	messages       *prometheus.CounterVec
	providerErrors *prometheus.CounterVec
	beacons        *prometheus.CounterVec // the traffic counter's (metrics_traffic.go)
	started        time.Time

	db *dbCollector
}

// Options configure New.
type Options struct {
	// Version is the binary's version, for shopcare_build_info; empty
	// reads it from the build information.
	Version string
	// ScrapeTimeout bounds the database queries of one scrape (2 s by
	// default): a slow database makes the gauges stale, never the scrape
	// hang.
	ScrapeTimeout time.Duration
	// CacheFor is how long the database's gauges are reused between
	// scrapes (10 s by default).
	CacheFor time.Duration
}

// New returns a registry with the Go runtime and process collectors,
// build information and shopcare's metrics.
func New(opts Options) *Metrics {
	if opts.Version == "" {
		opts.Version = version.Get().Version
	}
	if opts.ScrapeTimeout <= 0 {
		opts.ScrapeTimeout = 2 * time.Second
	}
	if opts.CacheFor <= 0 {
		opts.CacheFor = 10 * time.Second
	}
	reg := prometheus.NewRegistry()
	m := &Metrics{Registry: reg, started: time.Now()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route pattern, method and status class.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "code"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Subsystem: "http", Name: "requests_in_flight",
		Help: "HTTP requests being served.",
	})
	m.messages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "messages_total",
		Help: "Customers' messages finished since the process started, by channel and outcome (sent, failed, suppressed).",
	}, []string{"channel", "outcome"})
	m.providerErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "provider_errors_total",
		Help: "Failed sends on a channel's provider (SMTP, SMS, Telegram), by channel and kind (throttled, permanent, temporary).",
	}, []string{"channel", "kind"})
	// Every channel's series exist from the start at 0, so that a rate
	// over the first failure is seen and the dashboard has its lines.
	for _, ch := range Channels {
		for _, o := range []string{"sent", "failed", "suppressed"} {
			m.messages.WithLabelValues(ch, o)
		}
		for _, k := range []string{"throttled", "permanent", "temporary"} {
			m.providerErrors.WithLabelValues(ch, k)
		}
	}
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "build_info",
		Help: "Always 1; the labels name the running binary.",
	}, []string{"version", "goversion"})
	build.WithLabelValues(opts.Version, runtime.Version()).Set(1)
	started := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "start_time_seconds",
		Help: "When the process started, in Unix seconds.",
	})
	started.Set(float64(m.started.Unix()))
	m.db = newDBCollector(opts.ScrapeTimeout, opts.CacheFor)
	m.beacons = newBeacons()
	reg.MustRegister(m.beacons)
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.inflight, m.messages, m.providerErrors, build, started, m.db,
	)
	return m
}

// Started is when the process's metrics began: its uptime's start.
func (m *Metrics) Started() time.Time { return m.started }

// UseSource sets where the database's gauges are read from (the app's
// database); the app rebuilt on a settings change sets its own.
func (m *Metrics) UseSource(s Source) { m.db.use(s) }

// Message counts one customer's message finished on channel with
// outcome (sent, failed, suppressed). A nil Metrics counts nothing.
func (m *Metrics) Message(channel, outcome string) {
	if m == nil {
		return
	}
	if channel == "" {
		channel = "none"
	}
	m.messages.WithLabelValues(channel, outcome).Inc()
}

// ProviderError counts one failed send on channel's provider; kind is
// throttled, permanent or temporary. A nil Metrics counts nothing.
func (m *Metrics) ProviderError(channel, kind string) {
	if m == nil {
		return
	}
	m.providerErrors.WithLabelValues(channel, kind).Inc()
}

// Handler serves the registry in Prometheus's text format. Errors of a
// collector are reported in the scrape, not as a failed scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
		ErrorHandling:     promhttp.ContinueOnError,
		Registry:          m.Registry,
		Timeout:           10 * time.Second,
		EnableOpenMetrics: false,
	})
}

// Names lists the names of the metric families the registry has now
// (the dashboard test checks its queries against them).
func (m *Metrics) Names() (map[string]bool, error) {
	families, err := m.Registry.Gather()
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	return names, nil
}

// Snapshot returns the database's gauges as the last scrape saw them,
// or reads them now when they are older than the cache (the /system
// page shows them).
func (m *Metrics) Snapshot(ctx context.Context) (Gauges, error) {
	return m.db.read(ctx)
}

// statusClass is 2xx, 3xx, 4xx or 5xx: a label of four values.
func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code/100) + "xx"
}
