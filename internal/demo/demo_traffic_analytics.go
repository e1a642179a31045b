package demo

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/traffic"
)

// trafficHistoryDays is how many past days of visits the demo shop's
// platform pushes: the early warning's history and the analytics' chart.
const trafficHistoryDays = 120

// TrafficHistory pushes the demo shop's visits of the past days as its
// platform would (POST /api/v1/visits): about fifty visitors per order,
// from the source each order's channel names (direct for the rest), and
// a steady trickle on days without orders. Days that already have
// traffic (the shop's counter) are left alone. It draws from its own
// seeded source, so the rest of the demo stays as it was.
func TrafficHistory(ctx context.Context, a *app.App) error {
	rnd := rand.New(rand.NewPCG(27, 27))
	today := a.Clock.Now().In(a.Settings.Shop.Location())
	from := today.AddDate(0, 0, -trafficHistoryDays).Format(time.DateOnly)
	to := today.AddDate(0, 0, -1).Format(time.DateOnly)
	have, err := a.Traffic.Daily(ctx, from, to)
	if err != nil {
		return fmt.Errorf("demo traffic: %w", err)
	}
	counted := map[string]bool{}
	for _, d := range have {
		counted[d.Day] = true
	}
	orders, err := a.Analytics.OrdersByDayChannel(ctx, from, to)
	if err != nil {
		return fmt.Errorf("demo traffic: %w", err)
	}
	var days []traffic.Day
	for d := today.AddDate(0, 0, -trafficHistoryDays); d.Before(today.Add(-12 * time.Hour)); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		if counted[day] {
			continue
		}
		bySource := map[string]float64{"": 20 + 10*rnd.Float64()}
		for _, ch := range slices.Sorted(maps.Keys(orders[day])) {
			n, src := orders[day][ch], ch
			if ch == "direct" || ch == "site" || ch == "web" || ch == "" {
				src = ""
			}
			bySource[src] += float64(n) * (40 + 20*rnd.Float64())
		}
		for _, src := range slices.Sorted(maps.Keys(bySource)) {
			v := int64(math.Round(bySource[src]))
			visits := v + int64(math.Round(float64(v)*0.2*rnd.Float64()))
			days = append(days, traffic.Day{Day: day, Source: src, Visitors: v, Visits: visits,
				Pageviews: visits * int64(2+rnd.IntN(3))})
		}
	}
	if len(days) == 0 {
		return nil
	}
	return a.Traffic.Push(ctx, traffic.OriginAPI, days)
}
