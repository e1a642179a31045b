package web

import (
	"math"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/i18n"
)

// trafficChartDays is how many days the traffic chart shows: the last
// of the window, as the orders' chart.
const trafficChartDays = 90

// trafficChart is the visits of each day (left axis) beside the orders
// (right axis), drawn by analytics.js as the daily chart; nil without
// traffic figures.
func trafficChart(t *analytics.TrafficFigures, txt func(string) string) *timeChart {
	if t == nil || len(t.Days) == 0 {
		return nil
	}
	days := t.Days[max(len(t.Days)-trafficChartDays, 0):]
	c := &timeChart{Unit: "count", Y: txt("analytics.traffic.chart.visits_axis"), Y2: txt("analytics.traffic.chart.orders_axis")}
	visits, orders := make([]*float64, 0, len(days)), make([]*float64, 0, len(days))
	for _, d := range days {
		at, err := time.Parse(time.DateOnly, d.Day)
		if err != nil {
			return nil
		}
		v, o := float64(d.Visits), float64(d.Orders)
		c.X, visits, orders = append(c.X, at.Unix()), append(visits, &v), append(orders, &o)
	}
	// The script draws role "orders" on the left axis and role "revenue"
	// on the right one.
	c.Series = []chartSeries{{Name: txt("analytics.traffic.chart.visits"), Role: "orders", Values: visits},
		{Name: txt("analytics.traffic.chart.orders"), Role: "revenue", Values: orders}}
	return c
}

// Conv writes a conversion (a share, 0.0123) as a percentage with a
// decimal in the viewer's language, "—" when it is unknown.
func (n numbers) Conv(share *float64) string {
	if share == nil {
		return "—"
	}
	return analytics.SharePercent(n.lang, *share)
}

// trafficBlock is the traffic section of the analytics page, its
// figures written in the viewer's language.
type trafficBlock struct {
	Visits, Visitors, Pageviews, Orders, Conversion string
	Sources                                         []trafficSourceRow
	// Matched tells whether any source met its orders' channel: the
	// table shows orders and conversion per source only then.
	Matched bool
	// MoreSources counts the sources beyond the table's rows.
	MoreSources int
}

// trafficSourceRow is a row of the table of sources.
type trafficSourceRow struct {
	Name, Visits, Visitors, Orders, Conversion string
	// Raw marks a source named as it came (a site's host, a campaign's
	// utm_source): shown verbatim, as data.
	Raw bool
}

// maxSourceRows is how many sources the table lists, the most visited
// first; the rest are counted below it.
const maxSourceRows = 8

// trafficBlockOf writes the traffic figures for the page; nil when the
// shop counts no traffic in the window.
func trafficBlockOf(n numbers, t *analytics.TrafficFigures) *trafficBlock {
	if t == nil || len(t.Days) == 0 {
		return nil
	}
	b := &trafficBlock{Visits: n.Int(t.Visits), Visitors: n.Int(t.UniqueVisitors), Pageviews: n.Int(t.Pageviews),
		Orders: n.Int(t.Orders), Conversion: n.Conv(t.Conversion)}
	for i, s := range t.Sources {
		if s.Orders != nil {
			b.Matched = true
		}
		if i >= maxSourceRows {
			b.MoreSources++
			continue
		}
		row := trafficSourceRow{Name: trafficSourceName(n.lang, s.Source), Visits: n.Int(s.Visits), Visitors: n.Int(s.UniqueVisitors),
			Orders: "—", Conversion: n.Conv(s.Conversion), Raw: s.Source != ""}
		if s.Orders != nil {
			row.Orders = n.Int(*s.Orders)
		}
		b.Sources = append(b.Sources, row)
	}
	return b
}

// trafficSourceName is a traffic source as the owner reads it: direct
// visits in words, a site or campaign by its name.
func trafficSourceName(lang i18n.Lang, source string) string {
	if source == "" {
		return i18n.Text(lang, "analytics.traffic.direct", nil)
	}
	return source
}

// alertBannerText is the banner's words for an alert on traffic, in
// lang; "" for the other kinds, which the template words itself.
func alertBannerText(lang i18n.Lang, loc *time.Location, a *analytics.Alert) string {
	data := map[string]any{"Day": formatStoredDay(lang, a.Day)}
	switch a.Kind {
	case analytics.AlertConversionDrop:
		data["Actual"], data["Expected"] = analytics.SharePercent(lang, a.Actual), analytics.SharePercent(lang, a.Expected)
		return i18n.Text(lang, "analytics.alert.conversion_drop.text", data)
	case analytics.AlertTrafficDrop:
		data["Actual"] = i18n.Number(lang, int64(math.Round(a.Actual)))
		data["Expected"] = i18n.Number(lang, int64(math.Round(a.Expected)))
		if a.Hour != nil {
			h := a.Hour.In(loc)
			data["Hour"] = h.Format("15:04") + "–" + h.Add(time.Hour).Format("15:04")
			return i18n.Text(lang, "analytics.alert.traffic_drop.hour_text", data)
		}
		return i18n.Text(lang, "analytics.alert.traffic_drop.text", data)
	}
	return ""
}
