package analytics_test

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// loadTrafficHistory writes testdata/traffic_history.csv into a shop: the
// counter's hours, its days (rolled up) and the orders of each day. It
// returns the shop's location.
func loadTrafficHistory(t *testing.T, a *app.App) *time.Location {
	t.Helper()
	f, err := os.Open("testdata/traffic_history.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	loc := a.Settings.Shop.Location()
	type day struct{ visits, visitors, pageviews, orders int64 }
	days := map[string]*day{}
	var order []string
	ctx := context.Background()
	err = a.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, row := range rows[1:] {
			at, err := time.ParseInLocation("2006-01-02T15", row[0], loc)
			if err != nil {
				return err
			}
			n := make([]int64, 4)
			for i := range n {
				if n[i], err = strconv.ParseInt(row[i+1], 10, 64); err != nil {
					return err
				}
			}
			if n[0] > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO traffic_hours (hour, origin, pageviews, visits) VALUES ($1, 'counter', $2, $3)`,
					at.Unix(), n[2], n[0]); err != nil {
					return err
				}
			}
			key := at.Format(time.DateOnly)
			d := days[key]
			if d == nil {
				d = &day{}
				days[key] = d
				order = append(order, key)
			}
			d.visits, d.visitors, d.pageviews, d.orders = d.visits+n[0], d.visitors+n[1], d.pageviews+n[2], d.orders+n[3]
		}
		for _, key := range order {
			d := days[key]
			if _, err := tx.Exec(ctx, `INSERT INTO traffic_days (day, source, origin, pageviews, visits, visitors, updated_at)
				VALUES ($1, '', 'counter', $2, $3, $4, $5)`, key, d.pageviews, d.visits, d.visitors, time.Now()); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO sales_days (day, channel, currency, orders, counted, revenue_minor)
				VALUES ($1, 'site', $2, $3, $3, $4)`, key, a.Settings.Shop.Currency, d.orders, d.orders*250000); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestTrafficWarningOnRecordedHistory plays the early warning over a
// recorded traffic history: ordinary days (nights included) and a
// campaign spike raise nothing; the outage raises traffic_drop within
// the hour, once; orders falling while visits hold raise
// conversion_drop; visits halved for a day raise traffic_drop.
func TestTrafficWarningOnRecordedHistory(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			loc := loadTrafficHistory(t, a)
			at := func(s string) time.Time {
				v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			watch := func(now time.Time) []analytics.Alert {
				t.Helper()
				clk.Set(now)
				raised, err := a.Analytics.WatchTraffic(ctx)
				if err != nil {
					t.Fatalf("watch at %s: %v", now, err)
				}
				return raised
			}
			// Every hour of ordinary days, a weekday and a Sunday, nights
			// included (the shop has no night traffic), and of the campaign
			// spike and the day after it: nothing.
			for _, day := range []string{"2026-11-04", "2026-11-08", "2026-11-07", "2026-11-09", "2026-11-18"} {
				for h := range 24 {
					now := at(day + " 00:05").Add(time.Duration(h) * time.Hour)
					if raised := watch(now); len(raised) > 0 {
						t.Fatalf("at %s: %+v, want nothing", now, raised)
					}
				}
			}
			// The outage: visits stop at 13:00 on Thursday 26 November. The
			// hour 12:00–13:00 was ordinary; 13:00–14:00 is judged at 14:05.
			if raised := watch(at("2026-11-26 13:05")); len(raised) > 0 {
				t.Fatalf("before the outage: %+v", raised)
			}
			raised := watch(at("2026-11-26 14:05"))
			if len(raised) != 1 || raised[0].Kind != analytics.AlertTrafficDrop || raised[0].Day != "2026-11-26" ||
				raised[0].Hour == nil || !raised[0].Hour.Equal(at("2026-11-26 13:00")) || raised[0].Actual != 0 || raised[0].Expected < 40 {
				t.Fatalf("the outage's first hour: %+v, want traffic_drop for 13:00", raised)
			}
			for _, now := range []string{"2026-11-26 15:05", "2026-11-26 20:05", "2026-11-27 00:30", "2026-11-27 05:05"} {
				if again := watch(at(now)); len(again) > 0 {
					t.Fatalf("at %s: %+v, want the outage told once", now, again)
				}
			}
			// The site still down the next morning is a new day's news.
			if next := watch(at("2026-11-27 09:05")); len(next) != 1 || next[0].Day != "2026-11-27" {
				t.Fatalf("still down the next morning: %+v", next)
			}
			// Orders fall to a fifth on Thursday 19 November while visits
			// hold: conversion_drop, not traffic_drop.
			exec(t, a, `UPDATE sales_days SET orders = orders / 5, counted = counted / 5 WHERE day = '2026-11-19'`)
			raised = watch(at("2026-11-20 00:30"))
			if len(raised) != 1 || raised[0].Kind != analytics.AlertConversionDrop || raised[0].Day != "2026-11-19" ||
				raised[0].Actual >= raised[0].Lower || raised[0].Lower >= raised[0].Expected || raised[0].Expected < 0.015 {
				t.Fatalf("orders fell, visits held: %+v, want conversion_drop", raised)
			}
			// A broken campaign: Tuesday 24 November's visits are a third of
			// the usual (the counter's roll-up says so), orders along with
			// them: traffic_drop for the day, not conversion_drop.
			exec(t, a, `UPDATE traffic_days SET visits = visits / 3, visitors = visitors / 3 WHERE day = '2026-11-24'`)
			exec(t, a, `UPDATE sales_days SET orders = orders / 3 WHERE day = '2026-11-24'`)
			raised = watch(at("2026-11-25 00:30"))
			if len(raised) != 1 || raised[0].Kind != analytics.AlertTrafficDrop || raised[0].Day != "2026-11-24" || raised[0].Hour != nil ||
				raised[0].Actual > raised[0].Lower {
				t.Fatalf("visits fell to a third: %+v, want a day's traffic_drop", raised)
			}
			latest, err := a.Analytics.LatestAlert(ctx)
			if err != nil || latest == nil || latest.Kind != analytics.AlertTrafficDrop || latest.Day != "2026-11-27" || latest.Hour == nil {
				t.Fatalf("latest alert: %+v %v", latest, err)
			}
		})
	}
}

// exec runs a statement that rewrites the recorded history.
func exec(t *testing.T, a *app.App, query string) {
	t.Helper()
	err := a.DB.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), query)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTrafficAlertText words the new kinds in each language, the
// conversion as a percentage, the outage's hour.
func TestTrafficAlertText(t *testing.T) {
	t.Parallel()
	hour := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	cases := []struct {
		lang string
		a    analytics.Alert
		want []string
	}{
		{"en", analytics.Alert{Kind: analytics.AlertTrafficDrop, Day: "2026-11-26", Actual: 0, Expected: 71, Lower: 40, Hour: &hour},
			[]string{"fewer visitors", "13:00–14:00", "about 71"}},
		{"ru", analytics.Alert{Kind: analytics.AlertTrafficDrop, Day: "2026-11-24", Actual: 372, Expected: 1050, Lower: 800},
			[]string{"посетителей стало меньше", "372", "1\u00a0050"}},
		{"lv", analytics.Alert{Kind: analytics.AlertConversionDrop, Day: "2026-11-19", Actual: 0.0048, Expected: 0.0198, Lower: 0.0095},
			[]string{"retāk pasūta", "0,5%", "2,0%"}},
		{"ru", analytics.Alert{Kind: analytics.AlertConversionDrop, Day: "2026-11-19", Actual: 0.0048, Expected: 0.0198, Lower: 0.0095},
			[]string{"0,5\u00a0%", "2,0\u00a0%"}},
	}
	for _, c := range cases {
		subject, text := analytics.AlertText(c.lang, "Shop", c.a, "https://shop.example/analytics")
		all := subject + "\n" + text
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s %s: %q lacks %q", c.lang, c.a.Kind, all, w)
			}
		}
		if c.lang != "en" && strings.Contains(all, "visits") {
			t.Errorf("%s: English in %q", c.lang, all)
		}
	}
}
