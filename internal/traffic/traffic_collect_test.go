package traffic

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// start is Monday 23 November 2026, 15:00 in Moscow (the default shop's
// zone).
var start = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const (
	chrome  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	iphone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)

// counterOf is a traffic Service over a fresh database of the engine,
// with the shop at https://shop.example unless yaml says otherwise, and
// a fake clock at start.
func counterOf(t testing.TB, engine store.Engine, yaml ...string) (*Service, *clock.Fake) {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	s, err := config.Parse([]byte("shop:\n  public_url: https://shop.example\n" + strings.Join(yaml, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(start)
	return New(service.Deps{DB: db, Clock: clk, Log: slog.New(slog.DiscardHandler), Settings: s}), clk
}

// hit is a page view of the shop's home page by a visitor on Chrome.
func hit(at time.Time, mods ...func(*Hit)) Hit {
	h := Hit{At: at, Host: "https://shop.example", Path: "/", Addr: "203.0.113.7", Agent: chrome}
	for _, m := range mods {
		m(&h)
	}
	return h
}

func collect(t *testing.T, s *Service, hits ...Hit) {
	t.Helper()
	for _, h := range hits {
		if out := s.Collect(h); out != Accepted {
			t.Fatalf("hit %+v: %s, want accepted", h, out)
		}
	}
	if err := s.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// visitorRow is a row of traffic_visitors.
type visitorRow struct {
	Day, Visitor, Source string
	Visits, Pageviews    int64
}

func visitors(t *testing.T, s *Service) []visitorRow {
	t.Helper()
	var out []visitorRow
	err := store.Each(context.Background(), s.db.Read(), `SELECT day, visitor, source, visits, pageviews FROM traffic_visitors ORDER BY day, first_seen, visitor`,
		nil, func(r store.Rows) error {
			var v visitorRow
			if err := r.Scan(&v.Day, &v.Visitor, &v.Source, &v.Visits, &v.Pageviews); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t *testing.T, s *Service, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.db.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestUniqueVisitors: the same address and browser twice a day is one
// visitor; another browser is another; the next day's salt makes the
// same person a new, unrelated hash.
func TestUniqueVisitors(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s, _ := counterOf(t, engine)
			collect(t, s, hit(start), hit(start.Add(5*time.Minute), func(h *Hit) { h.Path = "/catalog?page=2" }),
				hit(start.Add(6*time.Minute), func(h *Hit) { h.Agent = firefox }))
			v := visitors(t, s)
			if len(v) != 2 || v[0].Pageviews != 2 || v[0].Visits != 1 || v[1].Pageviews != 1 {
				t.Fatalf("visitors %+v, want 2: one of 2 page views in 1 visit, one of 1", v)
			}
			next := start.Add(24 * time.Hour)
			collect(t, s, hit(next))
			v = visitors(t, s)
			if len(v) != 3 || v[2].Day != "2026-11-24" || v[2].Visitor == v[0].Visitor {
				t.Fatalf("next day %+v: want a new visitor with another hash", v)
			}
			if n := count(t, s, `SELECT COUNT(*) FROM traffic_salts`); n != 2 {
				t.Errorf("%d salts, want one per day", n)
			}
			if n := count(t, s, `SELECT COUNT(*) FROM traffic_paths WHERE day = '2026-11-23' AND path = '/catalog'`); n != 1 {
				t.Errorf("the page /catalog?page=2 is not counted as /catalog")
			}
		})
	}
}

// TestVisits: a view 30 minutes after the visitor's last starts a new
// visit, within a batch and across batches; the hours count the starts.
func TestVisits(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s, _ := counterOf(t, engine)
			// 15:00 and 15:10 one visit; 15:45 a second, 15:50 in it;
			// then, in later batches, 16:05 (in it) and 17:00 (a third).
			collect(t, s, hit(start), hit(start.Add(45*time.Minute)), hit(start.Add(10*time.Minute)), hit(start.Add(50*time.Minute)))
			collect(t, s, hit(start.Add(65*time.Minute)))
			collect(t, s, hit(start.Add(2*time.Hour)))
			v := visitors(t, s)
			if len(v) != 1 || v[0].Visits != 3 || v[0].Pageviews != 6 {
				t.Fatalf("visitors %+v, want one with 3 visits and 6 page views", v)
			}
			if n := count(t, s, `SELECT CAST(SUM(visits) AS BIGINT) FROM traffic_hours`); n != 3 {
				t.Errorf("the hours count %d visits, want 3", n)
			}
			if n := count(t, s, `SELECT COUNT(*) FROM traffic_hours WHERE hour = $1 AND pageviews = 4 AND visits = 2`, start.Unix()); n != 1 {
				t.Errorf("the hour of 15:00 is not 4 page views in 2 visits")
			}
		})
	}
}

// TestSources: a campaign's utm_source, a referring site, the shop's
// own pages (no source of their own) and direct visits.
func TestSources(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s, _ := counterOf(t, engine)
			visitor := func(addr string) func(*Hit) { return func(h *Hit) { h.Addr = addr } }
			collect(t, s,
				hit(start, visitor("198.51.100.1"), func(h *Hit) { h.Path = "/?utm_source=Newsletter&utm_medium=email"; h.Ref = "https://mail.example/" }),
				hit(start, visitor("198.51.100.2"), func(h *Hit) { h.Ref = "https://www.google.com/search?q=pan" }),
				hit(start.Add(time.Minute), visitor("198.51.100.2"), func(h *Hit) { h.Path = "/pan"; h.Ref = "https://shop.example/" }),
				hit(start, visitor("198.51.100.3"), func(h *Hit) { h.Ref = "https://www.shop.example/cart" }),
				hit(start, visitor("198.51.100.4")),
			)
			got := map[string]int64{}
			for _, v := range visitors(t, s) {
				got[v.Source] += v.Pageviews
			}
			want := map[string]int64{"newsletter": 1, "google.com": 2, "": 2}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("page views by source %v, want %v", got, want)
			}
		})
	}
}

// TestIgnored: robots, other sites' pages, prefetches, unusable paths,
// and with the settings, do-not-track browsers and a switched-off
// counter are not counted.
func TestIgnored(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s, _ := counterOf(t, engine)
			for _, c := range []struct {
				name string
				hit  Hit
				want Outcome
			}{
				{"googlebot", hit(start, func(h *Hit) { h.Agent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" }), Bot},
				{"yandex", hit(start, func(h *Hit) { h.Agent = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)" }), Bot},
				{"headless", hit(start, func(h *Hit) {
					h.Agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36"
				}), Bot},
				{"curl", hit(start, func(h *Hit) { h.Agent = "curl/8.5.0" }), Bot},
				{"no agent", hit(start, func(h *Hit) { h.Agent = "" }), Bot},
				{"other site", hit(start, func(h *Hit) { h.Host = "https://copycat.example" }), Foreign},
				{"no site", hit(start, func(h *Hit) { h.Host = "" }), Foreign},
				{"prefetch", hit(start, func(h *Hit) { h.Prefetch = true }), Prefetched},
				{"no path", hit(start, func(h *Hit) { h.Path = "" }), Invalid},
				{"script path", hit(start, func(h *Hit) { h.Path = "javascript:alert(1)" }), Invalid},
				{"dnt, not honoured", hit(start, func(h *Hit) { h.NoTrack = true }), Accepted},
				{"www", hit(start, func(h *Hit) { h.Host = "https://www.shop.example"; h.Agent = iphone }), Accepted},
			} {
				if got := s.Collect(c.hit); got != c.want {
					t.Errorf("%s: %s, want %s", c.name, got, c.want)
				}
			}
			if err := s.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := count(t, s, `SELECT CAST(COALESCE(SUM(pageviews), 0) AS BIGINT) FROM traffic_visitors`); n != 2 {
				t.Errorf("%d page views stored, want the 2 accepted", n)
			}

			dnt, _ := counterOf(t, engine, "traffic:\n  honor_dnt: true\n  hosts: [shop.example, localhost]")
			if got := dnt.Collect(hit(start, func(h *Hit) { h.NoTrack = true })); got != NotTracked {
				t.Errorf("do not track, honoured: %s", got)
			}
			if got := dnt.Collect(hit(start, func(h *Hit) { h.Host = "http://localhost:8080" })); got != Accepted {
				t.Errorf("a listed host with a port: %s", got)
			}
			off, _ := counterOf(t, engine, "traffic:\n  counter: false")
			if got := off.Collect(hit(start)); got != Off {
				t.Errorf("counter off: %s", got)
			}
		})
	}
}

// TestNothingPersonal: no table of the counter holds the address, the
// browser, or any part of them; the visitor is an opaque hash.
func TestNothingPersonal(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s, _ := counterOf(t, engine)
			const addr, agent = "192.0.2.201", iphone
			collect(t, s, hit(start, func(h *Hit) { h.Addr, h.Agent, h.Ref = addr, agent, "https://news.example/x" }))
			if _, err := s.Rollup(context.Background()); err != nil {
				t.Fatal(err)
			}
			collect(t, s, hit(start.Add(time.Hour), func(h *Hit) { h.Addr, h.Agent = addr, agent }))
			for _, table := range []string{"traffic_salts", "traffic_visitors", "traffic_days", "traffic_hours", "traffic_paths"} {
				rows, err := s.db.Read().Query(context.Background(), "SELECT * FROM "+table)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					cells := make([]any, 8)
					ptrs := make([]any, 0, 8)
					for i := range cells {
						ptrs = append(ptrs, &cells[i])
					}
					n := map[string]int{"traffic_salts": 2, "traffic_visitors": 7, "traffic_days": 7, "traffic_hours": 4, "traffic_paths": 3}[table]
					if err := rows.Scan(ptrs[:n]...); err != nil {
						t.Fatal(err)
					}
					row := strings.ToLower(fmt.Sprint(cells[:n]...))
					for _, bit := range []string{addr, "192.0.2", "iphone", "safari", "mozilla", "applewebkit"} {
						if strings.Contains(row, bit) {
							t.Errorf("%s holds %q: %s", table, bit, row)
						}
					}
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				rows.Close()
			}
		})
	}
}

// TestStopWrites: the page views in the buffer are written when the
// counter stops (a graceful shutdown, a settings reload), with no Flush;
// a hit after Stop is dropped.
func TestStopWrites(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s, _ := counterOf(t, engine)
			s.Start()
			for i := range 50 {
				if out := s.Collect(hit(start.Add(time.Duration(i)*time.Second), func(h *Hit) { h.Addr = fmt.Sprintf("198.51.100.%d", i%5) })); out != Accepted {
					t.Fatalf("hit %d: %s", i, out)
				}
			}
			s.Stop()
			if n := count(t, s, `SELECT CAST(SUM(pageviews) AS BIGINT) FROM traffic_visitors`); n != 50 {
				t.Errorf("%d page views written at Stop, want 50", n)
			}
			if n := count(t, s, `SELECT COUNT(*) FROM traffic_visitors`); n != 5 {
				t.Errorf("%d visitors, want 5", n)
			}
			if out := s.Collect(hit(start)); out != Dropped {
				t.Errorf("a hit after Stop: %s, want dropped", out)
			}
		})
	}
}

// TestRollup: the days before today are summed into traffic_days per
// source and their visitors deleted, with their salts; hours older than
// 60 days go; a second run changes nothing, and a late visitor of a
// rolled-up day is added to its sums.
func TestRollup(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, clk := counterOf(t, engine)
			old := start.Add(-70 * 24 * time.Hour)
			collect(t, s,
				hit(old),
				hit(start, func(h *Hit) { h.Ref = "https://www.google.com/" }),
				hit(start.Add(time.Minute), func(h *Hit) { h.Path = "/pan" }),
				hit(start.Add(2*time.Hour), func(h *Hit) { h.Path = "/pan" }),
				hit(start, func(h *Hit) { h.Addr = "198.51.100.9"; h.Ref = "https://google.com/" }),
				hit(start, func(h *Hit) { h.Addr = "198.51.100.10" }),
			)
			r, err := s.Rollup(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Visitors != 1 || r.Hours != 1 || r.Salts != 1 {
				t.Errorf("roll-up on the first day: %+v, want the day 70 days ago summed, its hour and salt gone", r)
			}
			clk.Set(start.Add(24 * time.Hour))
			if r, err = s.Rollup(ctx); err != nil || r.Visitors != 3 || r.Salts != 1 {
				t.Fatalf("roll-up the next day: %+v, %v", r, err)
			}
			days := func() string {
				var b strings.Builder
				err := store.Each(ctx, s.db.Read(), `SELECT day, source, origin, pageviews, visits, visitors FROM traffic_days ORDER BY day, source`, nil,
					func(r store.Rows) error {
						var day, source, origin string
						var pv, visits, vis int64
						if err := r.Scan(&day, &source, &origin, &pv, &visits, &vis); err != nil {
							return err
						}
						fmt.Fprintf(&b, "%s %q %s %d/%d/%d; ", day, source, origin, pv, visits, vis)
						return nil
					})
				if err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			want := `2026-09-14 "" counter 1/1/1; 2026-11-23 "" counter 1/1/1; 2026-11-23 "google.com" counter 4/3/2; `
			if got := days(); got != want {
				t.Errorf("traffic_days\n got %s\nwant %s", got, want)
			}
			if _, err := s.Rollup(ctx); err != nil || days() != want {
				t.Errorf("a second run changed the days: %s, %v", days(), err)
			}
			if n := count(t, s, `SELECT COUNT(*) FROM traffic_visitors`) + count(t, s, `SELECT COUNT(*) FROM traffic_salts`); n != 0 {
				t.Errorf("%d visitors and salts left", n)
			}
			// A beacon of the 23rd written late (buffered at midnight).
			collect(t, s, hit(start.Add(8*time.Hour), func(h *Hit) { h.Addr = "198.51.100.11" }))
			if _, err := s.Rollup(ctx); err != nil {
				t.Fatal(err)
			}
			if got := days(); !strings.Contains(got, `2026-11-23 "" counter 2/2/2`) {
				t.Errorf("a late visitor is not added: %s", got)
			}
		})
	}
}

// TestBufferGrowsWithTheLoad: the buffer takes no room until page views
// come, takes bufferSize of them and drops the next, and after they are
// written gives back the room a burst took.
func TestBufferGrowsWithTheLoad(t *testing.T) {
	t.Parallel()
	s, _ := counterOf(t, store.SQLite)
	c := s.counter
	if cap(c.in) != 0 {
		t.Fatalf("an idle buffer holds room for %d page views, want none", cap(c.in))
	}
	v, out := c.classify(hit(start))
	if out != Accepted {
		t.Fatal(out)
	}
	for i := range bufferSize {
		if out := c.put(v); out != Accepted {
			t.Fatalf("page view %d of %d: %s", i+1, bufferSize, out)
		}
	}
	if out := c.put(v); out != Dropped {
		t.Fatalf("a page view past bufferSize: %s, want dropped", out)
	}
	select {
	case <-c.full:
	default:
		t.Error("a buffer of flushAt page views or more did not wake the writer")
	}
	if batch := c.drain(nil); len(batch) != bufferSize {
		t.Fatalf("drained %d page views, want %d", len(batch), bufferSize)
	}
	if len(c.in) != 0 || cap(c.in) > keepCap {
		t.Errorf("after the burst the buffer holds %d page views, room for %d; want none, at most %d", len(c.in), cap(c.in), keepCap)
	}
}
