package web

import (
	"math"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/i18n"
)

// chartData is what analytics.js draws, handed over as JSON in a
// <script type="application/json"> element (data, never run): the
// series and, in the viewer's language, their names and axis titles. A
// chart without data is nil, and the page says so in words instead.
type chartData struct {
	Lang     string      `json:"lang"`
	Currency string      `json:"currency"`
	Daily    *timeChart  `json:"daily"`
	Traffic  *timeChart  `json:"traffic"` // visits beside orders (analytics_traffic.go)
	Repeat   *timeChart  `json:"repeat"`
	OnTime   *timeChart  `json:"on_time"`
	CLV      *barChart   `json:"clv"`
	Texts    chartFormat `json:"texts"`
}

// chartFormat holds the words the script needs besides the series'.
type chartFormat struct {
	Band  string `json:"band"`  // the daily chart's range of ordinary days
	Day   string `json:"day"`   // the legend's name of the day on show
	Month string `json:"month"` // and of the month
}

// timeChart is a chart over days or months: X in Unix seconds at the
// day's (month's first day's) midnight UTC, the series over it. A nil
// value is a gap.
type timeChart struct {
	X      []int64       `json:"x"`
	Series []chartSeries `json:"series"`
	Y      string        `json:"y"`            // the left axis' title
	Y2     string        `json:"y2,omitempty"` // the right axis' title
	Unit   string        `json:"unit"`         // "count", "percent"
	Months bool          `json:"months"`       // X are months, not days
}

// chartSeries is one line: Role tells the script how to draw it
// (orders, expected, lower, upper, revenue, share).
type chartSeries struct {
	Name   string     `json:"name"`
	Role   string     `json:"role"`
	Values []*float64 `json:"values"`
}

// barChart is the CLV distribution: a bar per bucket from X[i] to
// X[i]+Width, in the shop's currency.
type barChart struct {
	X      []float64 `json:"x"`
	Width  float64   `json:"width"`
	Counts []int64   `json:"counts"`
	Name   string    `json:"name"`
	XTitle string    `json:"x_title"`
	YTitle string    `json:"y_title"`
}

// chartData builds the charts of a dashboard.
func (h *Handler) chartData(lang i18n.Lang, d *analytics.Dashboard) chartData {
	cur := h.app.Settings.Shop.Currency
	txt := func(id string) string { return i18n.Text(lang, id, map[string]any{"Currency": cur}) }
	c := chartData{Lang: string(lang), Currency: cur, Texts: chartFormat{Band: txt("analytics.chart.band"),
		Day: txt("analytics.chart.day"), Month: txt("analytics.chart.month")}}
	c.Daily = dailyChart(d.Daily, txt)
	c.Traffic = trafficChart(d.Metrics.Traffic, txt)
	var months []int64
	repeat, onTime := make([]*float64, 0, len(d.Monthly)), make([]*float64, 0, len(d.Monthly))
	var delivered bool
	for _, m := range d.Monthly {
		t, err := time.Parse("2006-01", m.Month)
		if err != nil {
			continue
		}
		months = append(months, t.Unix())
		var share, rate *float64
		if m.RepeatShare != nil {
			share = percentPoint(*m.RepeatShare)
		}
		if m.OnTimeRate != nil {
			rate, delivered = percentPoint(*m.OnTimeRate), true
		}
		repeat, onTime = append(repeat, share), append(onTime, rate)
	}
	if len(months) > 0 && slices.ContainsFunc(repeat, func(v *float64) bool { return v != nil }) {
		c.Repeat = &timeChart{X: months, Months: true, Unit: "percent", Y: txt("analytics.chart.share_axis"),
			Series: []chartSeries{{Name: txt("analytics.chart.repeat_share"), Role: "share", Values: repeat}}}
	}
	if delivered {
		c.OnTime = &timeChart{X: months, Months: true, Unit: "percent", Y: txt("analytics.chart.share_axis"),
			Series: []chartSeries{{Name: txt("analytics.chart.on_time_rate"), Role: "share", Values: onTime}}}
	}
	if s := d.Scores; s != nil && len(s.Histogram) > 0 {
		b := &barChart{Width: s.Histogram[0].To - s.Histogram[0].From, Name: txt("analytics.chart.customers"),
			XTitle: txt("analytics.chart.clv_axis"), YTitle: txt("analytics.chart.customers")}
		for _, k := range s.Histogram {
			b.X, b.Counts = append(b.X, k.From), append(b.Counts, k.Customers)
		}
		c.CLV = b
	}
	return c
}

// dailyChart is the daily orders with their expected level and band, and
// the revenue on the right axis; nil while no day had an order.
func dailyChart(days []analytics.DailyPoint, txt func(string) string) *timeChart {
	c := &timeChart{Unit: "count", Y: txt("analytics.chart.orders_axis"), Y2: txt("analytics.chart.revenue_axis")}
	orders, revenue := make([]*float64, len(days)), make([]*float64, len(days))
	expected, lower, upper := make([]*float64, len(days)), make([]*float64, len(days)), make([]*float64, len(days))
	var some, band bool
	for i, d := range days {
		t, err := time.Parse(time.DateOnly, d.Day)
		if err != nil {
			return nil
		}
		c.X = append(c.X, t.Unix())
		o, r := d.Orders, d.Revenue
		orders[i], revenue[i] = &o, &r
		expected[i], lower[i], upper[i] = d.Expected, d.Lower, d.Upper
		some = some || o > 0
		band = band || d.Expected != nil
	}
	if !some {
		return nil
	}
	c.Series = []chartSeries{{Name: txt("analytics.chart.orders"), Role: "orders", Values: orders}}
	if band {
		c.Series = append(c.Series,
			chartSeries{Name: txt("analytics.chart.expected"), Role: "expected", Values: expected},
			chartSeries{Name: txt("analytics.chart.lower"), Role: "lower", Values: lower},
			chartSeries{Name: txt("analytics.chart.upper"), Role: "upper", Values: upper})
	}
	c.Series = append(c.Series, chartSeries{Name: txt("analytics.chart.revenue"), Role: "revenue", Values: revenue})
	return c
}

// percentPoint is a share as a percentage with one decimal.
func percentPoint(share float64) *float64 {
	v := math.Round(share*1000) / 10
	return &v
}
