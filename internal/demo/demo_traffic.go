package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/traffic"
)

// The demo shop's visitors: its site is shop.example (the WooCommerce
// connector's), whose pages carry shopcare's counter (count.js).
const (
	trafficHost = "https://shop.example"
	// trafficDays is how far back the counter's history goes.
	trafficDays = 35
	// conversion is the share of a day's visitors who order: a small
	// shop's 2–3 %.
	conversion = 0.027
	// historyVisitors is the history's visitors a day for the usual
	// 1,500 customers (about 9 orders a day at the history's end).
	historyVisitors = 330.0
	// campaignDaysAgo is the day the shop's newsletter went out (three
	// times the day's visitors, from utm_source=newsletter), and
	// outageDaysAgo the weekday the site was down from 11:00 to 14:00.
	campaignDaysAgo = 16
	outageDaysAgo   = 9
)

// trafficSource is where a share of the visitors comes from: a
// referring site's address, or a campaign's utm_source.
type trafficSource struct {
	ref, utm string
	weight   float64
}

// trafficSources are the demo shop's sources by its country.
func trafficSources(country string) []trafficSource {
	if country == "RU" {
		return []trafficSource{{"", "", 34}, {"https://yandex.ru/search/?text=сковорода", "", 26}, {"https://www.google.com/", "", 16},
			{"https://vk.com/", "", 10}, {"https://t.me/", "", 6}, {"", "newsletter", 5}, {"https://dzen.ru/", "", 3}}
	}
	return []trafficSource{{"", "", 34}, {"https://www.google.com/", "", 32}, {"https://www.facebook.com/", "", 12},
		{"https://www.instagram.com/", "", 9}, {"", "newsletter", 6}, {"https://www.salidzini.lv/", "", 7}}
}

// trafficPages are the shop's pages a visit walks through.
var trafficPages = []string{"/", "/catalog", "/catalog/pans", "/catalog/knives", "/product/pan-24", "/product/knife-chef",
	"/product/board-oak", "/product/dutch-4", "/delivery", "/cart", "/checkout"}

// trafficAgents are the visitors' browsers.
var trafficAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", // a robot now and then: not counted
}

// visitor draws one visitor's page views from at: a source, one to a
// dozen pages a few minutes apart, and now and then a second visit
// later that day.
func visitor(rnd *rand.Rand, at time.Time, sources []trafficSource) []traffic.Hit {
	src := sources[pickWeighted(rnd, sources)]
	addr := fmt.Sprintf("%d.%d.%d.%d", 31+rnd.IntN(180), rnd.IntN(256), rnd.IntN(256), 1+rnd.IntN(254))
	agent := trafficAgents[rnd.IntN(len(trafficAgents))]
	var hits []traffic.Hit
	visits := 1
	if rnd.IntN(100) < 15 {
		visits = 2
	}
	for v := range visits {
		if v > 0 {
			at = at.Add(time.Duration(40+rnd.IntN(300)) * time.Minute)
		}
		ref := src.ref
		page := trafficPages[rnd.IntN(5)]
		if src.utm != "" && v == 0 {
			page += "?utm_source=" + src.utm + "&utm_medium=email"
		}
		for p := 0; ; p++ {
			hits = append(hits, traffic.Hit{At: at, Host: trafficHost, Path: page, Ref: ref, Addr: addr, Agent: agent})
			if p >= 11 || rnd.Float64() < 0.38 {
				break
			}
			ref = trafficHost + page
			page = trafficPages[rnd.IntN(len(trafficPages))]
			at = at.Add(time.Duration(15+rnd.IntN(180)) * time.Second)
		}
	}
	return hits
}

func pickWeighted(rnd *rand.Rand, sources []trafficSource) int {
	var sum float64
	for _, s := range sources {
		sum += s.weight
	}
	x := rnd.Float64() * sum
	for i, s := range sources {
		if x -= s.weight; x < 0 {
			return i
		}
	}
	return len(sources) - 1
}

// seedTraffic gives the demo shop's counter its past, written through
// the counter's own writes and rolled up as its nightly job does: five
// weeks of visitors in the rhythm of the shop's orders (the hour, the
// weekday), a newsletter's spike, and a weekday when the site was down
// from 11:00 to 14:00. The number of visitors follows the number of
// customers, so that a few per cent of them order.
func seedTraffic(ctx context.Context, a *app.App, customers int, until time.Time) error {
	rnd := rand.New(rand.NewPCG(uint64(until.Unix()), 27))
	loc := a.Settings.Shop.Location()
	sources := trafficSources(a.Settings.Shop.Country)
	perDay := historyVisitors * float64(customers) / 1500
	l := until.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	outage := today.AddDate(0, 0, -outageDaysAgo)
	for outage.Weekday() == time.Saturday || outage.Weekday() == time.Sunday {
		outage = outage.AddDate(0, 0, -1)
	}
	down := func(t time.Time) bool { // the outage: nobody saw a page
		l := t.In(loc)
		return l.Format(time.DateOnly) == outage.Format(time.DateOnly) && l.Hour() >= 11 && l.Hour() < 14
	}
	var hits []traffic.Hit
	flush := func() error {
		if _, err := a.Traffic.Record(ctx, hits); err != nil {
			return fmt.Errorf("demo traffic: %w", err)
		}
		hits = hits[:0]
		return nil
	}
	for d := trafficDays; d >= 0; d-- {
		day := today.AddDate(0, 0, -d)
		growth := 0.85 + 0.15*float64(trafficDays-d)/trafficDays
		n := perDay * growth * weekdayWeights[day.Weekday()] * (0.9 + 0.2*rnd.Float64())
		campaign := 0.0
		switch d {
		case campaignDaysAgo:
			campaign = 2 * perDay
		case campaignDaysAgo - 1:
			campaign = 0.5 * perDay
		}
		for range int(math.Round(n + campaign)) {
			at := timeOfDay(rnd, day.Add(12*time.Hour), loc)
			if !at.Before(until) || down(at) {
				continue
			}
			v := visitor(rnd, at, sources)
			if campaign > 0 && rnd.Float64()*(n+campaign) < campaign {
				v = visitor(rnd, at, []trafficSource{{"", "newsletter", 1}})
			}
			for _, h := range v {
				if h.At.Before(until) && !down(h.At) {
					hits = append(hits, h)
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	_, err := a.Traffic.Rollup(ctx)
	return err
}

// liveTraffic is the live shop's visitors: Step sends their page views
// to the counter as the shop's pages would (POST /collect's path),
// about one visitor in conversion ordering.
type liveTraffic struct {
	rnd  *rand.Rand
	last time.Time // shop time up to which visitors came
	day  string    // the shop day last rolled up
}

// trafficLive sends the page views of the visitors who came since the
// last step, in the hours' rhythm of the orders, and once a shop day
// writes them and rolls up the days before (the job that does it in
// serve runs on the wall clock, too slow for a demo's).
func (l *Live) trafficLive(ctx context.Context, now time.Time) error {
	if l.traffic == nil {
		l.traffic = &liveTraffic{rnd: rand.New(rand.NewPCG(l.salt, 27)), last: now}
	}
	t := l.traffic
	if !now.After(t.last) {
		return nil
	}
	from := t.last
	if now.Sub(from) > maxCatchUp {
		from = now.Add(-maxCatchUp)
	}
	sources := trafficSources(l.a.Settings.Shop.Country)
	for _, at := range arrivals(t.rnd, from, now, l.a.Settings.Shop.Location(), l.opts.OrdersPerDay/conversion) {
		for _, h := range visitor(t.rnd, at, sources) {
			if h.At.After(now) {
				h.At = now
			}
			l.a.Traffic.Collect(h)
		}
	}
	t.last = now
	if day := now.In(l.a.Settings.Shop.Location()).Format(time.DateOnly); day != t.day {
		t.day = day
		if err := l.a.Traffic.Flush(ctx); err != nil {
			return err
		}
		if _, err := l.a.Traffic.Rollup(ctx); err != nil {
			return err
		}
	}
	return nil
}
