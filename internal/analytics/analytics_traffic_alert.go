package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/trend"
)

// The kinds of the early warning on traffic (issue 27), beside
// AlertOrdersDrop.
const (
	// AlertTrafficDrop: visits fell clearly below their expected level,
	// on a whole day (judged on yesterday) or, for an outage, in the last
	// complete hour.
	AlertTrafficDrop = "traffic_drop"
	// AlertConversionDrop: orders fell while visits held, so the share of
	// visitors who order (orders ÷ unique visitors) dropped.
	AlertConversionDrop = "conversion_drop"
)

// The outage check's limits.
const (
	// outageWeeks is how many past weeks' same hour give an hour its
	// usual level; outageMinWeeks must have been counted.
	outageWeeks    = 8
	outageMinWeeks = 3
	// outageMinVisits is the usual visits an hour must have before its
	// emptiness means anything: a shop with no night traffic is never
	// warned at night.
	outageMinVisits = 10
	// outageShare: the hour's visits must also be below this share of
	// its usual level, whatever the spread of the past weeks.
	outageShare = 0.25
)

// WatchTraffic runs the early warning on traffic: yesterday's visits
// (traffic_drop) and conversion (conversion_drop) against their
// expected bands, and the last complete hour's visits against the same
// hour of past weeks (an outage raises traffic_drop within the hour).
// Each kind is recorded once per day, so the hourly runs of a day never
// raise it twice; it returns the alerts raised by this run.
func (s *Service) WatchTraffic(ctx context.Context) ([]Alert, error) {
	if s.traffic == nil || s.settings.Analytics.Warning.Off {
		return nil, nil
	}
	var raised []Alert
	keep := func(a *Alert, err error) error {
		if a != nil {
			raised = append(raised, *a)
		}
		return err
	}
	if err := keep(s.watchOutage(ctx)); err != nil {
		return raised, err
	}
	traffic, conversion, err := s.watchTrafficDay(ctx)
	if err := keep(traffic, err); err != nil {
		return raised, err
	}
	return raised, keep(conversion, nil)
}

// watchTrafficDay judges yesterday's visits and conversion.
func (s *Service) watchTrafficDay(ctx context.Context) (traffic, conversion *Alert, err error) {
	yesterday := s.today().AddDate(0, 0, -1)
	from := yesterday.AddDate(0, 0, -alertHistoryDays)
	days, err := s.traffic.Daily(ctx, from.Format(time.DateOnly), yesterday.Format(time.DateOnly))
	if err != nil {
		return nil, nil, err
	}
	visitors := map[string]float64{}
	var visits []trend.Day
	for _, d := range days {
		visitors[d.Day] += float64(d.Visitors)
		t, err := time.Parse(time.DateOnly, d.Day)
		if err != nil {
			return nil, nil, fmt.Errorf("traffic day %q: %w", d.Day, err)
		}
		if n := len(visits); n > 0 && visits[n-1].Date.Equal(t) {
			visits[n-1].Value += float64(d.Visits)
		} else {
			visits = append(visits, trend.Day{Date: t, Value: float64(d.Visits)})
		}
	}
	if len(visits) == 0 {
		return nil, nil, nil
	}
	opts := trend.Options{Sensitivity: s.settings.Analytics.Warning.Sensitivity}
	if last := visits[len(visits)-1].Date; !last.Equal(yesterday) {
		// Yesterday has no figures. A live counter's silence is news (the
		// site or its script is down); pushed figures may just be late.
		live, err := s.counterLive(ctx)
		if err != nil || !live {
			return nil, nil, err
		}
		opts.Through = yesterday
	}
	w, err := trend.Check(visits, opts)
	switch {
	case errors.Is(err, trend.ErrTooLittleHistory):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("check daily visits: %w", err)
	case w != nil:
		traffic, err = s.record(ctx, &Alert{Kind: AlertTrafficDrop, Day: w.Date.Format(time.DateOnly), Actual: w.Actual,
			Expected: math.Round(w.Expected*10) / 10, Lower: math.Round(w.Lower*10) / 10, Days: w.Days})
		// A day whose visits dropped explains its orders: conversion is
		// judged only while visits hold.
		return traffic, nil, err
	}
	orders, _, err := s.DailyOrders(ctx, from.Format(time.DateOnly), yesterday.Format(time.DateOnly))
	if err != nil {
		return nil, nil, err
	}
	byDay := make(map[string]float64, len(orders))
	for _, o := range orders {
		byDay[o.Date.Format(time.DateOnly)] = o.Value
	}
	history := make([]trend.RateDay, 0, len(visits))
	for _, v := range visits {
		day := v.Date.Format(time.DateOnly)
		history = append(history, trend.RateDay{Date: v.Date, Exposures: visitors[day], Events: byDay[day]})
	}
	rw, err := trend.CheckRate(history, opts)
	switch {
	case errors.Is(err, trend.ErrTooLittleHistory):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("check daily conversion: %w", err)
	case rw == nil:
		return nil, nil, nil
	}
	conversion, err = s.record(ctx, &Alert{Kind: AlertConversionDrop, Day: rw.Date.Format(time.DateOnly),
		Actual: roundShare(rw.Actual), Expected: roundShare(rw.Expected), Lower: roundShare(rw.Lower), Days: 1})
	return nil, conversion, err
}

// roundShare keeps a share to a hundredth of a percent.
func roundShare(v float64) float64 { return math.Round(v*10000) / 10000 }

// counterLive tells whether the shop's counter saw visits in the last
// week: its silence since is then an outage, not a shop without one.
func (s *Service) counterLive(ctx context.Context) (bool, error) {
	now := s.clock.Now().Unix()
	hours, err := s.traffic.Hourly(ctx, now-7*86400, now)
	return len(hours) > 0, err
}

// watchOutage judges the last complete hour: its visits against the
// median of the same hour of the past weeks the counter counted. It
// raises traffic_drop for the hour's day when the hour usually has
// visits (outageMinVisits or more) and had far fewer: far below on the
// square-root scale (as trend's day far below) and under a quarter of
// the usual.
func (s *Service) watchOutage(ctx context.Context) (*Alert, error) {
	hour := s.clock.Now().Truncate(time.Hour).Add(-time.Hour).Unix()
	const week = 7 * 86400
	hours, err := s.traffic.Hourly(ctx, hour-outageWeeks*week, hour)
	if err != nil || len(hours) == 0 {
		return nil, err
	}
	seen := make(map[int64]float64, len(hours))
	for _, h := range hours {
		seen[h.Start] = float64(h.Visits)
	}
	firstSeen := hours[0].Start
	var past []float64
	for w := int64(1); w <= outageWeeks; w++ {
		if at := hour - w*week; at >= firstSeen {
			past = append(past, seen[at])
		}
	}
	if len(past) < outageMinWeeks {
		return nil, nil
	}
	usual := median(slices.Clone(past))
	actual := seen[hour]
	if usual < outageMinVisits || actual >= usual*outageShare {
		return nil, nil
	}
	resid := make([]float64, len(past))
	for i, v := range past {
		resid[i] = rootCount(v) - rootCount(usual)
	}
	tau := math.Max(1, 1.4826*median(absAll(resid)))
	k := s.settings.Analytics.Warning.Sensitivity
	if k == 0 {
		k = 3
	}
	if (rootCount(actual)-rootCount(usual))/tau >= -(k + 1) {
		return nil, nil
	}
	lower := math.Max(0, unrootCount(rootCount(usual)-k*tau))
	at := time.Unix(hour, 0).UTC()
	return s.record(ctx, &Alert{Kind: AlertTrafficDrop, Day: at.In(s.settings.Shop.Location()).Format(time.DateOnly),
		Actual: actual, Expected: math.Round(usual*10) / 10, Lower: math.Round(lower*10) / 10, Days: 1, Hour: &at})
}

// rootCount is the square-root scale on which counts have a spread of
// about 1 (Anscombe), as trend uses; unrootCount inverts it.
func rootCount(x float64) float64 { return 2 * math.Sqrt(x+3.0/8) }

func unrootCount(u float64) float64 {
	if u <= rootCount(0) {
		return 0
	}
	return u*u/4 - 3.0/8
}

// median sorts x and returns its middle value; x must not be empty.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// absAll returns the absolute values of x, in place.
func absAll(x []float64) []float64 {
	for i := range x {
		x[i] = math.Abs(x[i])
	}
	return x
}

// trafficAlertData sets the figures of a traffic alert's texts in lang:
// visits as counts, conversion as percentages with a decimal, the hour
// of an outage as "13:00–14:00" in the hour's own location.
func trafficAlertData(l i18n.Lang, a Alert, data map[string]any) {
	switch a.Kind {
	case AlertConversionDrop:
		data["Actual"], data["Expected"], data["Lower"] = SharePercent(l, a.Actual), SharePercent(l, a.Expected), SharePercent(l, a.Lower)
	default:
		data["Actual"] = i18n.Number(l, int64(math.Round(a.Actual)))
		data["Expected"] = i18n.Number(l, int64(math.Round(a.Expected)))
		data["Lower"] = i18n.Number(l, int64(math.Ceil(a.Lower)))
	}
	if a.Hour != nil {
		data["Hour"] = a.Hour.Format("15:04") + "–" + a.Hour.Add(time.Hour).Format("15:04")
	}
}

// SharePercent writes a share as a percentage with one decimal, the way
// lang does: 0.0123 → "1.2%", "1,2 %" (Russian), "1,2%" (Latvian).
func SharePercent(l i18n.Lang, share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Round(share*1000)/10, 'f', 1, 64)
	switch l {
	case i18n.RU:
		return strings.Replace(s, ".", ",", 1) + "\u00a0%"
	case i18n.LV:
		return strings.Replace(s, ".", ",", 1) + "%"
	}
	return s + "%"
}
