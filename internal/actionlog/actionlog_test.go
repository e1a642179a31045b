package actionlog_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestRecord: a line goes with its transaction (a rolled-back action
// leaves none), nothing is written without an actor, and the list
// filters by action, actor and days, newest first, in pages.
func TestRecord(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			ctx := context.Background()
			s := actionlog.New(db)
			owner := actionlog.WithActor(ctx, actionlog.Actor{Kind: actionlog.ActorUser, UserID: 7, Name: "Owner@Shop.test",
				Addr: "192.0.2.1", RequestID: "req-1", ShopNow: func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }})
			grant := actionlog.Entry{Action: actionlog.PointsGranted, Detail: map[string]any{"points": 100, "reason": "сорри"}}.
				Target(actionlog.TargetCustomer, 42)

			// Without an actor: the shop's machinery, not logged.
			if err := s.Record(ctx, grant); err != nil {
				t.Fatal(err)
			}
			// Rolled back with its action: no line.
			boom := errors.New("the action failed")
			if err := db.InTx(owner, func(tx *store.Tx) error {
				if err := actionlog.Record(owner, tx, grant); err != nil {
					return err
				}
				return boom
			}); !errors.Is(err, boom) {
				t.Fatal(err)
			}
			if lines, _, err := s.List(ctx, actionlog.Filter{}); err != nil || len(lines) != 0 {
				t.Fatalf("lines without an actor or after a rollback: %+v %v", lines, err)
			}

			if err := s.Record(owner, grant); err != nil {
				t.Fatal(err)
			}
			cli := actionlog.WithActor(ctx, actionlog.Actor{Kind: actionlog.ActorCLI, Name: "root"})
			for range 3 {
				if err := s.Record(cli, actionlog.Entry{Action: actionlog.TokenAdded}.Target(actionlog.TargetToken, 1)); err != nil {
					t.Fatal(err)
				}
			}
			all, more, err := s.List(ctx, actionlog.Filter{})
			if err != nil || more || len(all) != 4 {
				t.Fatalf("all: %d %v %v", len(all), more, err)
			}
			g := all[3]
			if g.Action != actionlog.PointsGranted || g.ActorKind != actionlog.ActorUser || g.ActorID != 7 || g.ActorName != "Owner@Shop.test" ||
				g.TargetKind != "customer" || g.TargetID != "42" || g.Detail["points"] != float64(100) || g.Detail["reason"] != "сорри" ||
				g.RemoteAddr != "192.0.2.1" || g.RequestID != "req-1" || g.ShopAt == nil || !g.ShopAt.Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) ||
				time.Since(g.At) > time.Hour || time.Since(g.At) < -time.Hour {
				t.Errorf("the grant's line: %+v", g)
			}
			for i := 1; i < len(all); i++ {
				if all[i].ID >= all[i-1].ID {
					t.Errorf("not newest first: %d after %d", all[i].ID, all[i-1].ID)
				}
			}

			page, more, err := s.List(ctx, actionlog.Filter{Limit: 2})
			if err != nil || !more || len(page) != 2 {
				t.Fatalf("first page: %d %v %v", len(page), more, err)
			}
			page2, more, err := s.List(ctx, actionlog.Filter{Limit: 2, After: page[1].ID})
			if err != nil || more || len(page2) != 2 || page2[0].ID >= page[1].ID {
				t.Fatalf("second page: %+v %v %v", page2, more, err)
			}

			today := time.Now().UTC().Format(time.DateOnly)
			for _, c := range []struct {
				query string
				want  int
			}{
				{"action=points.granted", 1},
				{"action=token.added", 3},
				{"actor=owner%40shop", 1},
				{"actor=ROO", 3},
				{"actor=%25", 0}, // a wildcard is a character
				{"from=2000-01-01&to=2000-01-31", 0},
				{"from=" + time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly) + "&to=" + time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly), 4},
				{"to=" + today + "&action=token.added&actor=root", 3},
			} {
				q, _ := url.ParseQuery(c.query)
				f, err := actionlog.ParseFilter(q, time.UTC)
				if err != nil {
					t.Fatalf("%s: %v", c.query, err)
				}
				got, _, err := s.List(ctx, f)
				if err != nil || len(got) != c.want {
					t.Errorf("%s: %d lines, want %d (%v)", c.query, len(got), c.want, err)
				}
			}

			// Pruning keeps two years.
			if n, err := s.Prune(ctx, time.Now()); err != nil || n != 0 {
				t.Errorf("prune now: %d %v", n, err)
			}
			if n, err := s.Prune(ctx, time.Now().AddDate(0, 0, actionlog.KeepDays+1)); err != nil || n != 4 {
				t.Errorf("prune two years on: %d %v", n, err)
			}
		})
	}
}

// TestParseFilterErrors: each bad field is named.
func TestParseFilterErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ query, field string }{
		{"action=points.stolen", "action"},
		{"actor=%00", "actor"},
		{"from=2026-02-30", "from"},
		{"to=yesterday", "to"},
		{"from=2026-03-02&to=2026-03-01", "to"},
		{"after=-1", "after"},
		{"after=x", "after"},
	} {
		q, _ := url.ParseQuery(c.query)
		_, err := actionlog.ParseFilter(q, time.UTC)
		e, ok := invalid.First(err)
		if !ok || e.Field != c.field {
			t.Errorf("%s: %v, want an error on %s", c.query, err, c.field)
		}
	}
}

// FuzzActionsFilter: any query of the log's page parses into a filter
// or a field error, never a panic; a filter parsed writes a query that
// parses back to the same filter.
func FuzzActionsFilter(f *testing.F) {
	for _, s := range []string{"", "action=settings.saved&actor=owner&from=2026-01-01&to=2026-01-31", "after=123",
		"from=2026-02-30", "actor=%FF%FE", "to=0001-01-01", "from=9999-12-31&to=2000-01-01", "action=%00", "actor=" + string(make([]byte, 300))} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := actionlog.ParseFilter(q, loc)
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("%q: an error that is not a field's: %v", raw, err)
			}
			return
		}
		again, err := actionlog.ParseFilter(flt.Query(), loc)
		if err != nil {
			t.Fatalf("%q: the filter's own query %q does not parse: %v", raw, flt.Query().Encode(), err)
		}
		flt.After = 0
		if again.Action != flt.Action || again.Actor != flt.Actor || !again.Since.Equal(flt.Since) || !again.Until.Equal(flt.Until) {
			t.Fatalf("%q: %+v became %+v", raw, flt, again)
		}
	})
}
