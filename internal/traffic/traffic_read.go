package traffic

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// originRank orders the origins a day's figures may come from: the
// shop's own pushed numbers first, then a connector's, the counter last.
// One origin stands for a whole day, so two never add up.
func originRank(origin string) int {
	switch origin {
	case OriginAPI:
		return 0
	case OriginCounter:
		return 2
	}
	return 1
}

// Daily returns the traffic of each day from..to (YYYY-MM-DD, inclusive)
// per source, earliest first: a day the shop or its platform pushed
// stands in for the counter's. A counter day not yet rolled up into
// traffic_days (today, and yesterday until the roll-up) is summed from
// traffic_visitors, so today's figures so far are in it too.
func (s *Service) Daily(ctx context.Context, from, to string) ([]Day, error) {
	type row struct {
		Day
		origin string
	}
	var rows []row
	err := store.Each(ctx, s.db.Read(), `SELECT day, source, origin, pageviews, visits, visitors FROM traffic_days
		WHERE day >= $1 AND day <= $2 ORDER BY day, origin, source`, []any{from, to}, func(r store.Rows) error {
		var x row
		if err := r.Scan(&x.Day.Day, &x.Source, &x.origin, &x.Pageviews, &x.Visits, &x.Visitors); err != nil {
			return err
		}
		rows = append(rows, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read traffic days %s..%s: %w", from, to, err)
	}
	// best is the origin that stands for each day.
	best := map[string]string{}
	for _, x := range rows {
		if o, ok := best[x.Day.Day]; !ok || originRank(x.origin) < originRank(o) {
			best[x.Day.Day] = x.origin
		}
	}
	var out []Day
	for _, x := range rows {
		if best[x.Day.Day] == x.origin {
			out = append(out, x.Day)
		}
	}
	fresh, err := s.freshDays(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, d := range fresh {
		if _, ok := best[d.Day]; !ok {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b Day) int {
		if c := strings.Compare(a.Day, b.Day); c != 0 {
			return c
		}
		return strings.Compare(a.Source, b.Source)
	})
	return out, nil
}

// freshDays sums the counter's visitors of the days from..to not yet
// rolled up, per day and source.
func (s *Service) freshDays(ctx context.Context, from, to string) ([]Day, error) {
	var out []Day
	err := store.Each(ctx, s.db.Read(), `SELECT day, source, CAST(SUM(pageviews) AS BIGINT), CAST(SUM(visits) AS BIGINT),
		CAST(COUNT(*) AS BIGINT) FROM traffic_visitors WHERE day >= $1 AND day <= $2 GROUP BY day, source ORDER BY day, source`,
		[]any{from, to}, func(r store.Rows) error {
			var d Day
			if err := r.Scan(&d.Day, &d.Source, &d.Pageviews, &d.Visits, &d.Visitors); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read fresh traffic %s..%s: %w", from, to, err)
	}
	return out, nil
}

// Hourly returns the counter's traffic of each hour from..to (Unix
// seconds of the hours' starts, inclusive) that had any, earliest first.
func (s *Service) Hourly(ctx context.Context, from, to int64) ([]Hour, error) {
	var out []Hour
	err := store.Each(ctx, s.db.Read(), `SELECT hour, CAST(SUM(pageviews) AS BIGINT), CAST(SUM(visits) AS BIGINT)
		FROM traffic_hours WHERE hour >= $1 AND hour <= $2 AND origin = $3 GROUP BY hour ORDER BY hour`, []any{from, to, OriginCounter},
		func(r store.Rows) error {
			var h Hour
			if err := r.Scan(&h.Start, &h.Pageviews, &h.Visits); err != nil {
				return err
			}
			out = append(out, h)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read traffic hours: %w", err)
	}
	return out, nil
}

// Totals is the traffic of a period summed over its days and sources.
// UniqueVisitors is the sum of each day's unique visitors: a visitor is
// known for one day only, so who came back another day is not counted
// apart, by design.
type Totals struct {
	Pageviews int64 `json:"pageviews"`
	Visits    int64 `json:"visits"`
	Visitors  int64 `json:"unique_visitors"`
}

// Today returns the shop-local day's traffic so far, over all sources.
func (s *Service) Today(ctx context.Context) (Totals, error) {
	today := s.clock.Now().In(s.settings.Shop.Location()).Format(time.DateOnly)
	days, err := s.Daily(ctx, today, today)
	if err != nil {
		return Totals{}, err
	}
	var t Totals
	for _, d := range days {
		t.Pageviews, t.Visits, t.Visitors = t.Pageviews+d.Pageviews, t.Visits+d.Visits, t.Visitors+d.Visitors
	}
	return t, nil
}

// Page is a page of the shop's site and how often it was seen.
type Page struct {
	Path      string `json:"path"`
	Pageviews int64  `json:"pageviews"`
}

// TopPages returns the limit pages the counter saw most from..to
// (YYYY-MM-DD, inclusive), most seen first.
func (s *Service) TopPages(ctx context.Context, from, to string, limit int) ([]Page, error) {
	var out []Page
	err := store.Each(ctx, s.db.Read(), `SELECT path, CAST(SUM(pageviews) AS BIGINT) AS n FROM traffic_paths
		WHERE day >= $1 AND day <= $2 GROUP BY path ORDER BY n DESC, path LIMIT $3`, []any{from, to, limit},
		func(r store.Rows) error {
			var p Page
			if err := r.Scan(&p.Path, &p.Pageviews); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read top pages %s..%s: %w", from, to, err)
	}
	return out, nil
}
