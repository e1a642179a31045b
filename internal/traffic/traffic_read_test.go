package traffic

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// readTestNow is Tuesday 1 December 2026, 15:00 in Moscow.
var readTestNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// readTestService returns the traffic Service over a fresh database of
// the engine, its clock at readTestNow.
func readTestService(t testing.TB, engine store.Engine) *Service {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	return New(service.Deps{DB: db, Clock: clock.NewFake(readTestNow), Log: slog.New(slog.DiscardHandler), Settings: config.Default()})
}

// rolledUpDay writes what the counter rolled up for a day and source.
func rolledUpDay(t *testing.T, s *Service, d Day) {
	t.Helper()
	ctx := context.Background()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO traffic_days (day, source, origin, pageviews, visits, visitors, updated_at)
			VALUES ($1, $2, 'counter', $3, $4, $5, $6)`, d.Day, d.Source, d.Pageviews, d.Visits, d.Visitors, readTestNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDailyMergesOrigins reads days from the counter's roll-up, from
// its visitors not yet rolled up (today's so far), and pushed days
// standing in for the counter's; and hours, and top pages.
func TestDailyMergesOrigins(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := readTestService(t, engine)
			rolledUpDay(t, s, Day{Day: "2026-11-29", Source: "", Pageviews: 300, Visits: 100, Visitors: 90})
			rolledUpDay(t, s, Day{Day: "2026-11-29", Source: "google.com", Pageviews: 60, Visits: 20, Visitors: 20})
			rolledUpDay(t, s, Day{Day: "2026-11-30", Source: "", Pageviews: 300, Visits: 100, Visitors: 90})
			// Today so far: three visitors, two from google.com.
			err := s.db.InTx(ctx, func(tx *store.Tx) error {
				for i, src := range []string{"google.com", "google.com", ""} {
					if _, err := tx.Exec(ctx, `INSERT INTO traffic_visitors (day, visitor, source, first_seen, last_seen, visits, pageviews)
						VALUES ('2026-12-01', $1, $2, 1, 2, $3, $4)`, string(rune('a'+i)), src, i+1, 2*(i+1)); err != nil {
						return err
					}
				}
				for _, h := range []int64{1000 * 3600, 1001 * 3600} {
					if _, err := tx.Exec(ctx, `INSERT INTO traffic_hours (hour, origin, pageviews, visits) VALUES ($1, 'counter', 9, 3)`, h); err != nil {
						return err
					}
				}
				_, err := tx.Exec(ctx, `INSERT INTO traffic_paths (day, path, pageviews) VALUES ('2026-11-30', '/a', 5), ('2026-11-30', '/b', 9), ('2026-11-29', '/a', 7)`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			// The shop pushes its own figures for the 30th: they stand in
			// for the counter's.
			if err := s.Push(ctx, OriginAPI, []Day{{Day: "2026-11-30", Source: "Google", Visits: 120, Visitors: 100, Pageviews: 300}}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Daily(ctx, "2026-11-29", "2026-12-01")
			if err != nil {
				t.Fatal(err)
			}
			want := []Day{
				{Day: "2026-11-29", Source: "", Pageviews: 300, Visits: 100, Visitors: 90},
				{Day: "2026-11-29", Source: "google.com", Pageviews: 60, Visits: 20, Visitors: 20},
				{Day: "2026-11-30", Source: "google", Pageviews: 300, Visits: 120, Visitors: 100},
				{Day: "2026-12-01", Source: "", Pageviews: 6, Visits: 3, Visitors: 1},
				{Day: "2026-12-01", Source: "google.com", Pageviews: 6, Visits: 3, Visitors: 2},
			}
			if len(got) != len(want) {
				t.Fatalf("Daily = %+v, want %+v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("Daily[%d] = %+v, want %+v", i, got[i], want[i])
				}
			}
			// Pushing the day again replaces it.
			if err := s.Push(ctx, OriginAPI, []Day{{Day: "2026-11-30", Source: "google", Visits: 50, Visitors: 40, Pageviews: 80}}); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Daily(ctx, "2026-11-30", "2026-11-30"); len(got) != 1 || got[0].Visits != 50 {
				t.Errorf("the day pushed again: %+v", got)
			}
			today, err := s.Today(ctx)
			if err != nil || today != (Totals{Pageviews: 12, Visits: 6, Visitors: 3}) {
				t.Errorf("Today = %+v %v", today, err)
			}
			hours, err := s.Hourly(ctx, 1000*3600, 1000*3600)
			if err != nil || len(hours) != 1 || hours[0] != (Hour{Start: 1000 * 3600, Pageviews: 9, Visits: 3}) {
				t.Errorf("Hourly = %+v %v", hours, err)
			}
			pages, err := s.TopPages(ctx, "2026-11-29", "2026-11-30", 1)
			if err != nil || len(pages) != 1 || pages[0] != (Page{Path: "/a", Pageviews: 12}) {
				t.Errorf("TopPages = %+v %v", pages, err)
			}
		})
	}
}

// TestPushChecksEveryRowFirst refuses a batch with one bad row, naming
// it, and writes nothing of it.
func TestPushChecksEveryRowFirst(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := readTestService(t, engine)
			good := Day{Day: "2026-11-30", Source: "google", Visits: 10, Visitors: 8, Pageviews: 20}
			for _, c := range []struct {
				bad   Day
				field string
			}{
				{Day{Day: "2026-11-31", Visits: 1}, "days[1].day"},
				{Day{Day: "2026-12-02", Visits: 1}, "days[1].day"},
				{Day{Day: "2026-11-29", Visits: -1}, "days[1].visits"},
				{Day{Day: "2026-11-29", Visits: 5, Visitors: 6}, "days[1].unique_visitors"},
				{Day{Day: "2026-11-29", Visits: 5, Pageviews: 2}, "days[1].pageviews"},
				{Day{Day: "2026-11-30", Source: " GOOGLE ", Visits: 1}, "days[1].source"},
				{Day{Day: "2026-11-29", Source: "a\x00b", Visits: 1}, "days[1].source"},
			} {
				err := s.Push(ctx, OriginAPI, []Day{good, c.bad})
				var list invalid.List
				if !errors.As(err, &list) || list[0].Field != c.field {
					t.Errorf("%+v: %v, want an error on %s", c.bad, err, c.field)
				}
			}
			if got, _ := s.Daily(ctx, "2000-01-01", "2099-01-01"); len(got) != 0 {
				t.Errorf("a refused push left %+v", got)
			}
			if err := s.Push(ctx, OriginCounter, []Day{good}); err == nil {
				t.Error("a push as the counter was taken")
			}
		})
	}
}

// FuzzPush feeds arbitrary rows to a push: it never panics, an error is
// a validation error naming a row's field, and what it takes reads back.
func FuzzPush(f *testing.F) {
	f.Add("2026-11-30", "google", int64(120), int64(100), int64(300))
	f.Add("2026-02-29", "", int64(0), int64(0), int64(0))
	f.Add("1999-01-01", "x", int64(-1), int64(5), int64(1))
	f.Add("2026-11-30", "l.instagram.com", int64(1e13), int64(1), int64(1))
	f.Add("20261130", "\xff", int64(1), int64(2), int64(3))
	s := readTestService(f, "sqlite")
	f.Fuzz(func(t *testing.T, day, source string, visits, visitors, pageviews int64) {
		d := Day{Day: day, Source: source, Visits: visits, Visitors: visitors, Pageviews: pageviews}
		err := s.Push(context.Background(), OriginAPI, []Day{d})
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("%+v: not a validation error: %v", d, err)
			}
			return
		}
		got, err := s.Daily(context.Background(), day, day)
		if err != nil || len(got) == 0 {
			t.Fatalf("%+v taken but not read back: %+v %v", d, got, err)
		}
	})
}
