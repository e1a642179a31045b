package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/trend"
)

// dashboardDays is how many days the dashboard's daily chart shows.
const dashboardDays = 90

// dashboardFresh is how long a computed dashboard is served as it is.
const dashboardFresh = 5 * time.Minute

// Dashboard is everything the admin's /analytics page draws.
type Dashboard struct {
	Metrics *Metrics `json:"metrics"`
	// Daily are the last 90 days (to the window's end) with the expected
	// level and band of ordinary variation; no band while history is short.
	Daily []DailyPoint `json:"daily"`
	// Monthly are the months of the window: the share of each month's
	// buyers who had bought before, and the on-time rate.
	Monthly []MonthPoint `json:"monthly"`
	// Scores summarise the last CLV scoring; nil before the first.
	Scores     *ScoreSummary `json:"scores"`
	ComputedAt time.Time     `json:"computed_at"`
}

// DailyPoint is one day of the daily chart. Expected, Lower and Upper
// are absent (nil) where the history was too short to judge.
type DailyPoint struct {
	Day      string   `json:"day"`
	Orders   float64  `json:"orders"`
	Revenue  float64  `json:"revenue"` // in the shop's currency, major units
	Expected *float64 `json:"expected"`
	Lower    *float64 `json:"lower"`
	Upper    *float64 `json:"upper"`
}

// MonthPoint is one month of the monthly charts.
type MonthPoint struct {
	Month         string   `json:"month"`
	Buyers        int64    `json:"buyers"`
	RepeatShare   *float64 `json:"repeat_share"` // nil without buyers
	Delivered     int64    `json:"delivered"`
	OnTimeRate    *float64 `json:"on_time_rate"` // nil when none was delivered
	NewCustomers  int64    `json:"new_customers"`
	RevenueAmount float64  `json:"revenue"`
}

type dashboardCache struct {
	mu      sync.Mutex
	entries map[Window]*Dashboard
}

// Dashboard returns the window's dashboard, computed at most
// dashboardFresh ago.
func (s *Service) Dashboard(ctx context.Context, w Window) (*Dashboard, error) {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if d := s.cache.entries[w]; d != nil && s.clock.Now().Sub(d.ComputedAt) < dashboardFresh {
		return d, nil
	}
	d, err := s.computeDashboard(ctx, w)
	if err != nil {
		return nil, err
	}
	if s.cache.entries == nil || len(s.cache.entries) > 32 {
		s.cache.entries = map[Window]*Dashboard{}
	}
	s.cache.entries[w] = d
	return d, nil
}

// Forget drops the cached dashboards (after new spend, a dismissed alert).
func (s *Service) Forget() {
	s.cache.mu.Lock()
	s.cache.entries = nil
	s.cache.mu.Unlock()
}

func (s *Service) computeDashboard(ctx context.Context, w Window) (*Dashboard, error) {
	m, err := s.Metrics(ctx, w)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Metrics: m, ComputedAt: s.clock.Now()}
	if d.Daily, err = s.daily(ctx, w); err != nil {
		return nil, err
	}
	if d.Monthly, err = s.monthly(ctx, s.db.Read(), w); err != nil {
		return nil, err
	}
	if d.Scores, err = s.ScoreSummary(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// daily reads the chart's days and the trend's expected level for each.
func (s *Service) daily(ctx context.Context, w Window) ([]DailyPoint, error) {
	end := s.today().AddDate(0, 0, -1)
	if w.To != "" {
		if t, err := time.Parse(time.DateOnly, w.To); err == nil && t.Before(end) {
			end = t
		}
	}
	start := end.AddDate(0, 0, -dashboardDays+1)
	// The expectation of the first shown day needs the weeks before it.
	days, revenue, err := s.DailyOrders(ctx, start.AddDate(0, 0, -alertHistoryDays).Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	scale := math.Pow10(money.Scale(s.settings.Shop.Currency))
	points := make([]DailyPoint, 0, dashboardDays)
	index := map[string]int{}
	for t := start; !t.After(end); t = t.AddDate(0, 0, 1) {
		index[t.Format(time.DateOnly)] = len(points)
		points = append(points, DailyPoint{Day: t.Format(time.DateOnly)})
	}
	for i, day := range days {
		if k, ok := index[day.Date.Format(time.DateOnly)]; ok {
			points[k].Orders = day.Value
			points[k].Revenue = float64(revenue[i]) / scale
		}
	}
	if len(days) == 0 {
		return points, nil
	}
	expected, err := trend.Expect(days, trend.Options{Sensitivity: s.settings.Analytics.Warning.Sensitivity, Through: end})
	switch {
	case err == nil:
	case errors.Is(err, trend.ErrTooLittleHistory):
		return points, nil
	default:
		return nil, fmt.Errorf("expected daily orders: %w", err)
	}
	for _, p := range expected {
		k, ok := index[p.Date.Format(time.DateOnly)]
		if !ok || p.Forecast || math.IsNaN(p.Expected) {
			continue
		}
		e, lo, hi := round1(p.Expected), round1(p.Lower), round1(p.Upper)
		points[k].Expected, points[k].Lower, points[k].Upper = &e, &lo, &hi
	}
	return points, nil
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// monthly reads the months' buyers, repeat share, revenue and on-time
// record.
func (s *Service) monthly(ctx context.Context, q store.Querier, w Window) ([]MonthPoint, error) {
	from, to := w.months()
	if w.From == "" {
		// Without a start, the last two years.
		from = s.today().AddDate(0, -23, 0).Format("2006-01")
	}
	scale := math.Pow10(money.Scale(s.settings.Shop.Currency))
	var out []MonthPoint
	byMonth := map[string]int{}
	err := store.Each(ctx, q, `SELECT month, CAST(SUM(customers) AS BIGINT), CAST(SUM(CASE WHEN cohort = month THEN customers ELSE 0 END) AS BIGINT),
		CAST(SUM(revenue_minor) AS BIGINT) FROM cohort_months WHERE month >= $1 AND month <= $2 GROUP BY month ORDER BY month`,
		[]any{from, to}, func(r store.Rows) error {
			var p MonthPoint
			var revenue int64
			if err := r.Scan(&p.Month, &p.Buyers, &p.NewCustomers, &revenue); err != nil {
				return err
			}
			p.RepeatShare = rate(p.Buyers-p.NewCustomers, p.Buyers)
			p.RevenueAmount = float64(revenue) / scale
			byMonth[p.Month] = len(out)
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read monthly buyers: %w", err)
	}
	err = store.Each(ctx, q, `SELECT SUBSTR(day, 1, 7), CAST(SUM(delivered) AS BIGINT), CAST(SUM(on_time) AS BIGINT)
		FROM delivery_days WHERE day >= $1 AND day <= $2 GROUP BY 1`, []any{from + "-01", to + "-31"}, func(r store.Rows) error {
		var month string
		var n, onTime int64
		if err := r.Scan(&month, &n, &onTime); err != nil {
			return err
		}
		k, ok := byMonth[month]
		if !ok {
			byMonth[month] = len(out)
			out = append(out, MonthPoint{Month: month})
			k = len(out) - 1
		}
		out[k].Delivered, out[k].OnTimeRate = n, rate(onTime, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read monthly on-time record: %w", err)
	}
	slices.SortFunc(out, func(a, b MonthPoint) int { return strings.Compare(a.Month, b.Month) })
	return out, nil
}
