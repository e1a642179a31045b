package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/money"
)

// AnalyticsSummary is what the demo shop's analytics came to at start.
type AnalyticsSummary struct {
	SpendMonths int // month × channel spend entries
	Report      *analytics.CLVReport
	Segments    map[string]int64
	Alert       *analytics.Alert
}

// acquisitionCost is what winning a customer costs on each paid channel,
// in roubles; other currencies take a tenth of it per unit of a
// hundredth (EUR: 9–15).
var acquisitionCost = map[string]float64{"instagram": 900, "google": 1300, "yandex": 1100, "facebook": 800, "referral": 250}

// Analytics enters the marketing spend the demo shop had on its paid
// channels (what each month's new customers cost, give or take a fifth),
// scores its customers into segments and runs the early warning.
func Analytics(ctx context.Context, a *app.App, rnd *rand.Rand) (AnalyticsSummary, error) {
	var sum AnalyticsSummary
	type cell struct {
		month, channel string
		customers      int64
	}
	var cells []cell
	err := analytics.EachAcquisitionMonth(ctx, a.DB.Read(), func(month, channel string, customers int64) error {
		cells = append(cells, cell{month: month, channel: channel, customers: customers})
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("demo spend: %w", err)
	}
	currency := a.Settings.Shop.Currency
	perUnit := 1.0
	if currency != "RUB" {
		perUnit = 0.011
	}
	for _, c := range cells {
		cost, ok := acquisitionCost[c.channel]
		if !ok || c.customers == 0 {
			continue
		}
		amount := cost * perUnit * float64(c.customers) * (0.8 + 0.4*rnd.Float64())
		scale := money.Scale(currency)
		minor := int64(math.Round(amount * math.Pow10(scale)))
		if _, err := a.Analytics.SpendSet(ctx, c.month, c.channel, money.Format(minor, scale)); err != nil {
			return sum, err
		}
		sum.SpendMonths++
	}
	if sum.Report, err = a.Analytics.Score(ctx); err != nil {
		return sum, err
	}
	summary, err := a.Analytics.ScoreSummary(ctx)
	if err != nil {
		return sum, err
	}
	sum.Segments = map[string]int64{}
	if summary != nil {
		for _, s := range summary.Segments {
			sum.Segments[s.Segment] = s.Customers
		}
	}
	if err := TrafficHistory(ctx, a); err != nil { // issue 27: visits beside the orders
		return sum, err
	}
	if sum.Alert, err = a.Analytics.Watch(ctx); err != nil {
		return sum, err
	}
	return sum, nil
}

// scoreEvery is how often, in shop time, the live demo scores its
// customers again: a week, so win-back messages follow within the demo.
const scoreEvery = 7 * 24 * time.Hour
