package traffic

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// VisitGap is the pause after which a visitor's next page view starts a
// new visit, as the common counters reckon it.
const VisitGap = 30 * time.Minute

// dayFormat is how the tables write a shop-local day.
const dayFormat = time.DateOnly

// salts caches the days' salts the writer used, by day.
type salts struct {
	mu sync.Mutex
	m  map[string][]byte
}

// saltOf returns the salt of the shop-local day: the one in
// traffic_salts, which every node shares, or a new random one stored
// there first.
func (s *Service) saltOf(ctx context.Context, day string) ([]byte, error) {
	c := &s.counter.salts
	c.mu.Lock()
	defer c.mu.Unlock()
	if salt, ok := c.m[day]; ok {
		return salt, nil
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	var salt string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO traffic_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING`,
			day, hex.EncodeToString(fresh)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT salt FROM traffic_salts WHERE day = $1`, day).Scan(&salt)
	})
	if err != nil {
		return nil, fmt.Errorf("salt of %s: %w", day, err)
	}
	key, err := hex.DecodeString(salt)
	if err != nil {
		return nil, fmt.Errorf("salt of %s: %w", day, err)
	}
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	for d := range c.m {
		if d < day {
			delete(c.m, d) // an older day's salt is not kept in memory either
		}
	}
	c.m[day] = key
	return key, nil
}

// visitorOf is the day's visitor hash: HMAC-SHA-256 keyed with the
// day's salt over the site, address and browser, cut to 128 bits. The
// salt is deleted the day after, so the hash can be traced back to
// nobody.
func visitorOf(salt []byte, v view) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(v.host))
	m.Write([]byte{0})
	m.Write([]byte(v.addr))
	m.Write([]byte{0})
	m.Write([]byte(v.agent))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// visitorKey names a visitor of a day.
type visitorKey struct{ day, visitor string }

// visitorBatch is a visitor's page views of one batch, earliest first.
type visitorBatch struct {
	visitorKey
	views []view
}

// write stores a batch of page views in one transaction: each visitor's
// day (traffic_visitors: a view VisitGap after their last one starts a
// new visit), the hours (traffic_hours) and the pages (traffic_paths).
func (s *Service) write(ctx context.Context, views []view) error {
	if len(views) == 0 {
		return nil
	}
	loc := s.settings.Shop.Location()
	groups := map[visitorKey]*visitorBatch{}
	days := map[string][]string{}
	for _, v := range views {
		day := v.at.In(loc).Format(dayFormat)
		salt, err := s.saltOf(ctx, day)
		if err != nil {
			return err
		}
		k := visitorKey{day: day, visitor: visitorOf(salt, v)}
		g := groups[k]
		if g == nil {
			g = &visitorBatch{visitorKey: k}
			groups[k] = g
			days[day] = append(days[day], k.visitor)
		}
		v.addr, v.agent = "", ""
		g.views = append(g.views, v)
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		last := map[visitorKey]int64{}
		for day, visitors := range days {
			err := store.QueryIn(ctx, tx, `SELECT visitor, last_seen FROM traffic_visitors WHERE day = $1 AND visitor IN (IN_LIST)`,
				[]any{day}, visitors, func(r store.Rows) error {
					var visitor string
					var seen int64
					if err := r.Scan(&visitor, &seen); err != nil {
						return err
					}
					last[visitorKey{day, visitor}] = seen
					return nil
				})
			if err != nil {
				return fmt.Errorf("read visitors of %s: %w", day, err)
			}
		}
		type hourKey int64
		type pathKey struct{ day, path string }
		type tally struct{ pageviews, visits int64 }
		hours := map[hourKey]*tally{}
		paths := map[pathKey]int64{}
		rows := make([][]any, 0, len(groups))
		for k, g := range groups {
			slices.SortStableFunc(g.views, func(a, b view) int { return a.at.Compare(b.at) })
			prev, seen := last[k]
			var visits int64
			source := ""
			for i, v := range g.views {
				at := v.at.Unix()
				starts := !seen || at-prev >= int64(VisitGap/time.Second)
				if i == 0 || starts {
					visits++ // the first view counts as a start here; the upsert corrects it
				}
				if i == 0 && !v.internal {
					source = v.source
				}
				l := v.at.In(loc)
				h := hourKey(time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, loc).Unix())
				t := hours[h]
				if t == nil {
					t = &tally{}
					hours[h] = t
				}
				t.pageviews++
				if starts {
					t.visits++
				}
				paths[pathKey{k.day, v.path}]++
				prev, seen = max(prev, at), true
			}
			first, lastAt := g.views[0].at.Unix(), g.views[len(g.views)-1].at.Unix()
			rows = append(rows, []any{k.day, k.visitor, source, first, lastAt, visits, int64(len(g.views))})
		}
		// A row already there: its visits grow by the batch's starts, less
		// one when the batch's first view continues the visit it had.
		err := store.InsertMany(ctx, tx, "traffic_visitors", []string{"day", "visitor", "source", "first_seen", "last_seen", "visits", "pageviews"},
			sortRows(rows), `ON CONFLICT (day, visitor) DO UPDATE SET
				visits = traffic_visitors.visits + excluded.visits
					- CASE WHEN excluded.first_seen - traffic_visitors.last_seen < 1800 THEN 1 ELSE 0 END,
				pageviews = traffic_visitors.pageviews + excluded.pageviews,
				first_seen = CASE WHEN excluded.first_seen < traffic_visitors.first_seen THEN excluded.first_seen ELSE traffic_visitors.first_seen END,
				last_seen = CASE WHEN excluded.last_seen > traffic_visitors.last_seen THEN excluded.last_seen ELSE traffic_visitors.last_seen END`, nil)
		if err != nil {
			return fmt.Errorf("write visitors: %w", err)
		}
		hourRows := make([][]any, 0, len(hours))
		for h, t := range hours {
			hourRows = append(hourRows, []any{int64(h), OriginCounter, t.pageviews, t.visits})
		}
		err = store.InsertMany(ctx, tx, "traffic_hours", []string{"hour", "origin", "pageviews", "visits"}, sortRows(hourRows),
			`ON CONFLICT (hour, origin) DO UPDATE SET pageviews = traffic_hours.pageviews + excluded.pageviews,
				visits = traffic_hours.visits + excluded.visits`, nil)
		if err != nil {
			return fmt.Errorf("write hours: %w", err)
		}
		pathRows := make([][]any, 0, len(paths))
		for p, n := range paths {
			pathRows = append(pathRows, []any{p.day, p.path, n})
		}
		err = store.InsertMany(ctx, tx, "traffic_paths", []string{"day", "path", "pageviews"}, sortRows(pathRows),
			`ON CONFLICT (day, path) DO UPDATE SET pageviews = traffic_paths.pageviews + excluded.pageviews`, nil)
		if err != nil {
			return fmt.Errorf("write pages: %w", err)
		}
		return nil
	})
}

// sortRows orders rows by their leading columns, so that concurrent
// writers on PostgreSQL lock the same rows in the same order and never
// deadlock.
func sortRows(rows [][]any) [][]any {
	slices.SortFunc(rows, func(a, b []any) int {
		for i := range min(len(a), 2) {
			if c := compareCell(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return rows
}

// compareCell orders two cells of one column.
func compareCell(a, b any) int {
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		return cmp.Compare(x, y)
	case int64:
		y, _ := b.(int64)
		return cmp.Compare(x, y)
	}
	return 0
}

// logger is the service's logger, or one that discards.
func (s *Service) logger() *slog.Logger {
	if s.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.log
}
