package audit_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

var at = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func newService(t *testing.T, engine store.Engine, lang string, p audit.Params) (*audit.Service, *store.DB) {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	settings := config.Default()
	settings.Shop.Languages = []string{lang}
	return audit.New(service.Deps{DB: db, Settings: settings}, p), db
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fields(err error) []string {
	var l invalid.List
	var one *invalid.Error
	switch {
	case errors.As(err, &l):
	case errors.As(err, &one):
		l = invalid.List{one}
	default:
		return nil
	}
	var out []string
	for _, e := range l {
		out = append(out, e.Field)
	}
	return out
}

// TestChecklist seeds the built-in checklists in the shop's language
// once, and edits them: add, rename, move, delete; a bad text writes
// nothing; an emptied checklist stays empty.
func TestChecklist(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, db := newService(t, engine, "lv", audit.Params{})
			all, err := s.Items(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != len(audit.Points()) {
				t.Fatalf("seeded %d points, want %d", len(all), len(audit.Points()))
			}
			site := all[audit.PointSite]
			if len(site) == 0 || site[0].Text != "Piegādes datums ir norādīts preces lapā." {
				t.Fatalf("site checklist %+v, want it in Latvian", site)
			}
			for p, list := range all {
				for _, it := range list {
					if strings.HasPrefix(it.Text, "[") {
						t.Errorf("%s: untranslated default %q", p, it.Text)
					}
				}
			}
			before := count(t, db, "audit_items")
			for _, text := range []string{"", "   ", strings.Repeat("x", audit.MaxItemText+1), "bell\x07"} {
				if _, err := s.ItemSave(ctx, audit.PointSite, 0, text, at); len(fields(err)) != 1 || fields(err)[0] != "text" {
					t.Errorf("text %q: %v, want a problem with text", text, err)
				}
			}
			if _, err := s.ItemSave(ctx, "lobby", 0, "x", at); len(fields(err)) != 1 {
				t.Errorf("unknown point: %v", err)
			}
			if n := count(t, db, "audit_items"); n != before {
				t.Fatalf("bad items wrote rows: %d, want %d", n, before)
			}
			it, err := s.ItemSave(ctx, audit.PointSite, 0, "  Čats   atbild  ", at)
			if err != nil || it.Text != "Čats atbild" || it.Position != len(site)+1 {
				t.Fatalf("add: %+v %v", it, err)
			}
			if _, err := s.ItemSave(ctx, audit.PointCall, it.ID, "elsewhere", at); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("rename through another point: %v, want not found", err)
			}
			if _, err := s.ItemSave(ctx, audit.PointSite, it.ID, "Čats atbild minūtē", at); err != nil {
				t.Fatal(err)
			}
			if err := s.ItemMove(ctx, audit.PointSite, it.ID, true, at); err != nil {
				t.Fatal(err)
			}
			all, _ = s.Items(ctx, at)
			site = all[audit.PointSite]
			if got := site[len(site)-2]; got.ID != it.ID || got.Text != "Čats atbild minūtē" || got.Position != len(site)-1 {
				t.Errorf("after moving up: %+v", site)
			}
			if err := s.ItemMove(ctx, audit.PointSite, site[0].ID, true, at); err != nil {
				t.Errorf("move the first up: %v", err)
			}
			for _, x := range all[audit.PointPickup] {
				if err := s.ItemDelete(ctx, audit.PointPickup, x.ID); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.ItemDelete(ctx, audit.PointPickup, it.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("delete through another point: %v", err)
			}
			all, _ = s.Items(ctx, at.Add(time.Hour))
			if len(all[audit.PointPickup]) != 0 {
				t.Errorf("an emptied checklist came back: %+v", all[audit.PointPickup])
			}
		})
	}
}

// TestChecks records checks: a bad one names each field and writes
// nothing; a good one keeps its items' texts through a rename; the trend
// and the due flag follow the checks.
func TestChecks(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, db := newService(t, engine, "ru", audit.Params{})
			all, err := s.Items(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			call := all[audit.PointCall]
			for _, c := range []struct {
				name string
				in   audit.CheckInput
				want []string
			}{
				{"empty", audit.CheckInput{}, []string{"point", "day", "kind", "who", "score"}},
				{"future", audit.CheckInput{Point: "call", Day: "2026-12-07", Kind: "self", Who: "Анна", Score: 4}, []string{"day"}},
				{"not a day", audit.CheckInput{Point: "call", Day: "2026-02-30", Kind: "self", Who: "Анна", Score: 4}, []string{"day"}},
				{"score", audit.CheckInput{Point: "call", Day: "2026-12-01", Kind: "mystery", Who: "Анна", Score: 6}, []string{"score"}},
				{"twice", audit.CheckInput{Point: "call", Day: "2026-12-01", Kind: "self", Who: "Анна",
					Results: []audit.ResultInput{{ItemID: call[0].ID}, {ItemID: call[0].ID, Passed: true}}}, []string{"results"}},
				{"foreign item", audit.CheckInput{Point: "call", Day: "2026-12-01", Kind: "self", Who: "Анна",
					Results: []audit.ResultInput{{ItemID: all[audit.PointSite][0].ID, Passed: true}}}, []string{"results"}},
				{"notes", audit.CheckInput{Point: "call", Day: "2026-12-01", Kind: "self", Who: "Анна", Score: 3,
					Notes: strings.Repeat("ж", audit.MaxNotes+1)}, []string{"note"}},
			} {
				if _, err := s.CheckAdd(ctx, c.in, at); !slices.Equal(fields(err), c.want) {
					t.Errorf("%s: %v, want problems with %v", c.name, err, c.want)
				}
			}
			if n := count(t, db, "audit_checks") + count(t, db, "audit_results"); n != 0 {
				t.Fatalf("refused checks left %d rows", n)
			}
			c, err := s.CheckAdd(ctx, audit.CheckInput{Point: "call", Day: "2026-11-20", Kind: "mystery", Who: " Тайный  покупатель ",
				Notes: "Перезвонили\r\nчерез 40 минут", Results: []audit.ResultInput{{ItemID: call[0].ID, Passed: true}, {ItemID: call[1].ID}},
				By: "owner@example.com"}, at)
			if err != nil {
				t.Fatal(err)
			}
			if c.Passed != 1 || c.Total != 2 || c.Who != "Тайный покупатель" || c.Notes != "Перезвонили\nчерез 40 минут" || len(c.Results) != 2 {
				t.Errorf("check %+v", c)
			}
			if _, err := s.ItemSave(ctx, audit.PointCall, call[0].ID, "Другой текст", at); err != nil {
				t.Fatal(err)
			}
			got, err := s.Checks(ctx, audit.PointCall, "", "", true)
			if err != nil || len(got) != 1 || got[0].Results[0].Text != call[0].Text || !got[0].Results[0].Passed {
				t.Fatalf("checks %+v %v", got, err)
			}
			board, err := s.Board(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range board {
				if !o.Due {
					t.Errorf("%s is not due, though nothing was checked in December", o.Point)
				}
				if len(o.Trend) != audit.TrendMonths || o.Trend[len(o.Trend)-1].Month != "2026-12" {
					t.Errorf("%s trend %+v", o.Point, o.Trend)
				}
			}
			if _, err := s.CheckAdd(ctx, audit.CheckInput{Point: "call", Day: "2026-12-06", Kind: "self", Who: "Анна", Score: 5}, at); err != nil {
				t.Fatal(err)
			}
			o, err := s.Overview(ctx, audit.PointCall, at)
			if err != nil {
				t.Fatal(err)
			}
			nov := o.Trend[len(o.Trend)-2]
			if o.Due || o.Last == nil || o.Last.Day != "2026-12-06" || nov.Checks != 1 || nov.Mystery != 1 || nov.Passed != 1 || nov.Total != 2 {
				t.Errorf("overview %+v", o)
			}
			if dec := o.Trend[len(o.Trend)-1]; dec.Score != 5 || dec.Scored != 1 {
				t.Errorf("December %+v", dec)
			}
			if _, err := s.Overview(ctx, "lobby", at); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown point: %v", err)
			}
			if err := s.CheckDelete(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckDelete(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("delete twice: %v", err)
			}
			if n := count(t, db, "audit_results"); n != 0 {
				t.Errorf("results of the deleted check: %d", n)
			}
		})
	}
}

type figures struct{}

func (figures) Stats(ctx context.Context, from, to time.Time) (callback.Stats, error) {
	return callback.Stats{Due: 4, OnTime: 3, Attempted: 4, MedianFirstCall: 25 * time.Minute}, nil
}

func (figures) Metrics(ctx context.Context, from, to time.Time) (inbox.Metrics, error) {
	return inbox.Metrics{Responses: 10, WithinTarget: 9, Overdue: 1, Conversations: 8}, nil
}

func (figures) OnTimeBetween(ctx context.Context, fromDay, toDay string) (int64, int64, error) {
	if fromDay == "2026-12-01" && toDay != "2026-12-06" {
		return 0, 0, errors.New("wrong span")
	}
	return 20, 19, nil
}

func (figures) RemindersSentBetween(ctx context.Context, from, to time.Time) (int64, int64, error) {
	return 5, 3, nil
}

func (figures) NPSBetween(ctx context.Context, from, to time.Time) (int, int, int, error) {
	if from.Month() == time.December {
		return 0, 0, 0, nil
	}
	return 6, 2, 2, nil
}

// TestMeasures shows each source's figures beside its point, last month
// and this month, and none where nothing was measured.
func TestMeasures(t *testing.T) {
	t.Parallel()
	s, _ := newService(t, store.SQLite, "en", audit.Params{Callbacks: figures{}, Inbox: figures{}, Deliveries: figures{}, Surveys: figures{}, Pickups: figures{}})
	m, err := s.Measures(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[audit.Point][]string{}
	for p, list := range m {
		for _, x := range list {
			keys[p] = append(keys[p], x.Key)
			if len(x.Months) != 2 || x.Months[0].Month != "2026-11" || x.Months[1].Month != "2026-12" {
				t.Errorf("%s months %+v", x.Key, x.Months)
			}
		}
	}
	want := map[audit.Point][]string{
		audit.PointCall: {"callback_on_time", "callback_first_call"}, audit.PointSupport: {"support_within_target", "support_overdue"},
		audit.PointDelivery: {"delivery_on_time"}, audit.PointFollowUp: {"nps"}, audit.PointPickup: {"pickup_reminders"},
	}
	for p, k := range want {
		if !slices.Equal(keys[p], k) {
			t.Errorf("%s: %v, want %v", p, keys[p], k)
		}
	}
	nps := m[audit.PointFollowUp][0].Months
	if nps[0].Value == nil || *nps[0].Value != 40 || nps[0].Base != 10 || nps[1].Value != nil {
		t.Errorf("NPS %+v", nps)
	}
	if v := m[audit.PointCall][0].Months[1].Value; v == nil || *v != 0.75 {
		t.Errorf("call-backs on time %v", v)
	}
}
