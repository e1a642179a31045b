package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/traffic"
)

// TrafficReader is what analytics reads of the shop's traffic; the
// traffic Service satisfies it.
type TrafficReader interface {
	// Daily is the traffic of each day from..to per source, a pushed day
	// standing in for the counter's.
	Daily(ctx context.Context, from, to string) ([]traffic.Day, error)
	// Hourly is the counter's traffic of each hour from..to (Unix
	// seconds of the hours' starts) that had any.
	Hourly(ctx context.Context, from, to int64) ([]traffic.Hour, error)
}

// TrafficFigures are the visitors of the report's window beside its
// orders. UniqueVisitors sums each day's unique visitors: a visitor is
// known for one day only, so a visitor of two days counts twice.
// Conversion is orders ÷ unique visitors over the days that have traffic
// figures (Orders counts the orders of those days only, so days before
// the counter was installed do not inflate it); nil without visitors.
type TrafficFigures struct {
	Visits         int64    `json:"visits"`
	UniqueVisitors int64    `json:"unique_visitors"`
	Pageviews      int64    `json:"pageviews"`
	Orders         int64    `json:"orders"`
	Conversion     *float64 `json:"conversion"`
	// Days are the window's days with traffic figures, earliest first.
	Days []TrafficDay `json:"days"`
	// Sources are the window's sources, most visits first. A source's
	// orders and conversion are there when the orders' channel names it
	// (google.com's visits meet the orders of channel google; direct
	// visits the orders of channel direct), null when no order says so.
	Sources []TrafficSource `json:"sources"`
}

// TrafficDay is one day's visitors and orders.
type TrafficDay struct {
	Day            string   `json:"day"`
	Visits         int64    `json:"visits"`
	UniqueVisitors int64    `json:"unique_visitors"`
	Pageviews      int64    `json:"pageviews"`
	Orders         int64    `json:"orders"`
	Conversion     *float64 `json:"conversion"`
}

// TrafficSource is one source's visitors over the window, and the
// orders of the channel it matches, if any.
type TrafficSource struct {
	Source         string   `json:"source"` // "" for direct visits
	Visits         int64    `json:"visits"`
	UniqueVisitors int64    `json:"unique_visitors"`
	Pageviews      int64    `json:"pageviews"`
	Orders         *int64   `json:"orders"`
	Conversion     *float64 `json:"conversion"`
}

// trafficFigures reads the window's traffic and sets it beside the
// orders of the same days; nil when the shop has no traffic reader.
func (s *Service) trafficFigures(ctx context.Context, q store.Querier, w Window) (*TrafficFigures, error) {
	if s.traffic == nil {
		return nil, nil
	}
	from, to := w.days()
	days, err := s.traffic.Daily(ctx, from, to)
	if err != nil {
		return nil, err
	}
	t := &TrafficFigures{Days: []TrafficDay{}, Sources: []TrafficSource{}}
	if len(days) == 0 {
		return t, nil
	}
	orders, err := s.ordersByDayChannel(ctx, q, days[0].Day, days[len(days)-1].Day)
	if err != nil {
		return nil, err
	}
	byDay := map[string]int{} // index in t.Days
	bySource := map[string]*TrafficSource{}
	for _, d := range days {
		i, ok := byDay[d.Day]
		if !ok {
			i = len(t.Days)
			byDay[d.Day] = i
			t.Days = append(t.Days, TrafficDay{Day: d.Day})
			for _, n := range orders[d.Day] {
				t.Days[i].Orders += n
			}
		}
		td := &t.Days[i]
		td.Visits, td.UniqueVisitors, td.Pageviews = td.Visits+d.Visits, td.UniqueVisitors+d.Visitors, td.Pageviews+d.Pageviews
		src := bySource[d.Source]
		if src == nil {
			src = &TrafficSource{Source: d.Source}
			bySource[d.Source] = src
		}
		src.Visits, src.UniqueVisitors, src.Pageviews = src.Visits+d.Visits, src.UniqueVisitors+d.Visitors, src.Pageviews+d.Pageviews
	}
	for i := range t.Days {
		d := &t.Days[i]
		d.Conversion = rate(d.Orders, d.UniqueVisitors)
		t.Visits, t.UniqueVisitors, t.Pageviews, t.Orders = t.Visits+d.Visits, t.UniqueVisitors+d.UniqueVisitors,
			t.Pageviews+d.Pageviews, t.Orders+d.Orders
	}
	t.Conversion = rate(t.Orders, t.UniqueVisitors)
	channelOrders := map[string]int64{}
	for day := range byDay {
		for ch, n := range orders[day] {
			channelOrders[ch] += n
		}
	}
	for _, src := range bySource {
		if ch, ok := matchChannel(src.Source, channelOrders); ok {
			n := channelOrders[ch]
			src.Orders, src.Conversion = &n, rate(n, src.UniqueVisitors)
		}
		t.Sources = append(t.Sources, *src)
	}
	slices.SortFunc(t.Sources, func(a, b TrafficSource) int {
		if a.Visits != b.Visits {
			return int(b.Visits - a.Visits)
		}
		return strings.Compare(a.Source, b.Source)
	})
	return t, nil
}

// ordersByDayChannel reads the orders placed (any status) per day and
// channel from..to.
func (s *Service) ordersByDayChannel(ctx context.Context, q store.Querier, from, to string) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	err := store.Each(ctx, q, `SELECT day, channel, CAST(SUM(orders) AS BIGINT) FROM sales_days
		WHERE day >= $1 AND day <= $2 GROUP BY day, channel`, []any{from, to}, func(r store.Rows) error {
		var day, ch string
		var n int64
		if err := r.Scan(&day, &ch, &n); err != nil {
			return err
		}
		if out[day] == nil {
			out[day] = map[string]int64{}
		}
		out[day][ch] += n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read orders per day and channel: %w", err)
	}
	return out, nil
}

// matchChannel finds the orders' channel a traffic source names: the
// source itself (utm_source=google and channel google), the site's name
// of a referring host (www.google.com, l.instagram.com → google,
// instagram), or direct for the direct visits. ok is false when no
// order's channel matches: the source's conversion is then unknown, not
// zero.
func matchChannel(source string, channels map[string]int64) (string, bool) {
	cands := []string{strings.ToLower(source)}
	if source == "" {
		cands = []string{"direct"}
	} else if host := strings.TrimPrefix(cands[0], "www."); strings.Contains(host, ".") {
		labels := strings.Split(host, ".")
		cands = append(cands, host, labels[len(labels)-2])
	}
	for _, c := range cands {
		for ch := range channels {
			if strings.EqualFold(ch, c) {
				return ch, true
			}
		}
	}
	return "", false
}

// OrdersByDayChannel returns the orders placed (any status) on each day
// from..to (YYYY-MM-DD, inclusive) per channel: day → channel → orders.
func (s *Service) OrdersByDayChannel(ctx context.Context, from, to string) (map[string]map[string]int64, error) {
	return s.ordersByDayChannel(ctx, s.db.Read(), from, to)
}
