package traffic

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Hit is one page view as the shop's page reported it (POST /collect):
// what the beacon said and what its request showed. Addr and Agent only
// make the day's visitor hash; neither is ever stored.
type Hit struct {
	// At is when the page was seen, in business time.
	At time.Time
	// Host is the page's host: the request's Origin, else the beacon's
	// host field, else its Referer.
	Host string
	// Path is the page's path, with its query string (utm_source is read
	// from it, then it is dropped), or its whole address.
	Path string
	// Ref is the page's referrer (document.referrer), "" for none.
	Ref string
	// Addr is the visitor's network address, Agent their browser's
	// User-Agent.
	Addr, Agent string
	// Prefetch is set when the browser only fetched the page ahead
	// (Sec-Purpose: prefetch): nobody has seen it.
	Prefetch bool
	// NoTrack is set when the browser asks not to be tracked (DNT: 1 or
	// Sec-GPC: 1).
	NoTrack bool
}

// Outcome is what the counter did with a hit; each outcome is counted
// in the metric shopcare_traffic_beacons_total.
type Outcome string

// The outcomes of a hit.
const (
	Accepted   Outcome = "accepted"    // buffered, written within a second or so
	Bot        Outcome = "bot"         // a robot's User-Agent, or none
	Foreign    Outcome = "foreign"     // a page of a site not in traffic.hosts
	Prefetched Outcome = "prefetch"    // fetched ahead, not seen
	NotTracked Outcome = "not_tracked" // DNT or GPC, with traffic.honor_dnt
	Off        Outcome = "off"         // the counter is switched off
	Invalid    Outcome = "invalid"     // no usable page path
	Dropped    Outcome = "dropped"     // the buffer was full or the counter stopped
	Failed     Outcome = "failed"      // accepted, then lost: its batch could not be written
)

// Outcomes lists every outcome, for the metric's series.
var Outcomes = []Outcome{Accepted, Bot, Foreign, Prefetched, NotTracked, Off, Invalid, Dropped, Failed}

// The counter's batching.
const (
	// FlushEvery is how often, in real time, the buffered page views are
	// written.
	FlushEvery = time.Second
	// flushAt is how many buffered page views are written at once
	// without waiting for the tick.
	flushAt = 2000
	// bufferSize bounds the page views waiting to be written; past it a
	// hit is dropped rather than slow the shop's page.
	bufferSize = 1 << 16
	// keepCap is the most room the buffer keeps once written out: it
	// grows with a burst, up to bufferSize (7 MiB of views), and gives
	// the room back after it, instead of holding it from the start.
	keepCap = 2 * flushAt
)

// counter is the buffer between the beacons and the database: Collect
// puts a classified page view in it without waiting, and one writer
// goroutine writes them in batches (write).
type counter struct {
	s *Service
	// in holds the page views waiting to be written (at most
	// bufferSize); full wakes the writer when it holds flushAt.
	inMu  sync.Mutex
	in    []view
	full  chan struct{}
	bots  botCache
	count func(Outcome)
	hosts hostSet
	salts salts

	mu      sync.Mutex
	running bool
	stopped bool
	flushes chan chan error
	stop    chan struct{}
	done    chan struct{}
}

func newCounter(s *Service) *counter {
	return &counter{s: s, full: make(chan struct{}, 1), count: func(Outcome) {},
		hosts:   newHostSet(s.settings.Traffic.SiteHosts(s.settings.Shop.PublicURL)),
		flushes: make(chan chan error), stop: make(chan struct{}), done: make(chan struct{})}
}

// OnCount sets what counts each hit's outcome (the process's metrics).
func (s *Service) OnCount(f func(outcome string)) {
	if f != nil {
		s.counter.count = func(o Outcome) { f(string(o)) }
	}
}

// Collect takes one page view from the shop's page: it classifies the
// hit (robots, prefetches, other sites' pages are not counted), puts it
// in the buffer and returns at once; the writer stores it within
// FlushEvery. It never blocks: when the buffer is full the hit is
// dropped and counted as Dropped.
func (s *Service) Collect(h Hit) Outcome {
	c := s.counter
	v, out := c.classify(h)
	if out == Accepted {
		out = c.put(v)
		if c.isStopped() {
			out = Dropped
		}
	}
	c.count(out)
	return out
}

// put adds v to the buffer, unless it is full.
func (c *counter) put(v view) Outcome {
	c.inMu.Lock()
	if len(c.in) >= bufferSize {
		c.inMu.Unlock()
		return Dropped
	}
	c.in = append(c.in, v)
	n := len(c.in)
	c.inMu.Unlock()
	if n >= flushAt {
		select {
		case c.full <- struct{}{}:
		default:
		}
	}
	return Accepted
}

func (c *counter) isStopped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

// Start runs the writer that stores the buffered page views every
// FlushEvery (real time) or every flushAt page views.
func (s *Service) Start() {
	c := s.counter
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running || c.stopped {
		return
	}
	c.running = true
	go c.run()
}

// Stop writes what the buffer holds and stops the writer; later hits
// are dropped. It returns when the last batch is written.
func (s *Service) Stop() {
	c := s.counter
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return
	}
	c.stopped = true
	running := c.running
	c.mu.Unlock()
	if !running {
		// Never started (a command that only reads): write what came.
		_ = c.writeAll(context.Background(), c.drain(nil)) // it logs and counts what it could not write
		return
	}
	close(c.stop)
	<-c.done
}

// Flush writes the buffered page views now and returns when they are
// stored (tests, the demo). Without a running writer it writes them
// itself.
func (s *Service) Flush(ctx context.Context) error {
	c := s.counter
	c.mu.Lock()
	running, stopped := c.running, c.stopped
	c.mu.Unlock()
	if !running || stopped {
		return c.writeAll(ctx, c.drain(nil))
	}
	reply := make(chan error, 1)
	select {
	case c.flushes <- reply:
	case <-c.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is the writer: it gathers page views and writes them in batches.
func (c *counter) run() {
	defer close(c.done)
	tick := time.NewTicker(FlushEvery)
	defer tick.Stop()
	batch := make([]view, 0, flushAt)
	ctx := context.Background()
	for {
		select {
		case <-c.full:
			batch = c.drain(batch)
			_ = c.writeAll(ctx, batch)
			batch = emptied(batch)
		case <-tick.C:
			batch = c.drain(batch)
			if len(batch) > 0 {
				_ = c.writeAll(ctx, batch)
				batch = emptied(batch)
			}
		case reply := <-c.flushes:
			batch = c.drain(batch)
			reply <- c.writeAll(ctx, batch)
			batch = emptied(batch)
		case <-c.stop:
			_ = c.writeAll(ctx, c.drain(batch))
			return
		}
	}
}

// emptied returns batch, written, for the next one: emptied, or new when
// a burst grew it past keepCap.
func emptied(batch []view) []view {
	if cap(batch) > keepCap {
		return make([]view, 0, flushAt)
	}
	clear(batch)
	return batch[:0]
}

// drain adds what the buffer holds now to batch and empties it.
func (c *counter) drain(batch []view) []view {
	c.inMu.Lock()
	defer c.inMu.Unlock()
	batch = append(batch, c.in...)
	c.in = emptied(c.in)
	return batch
}

// writeAll writes views in batches of flushAt; a batch that fails is
// logged and its page views lost (counted as Failed): the beacons were
// answered long ago, and the next batches must not wait on it.
func (c *counter) writeAll(ctx context.Context, views []view) error {
	var errs []error
	for len(views) > 0 {
		n := min(len(views), flushAt)
		if err := c.s.write(ctx, views[:n]); err != nil {
			c.s.logger().Error("write page views", "views", n, "err", err)
			for range n {
				c.count(Failed)
			}
			errs = append(errs, err)
		}
		views = views[n:]
	}
	return errors.Join(errs...)
}

// Record counts hits at once, without the buffer: each is classified as
// Collect does and those that count are written in batches, which
// return when they are stored. It is for page views of the past handed
// in together (the demo shop's history); it returns how many counted.
func (s *Service) Record(ctx context.Context, hits []Hit) (int, error) {
	views := make([]view, 0, min(len(hits), flushAt))
	n := 0
	for _, h := range hits {
		v, out := s.counter.classify(h)
		if out != Accepted {
			continue
		}
		views = append(views, v)
		if len(views) == flushAt {
			if err := s.write(ctx, views); err != nil {
				return n, err
			}
			n += len(views)
			views = views[:0]
		}
	}
	if err := s.write(ctx, views); err != nil {
		return n, err
	}
	return n + len(views), nil
}
