package metrics

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Source reads the gauges that live in the database. The app implements
// it over its job queue, journal and messages.
type Source interface {
	Gauges(ctx context.Context) (Gauges, error)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context) (Gauges, error)

// Gauges implements Source.
func (f SourceFunc) Gauges(ctx context.Context) (Gauges, error) { return f(ctx) }

// Gauges are the database's figures at one moment.
type Gauges struct {
	// Jobs counts the job queue's jobs by kind, queue and state.
	Jobs []JobCount
	// JournalPending counts the journal's events not yet handled.
	JournalPending int64
	// JournalLag is the age of the oldest of them (0 when none), in
	// real time.
	JournalLag time.Duration
	// ReadAt is when the figures were read (real time).
	ReadAt time.Time
}

// JobCount is how many jobs of a kind wait in a queue in a state.
type JobCount struct {
	Kind, Queue, State string
	N                  int64
}

// QueueStates are the states of jobs that wait in a queue: its depth.
var QueueStates = []string{"available", "scheduled", "retryable"}

// ByState sums the jobs by state.
func (g Gauges) ByState() map[string]int64 {
	out := map[string]int64{}
	for _, j := range g.Jobs {
		out[j.State] += j.N
	}
	return out
}

// ErrNoSource is returned by a read before the app set its source.
var ErrNoSource = errors.New("metrics: no database source")

var (
	descJobs = prometheus.NewDesc(Namespace+"_jobs", "Jobs in the job queue by kind and state.",
		[]string{"kind", "state"}, nil)
	descQueue = prometheus.NewDesc(Namespace+"_queue_depth", "Jobs waiting in each queue (available, scheduled, retryable).",
		[]string{"queue", "state"}, nil)
	descPending = prometheus.NewDesc(Namespace+"_journal_pending_events", "Journal events not yet handled.", nil, nil)
	descLag     = prometheus.NewDesc(Namespace+"_journal_lag_seconds", "Age of the oldest journal event not yet handled (0 when none).", nil, nil)
	descUp      = prometheus.NewDesc(Namespace+"_db_scrape_success", "1 when the database's gauges were read within the scrape timeout, else 0 (the gauges are then the last ones read).", nil, nil)
	descAge     = prometheus.NewDesc(Namespace+"_db_scrape_age_seconds", "How old the database's gauges in this scrape are.", nil, nil)
)

// dbCollector reads the database's gauges at scrape time, at most once
// every cacheFor, and waits at most timeout for them: a slow database
// leaves the last figures (and success 0), never a hanging scrape.
type dbCollector struct {
	timeout, cacheFor time.Duration

	mu      sync.Mutex
	source  Source
	gen     int // bumped by use: a read of an older source is dropped
	last    Gauges
	lastErr error
	reading chan struct{} // closed when the read in flight ends; nil when none
}

func newDBCollector(timeout, cacheFor time.Duration) *dbCollector {
	return &dbCollector{timeout: timeout, cacheFor: cacheFor}
}

func (c *dbCollector) use(s Source) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.source = s
	c.gen++
	c.last, c.lastErr = Gauges{}, nil
}

// Describe implements prometheus.Collector.
func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descJobs, descQueue, descPending, descLag, descUp, descAge} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	g, err := c.read(context.Background())
	up := 1.0
	if err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)
	if g.ReadAt.IsZero() {
		return
	}
	ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, time.Since(g.ReadAt).Seconds())
	type kindState struct{ kind, state string }
	kinds := map[kindState]int64{}
	queues := map[kindState]int64{}
	for _, q := range []string{"default"} {
		for _, s := range QueueStates {
			queues[kindState{q, s}] = 0
		}
	}
	for _, j := range g.Jobs {
		kinds[kindState{j.Kind, j.State}] += j.N
		for _, s := range QueueStates {
			if j.State == s {
				queues[kindState{j.Queue, s}] += j.N
			}
		}
	}
	for k, n := range kinds {
		ch <- prometheus.MustNewConstMetric(descJobs, prometheus.GaugeValue, float64(n), k.kind, k.state)
	}
	for k, n := range queues {
		ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(n), k.kind, k.state)
	}
	ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(g.JournalPending))
	ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, g.JournalLag.Seconds())
}

// read returns the cached gauges when fresh, else reads them, waiting at
// most timeout (or ctx). A read that outlasts the wait goes on in the
// background and fills the cache for the next scrape; only one read runs
// at a time.
func (c *dbCollector) read(ctx context.Context) (Gauges, error) {
	c.mu.Lock()
	if c.source == nil {
		c.mu.Unlock()
		return Gauges{}, ErrNoSource
	}
	if !c.last.ReadAt.IsZero() && time.Since(c.last.ReadAt) < c.cacheFor && c.lastErr == nil {
		g := c.last
		c.mu.Unlock()
		return g, nil
	}
	done := c.reading
	if done == nil {
		done = make(chan struct{})
		c.reading = done
		go c.fetch(c.source, c.gen, done)
	}
	c.mu.Unlock()

	wait := time.NewTimer(c.timeout)
	defer wait.Stop()
	select {
	case <-done:
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.last, c.lastErr
	case <-wait.C:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last, fmt.Errorf("read the database's gauges: no answer within %s", c.timeout)
}

// fetch reads the gauges from s under a deadline of its own (a few
// times the scrape's wait) and stores them.
func (c *dbCollector) fetch(s Source, gen int, done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*c.timeout)
	defer cancel()
	g, err := s.Gauges(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	defer close(done)
	c.reading = nil
	if c.gen != gen { // the app was rebuilt meanwhile
		return
	}
	if err != nil {
		c.lastErr = fmt.Errorf("read the database's gauges: %w", err)
		return
	}
	g.ReadAt = time.Now()
	c.last, c.lastErr = g, nil
}
