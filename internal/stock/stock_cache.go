package stock

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/store"
)

// Availability is what a quote needs of a SKU, read from memory.
type Availability struct {
	// Available is on hand less reserved.
	Available int
	// NextOn is the day of the next incoming delivery; zero for none.
	NextOn calendar.Day
}

// RefreshEvery is how often Watch reloads the availability of every SKU
// from the database, so that what other nodes (or a CLI import) commit
// shows here within seconds. This node's own commits show at once.
const RefreshEvery = 5 * time.Second

// Available answers a SKU's availability from memory, without the
// database; tracked is false for a SKU the shop does not track (it is
// always promised as in stock). The first call loads the cache when
// Watch has not.
func (s *Service) Available(sku string) (a Availability, tracked bool) {
	c := s.cache
	if !c.loaded.Load() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := s.Refresh(ctx); err != nil {
			s.log.Error("load stock availability", "err", err)
		}
		cancel()
	}
	c.mu.RLock()
	sl, ok := c.m[sku]
	c.mu.RUnlock()
	return sl.a, ok
}

// Watch keeps the cache fresh until ctx ends: it loads it, then reloads
// it every RefreshEvery (wall-clock time: freshness is a human matter).
func (s *Service) Watch(ctx context.Context) {
	t := time.NewTicker(RefreshEvery)
	defer t.Stop()
	for {
		if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("refresh stock availability", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Refresh reloads the availability of every SKU from the database. A SKU
// this node changed while the reload read keeps the newer value.
func (s *Service) Refresh(ctx context.Context) error {
	c := s.cache
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	since := c.seq.Load()
	fresh := make(map[string]Availability, c.size())
	q := s.db.Read()
	err := store.Each(ctx, q, `SELECT sku, on_hand - reserved FROM stock_items`, nil, func(r store.Rows) error {
		var sku string
		var n int
		if err := r.Scan(&sku, &n); err != nil {
			return err
		}
		fresh[sku] = Availability{Available: n}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read availability: %w", err)
	}
	err = store.Each(ctx, q, `SELECT sku, MIN(expected_on) FROM stock_incoming GROUP BY sku`, nil, func(r store.Rows) error {
		var sku, day string
		if err := r.Scan(&sku, &day); err != nil {
			return err
		}
		if a, ok := fresh[sku]; ok {
			a.NextOn, _ = calendar.ParseDay(day)
			fresh[sku] = a
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read incoming days: %w", err)
	}
	c.replace(fresh, since)
	c.loaded.Store(true)
	return nil
}

// cache is the availability of every tracked SKU, in memory. Each write
// carries a stamp taken while the transaction held the SKU's row, so an
// older commit's update that arrives late never overwrites a newer one.
type cache struct {
	mu     sync.RWMutex
	m      map[string]slot
	seq    atomic.Uint64
	loaded atomic.Bool
	loadMu sync.Mutex
}

type slot struct {
	a     Availability
	stamp uint64
}

// cacheEntry is one SKU's availability to store.
type cacheEntry struct {
	sku string
	a   Availability
}

func newCache() *cache { return &cache{m: map[string]slot{}} }

// stamp returns a new write stamp.
func (c *cache) stamp() uint64 { return c.seq.Add(1) }

func (c *cache) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// put stores entries written under stamp.
func (c *cache) put(entries []cacheEntry, stamp uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		if cur, ok := c.m[e.sku]; ok && cur.stamp > stamp {
			continue
		}
		c.m[e.sku] = slot{a: e.a, stamp: stamp}
	}
}

// adjust sets the available counts of skus under stamp, keeping their
// next delivery days.
func (c *cache) adjust(avail map[string]int, stamp uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for sku, n := range avail {
		cur, ok := c.m[sku]
		if ok && cur.stamp > stamp {
			continue
		}
		cur.a.Available, cur.stamp = n, stamp
		c.m[sku] = cur
	}
}

// replace installs a reload read after stamp since: the SKUs written
// here since then keep what was written.
func (c *cache) replace(fresh map[string]Availability, since uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]slot, len(fresh))
	for sku, a := range fresh {
		m[sku] = slot{a: a}
	}
	for sku, cur := range c.m {
		if cur.stamp > since {
			m[sku] = cur
		}
	}
	c.m = m
}
