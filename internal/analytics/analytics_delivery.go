package analytics

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
)

// Delivery is how the shop keeps its delivery promises: the delivered
// orders' record, by carrier and by route (the destination), and what is
// at stake now.
type Delivery struct {
	Delivered int64 `json:"delivered"` // delivered orders with a promise given
	OnTime    int64 `json:"on_time"`   // of them, by the promised day
	Late      int64 `json:"late"`      // of them, after it
	// AverageDelayDays is the mean of how many days after the promised day
	// the late ones arrived.
	AverageDelayDays float64 `json:"average_delay_days"`
	// AtRisk are open orders on (or just past) their promised day, LateOpen
	// those found late and still on their way; StuckParcels have had no
	// carrier event for too long; WaitingAtPickup wait for the customer.
	AtRisk          int64          `json:"at_risk"`
	LateOpen        int64          `json:"late_open"`
	StuckParcels    int64          `json:"stuck_parcels"`
	WaitingAtPickup int64          `json:"waiting_at_pickup"`
	ByCarrier       []DeliveryLine `json:"by_carrier"`
	// ByRoute are the destinations (country and city) with late orders,
	// most late (then longest delay) first, at most 20; ByCarrier are in
	// the same order.
	ByRoute []DeliveryLine `json:"by_route"`
}

// DeliveryLine is the record of one carrier or route.
type DeliveryLine struct {
	Key              string   `json:"key"`
	Delivered        int64    `json:"delivered"`
	OnTime           int64    `json:"on_time"`
	Late             int64    `json:"late"`
	OnTimeRate       *float64 `json:"on_time_rate"` // nil when none was delivered
	AverageDelayDays float64  `json:"average_delay_days"`
	LateOpen         int64    `json:"late_open"`
}

// maxRoutes bounds Delivery.ByRoute.
const maxRoutes = 20

// ComputeDelivery reads the whole delivery record from the store.
func ComputeDelivery(ctx context.Context, q store.Querier) (*Delivery, error) {
	return computeDelivery(ctx, q, Window{})
}

// computeDelivery reads the record of the orders delivered in the window
// from the roll-up, and what is at stake now from the open orders.
func computeDelivery(ctx context.Context, q store.Querier, w Window) (*Delivery, error) {
	d := &Delivery{ByCarrier: []DeliveryLine{}, ByRoute: []DeliveryLine{}}
	type tally struct {
		DeliveryLine
		delay float64
	}
	carriers, routes := map[string]*tally{}, map[string]*tally{}
	line := func(m map[string]*tally, key string) *tally {
		t := m[key]
		if t == nil {
			t = &tally{DeliveryLine: DeliveryLine{Key: key}}
			m[key] = t
		}
		return t
	}
	var totalDelay float64
	fromDay, toDay := w.days()
	err := store.Each(ctx, q, `SELECT carrier, country, city, CAST(SUM(delivered) AS BIGINT), CAST(SUM(on_time) AS BIGINT),
		CAST(SUM(late) AS BIGINT), CAST(SUM(delay_days) AS BIGINT)
		FROM delivery_days WHERE day >= $1 AND day <= $2 GROUP BY 1, 2, 3`, []any{fromDay, toDay}, func(r store.Rows) error {
		var carrierCode, country, city string
		var n, onTime, late, delay int64
		if err := r.Scan(&carrierCode, &country, &city, &n, &onTime, &late, &delay); err != nil {
			return err
		}
		c, rt := line(carriers, carrierName(carrierCode)), line(routes, route(country, city))
		c.Delivered, rt.Delivered, d.Delivered = c.Delivered+n, rt.Delivered+n, d.Delivered+n
		c.OnTime, rt.OnTime, d.OnTime = c.OnTime+onTime, rt.OnTime+onTime, d.OnTime+onTime
		c.Late, rt.Late, d.Late = c.Late+late, rt.Late+late, d.Late+late
		c.delay, rt.delay, totalDelay = c.delay+float64(delay), rt.delay+float64(delay), totalDelay+float64(delay)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("delivery record: %w", err)
	}
	err = order.FactsLateOpenEach(ctx, q, func(f order.LateOpenFact) error {
		line(carriers, carrierName(f.Carrier)).LateOpen += f.Orders
		line(routes, route(f.Country, f.City)).LateOpen += f.Orders
		d.LateOpen += f.Orders
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("late open orders: %w", err)
	}
	if d.AtRisk, err = order.FactsCountAtRisk(ctx, q); err != nil {
		return nil, fmt.Errorf("orders at risk: %w", err)
	}
	open, err := parcel.FactsCountOpen(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("open parcels: %w", err)
	}
	d.StuckParcels, d.WaitingAtPickup = open.Stuck, open.WaitingAtPickup
	d.AverageDelayDays = average(totalDelay, d.Late)
	finish := func(m map[string]*tally, keep func(*tally) bool) []DeliveryLine {
		out := []DeliveryLine{}
		for _, t := range m {
			if !keep(t) {
				continue
			}
			t.OnTimeRate = rate(t.OnTime, t.Delivered)
			t.AverageDelayDays = average(t.delay, t.Late)
			out = append(out, t.DeliveryLine)
		}
		sort.Slice(out, func(i, j int) bool {
			if a, b := out[i].Late+out[i].LateOpen, out[j].Late+out[j].LateOpen; a != b {
				return a > b
			}
			if out[i].AverageDelayDays != out[j].AverageDelayDays {
				return out[i].AverageDelayDays > out[j].AverageDelayDays
			}
			return out[i].Key < out[j].Key
		})
		return out
	}
	d.ByCarrier = finish(carriers, func(*tally) bool { return true })
	d.ByRoute = finish(routes, func(t *tally) bool { return t.Late+t.LateOpen > 0 })
	if len(d.ByRoute) > maxRoutes {
		d.ByRoute = d.ByRoute[:maxRoutes]
	}
	return d, nil
}

func carrierName(code string) string {
	if code == "" {
		return "(none)"
	}
	return code
}

// route names a destination: "LV Riga", "RU", "(unknown)".
func route(country, city string) string {
	switch {
	case country == "" && city == "":
		return "(unknown)"
	case city == "":
		return country
	case country == "":
		return city
	}
	return country + " " + city
}

// daysBetween is how many days b is after a (YYYY-MM-DD both); 0 when
// either cannot be read.
func daysBetween(a, b string) float64 {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return tb.Sub(ta).Hours() / 24
}

// average is sum/n rounded to two places, 0 when n is 0.
func average(sum float64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(sum/float64(n)*100) / 100
}
