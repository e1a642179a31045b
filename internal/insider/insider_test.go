package insider_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// club is a test shop with two customers and a pre-order project.
type club struct {
	app         *app.App
	clock       *clock.Fake
	anna, boris int64
	project     int64
}

func newClub(t *testing.T, engine store.Engine) *club {
	t.Helper()
	a, clk := apptest.New(t, engine, false)
	ctx := context.Background()
	var ids []int64
	for i, c := range []customer.Input{
		{ExternalID: "c-1", Name: "Анна Орлова", Email: "anna@example.com", Language: "ru"},
		{ExternalID: "c-2", Name: "Boris Ozols", Email: "boris@example.lv", Language: "lv"},
	} {
		n := order.NewOrder{ExternalID: "I-" + string(rune('1'+i)), Customer: c, Carrier: "courier",
			Items: []order.Item{{SKU: "TEA", Name: "Tea", Qty: 1, PriceMinor: 1000}}}
		o := apptest.Order(t, a, n)
		ids = append(ids, o.CustomerID)
	}
	id, err := a.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.PreOrder, Goal: 2,
		Title:       map[string]string{"ru": "Новый улун", "en": "A new oolong"},
		Description: map[string]string{"ru": "Первая партия весной."}})
	if err != nil {
		t.Fatal(err)
	}
	return &club{app: a, clock: clk, anna: ids[0], boris: ids[1], project: id}
}

// count counts the rows a query finds.
func (c *club) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := c.app.DB.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestJoinLeave: joining is idempotent (one row, one event), leaving keeps
// the row as the withdrawal's proof and drops the count, joining again
// makes a fresh consent and a second event.
func TestJoinLeave(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			c := newClub(t, engine)
			ctx := context.Background()
			in := insider.JoinInput{ProjectID: c.project, CustomerID: c.anna, Source: insider.FromMyPage, Lang: "ru"}
			for i, want := range []bool{true, false} {
				joined, err := c.app.Insiders.Join(ctx, in)
				if err != nil || joined != want {
					t.Fatalf("join #%d: %v, %v; want %v", i+1, joined, err, want)
				}
			}
			if n := c.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'insider.joined'`); n != 1 {
				t.Errorf("%d insider.joined events after joining twice, want 1", n)
			}
			p, err := c.app.Insiders.ProjectGet(ctx, c.project)
			if err != nil || p.Members != 1 || p.Progress() != 50 {
				t.Fatalf("project %+v (%v): want 1 member, 50%%", p, err)
			}
			page, err := c.app.Insiders.Members(ctx, c.project, "", 10, false)
			if err != nil || len(page.Members) != 1 {
				t.Fatalf("members %+v, %v", page, err)
			}
			m := page.Members[0]
			if m.Source != insider.FromMyPage || m.ConsentVersion != insider.ConsentVersion || m.ConsentLang != "ru" ||
				m.Email != "anna@example.com" || !m.JoinedAt.Equal(c.clock.Now()) {
				t.Errorf("member %+v", m)
			}
			c.clock.Advance(time.Hour)
			if err := c.app.Insiders.Leave(ctx, c.project, c.anna); err != nil {
				t.Fatal(err)
			}
			if p, _ := c.app.Insiders.ProjectGet(ctx, c.project); p.Members != 0 {
				t.Errorf("%d members after leaving, want 0", p.Members)
			}
			if n := c.count(t, `SELECT COUNT(*) FROM insider_members WHERE left_at IS NOT NULL`); n != 1 {
				t.Errorf("%d rows with left_at, want the withdrawal kept", n)
			}
			in.Source, in.Lang = insider.FromLink, "en"
			if joined, err := c.app.Insiders.Join(ctx, in); err != nil || !joined {
				t.Fatalf("join again: %v, %v", joined, err)
			}
			if n := c.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'insider.joined'`); n != 2 {
				t.Errorf("%d events after joining again, want 2", n)
			}
			mine, err := c.app.Insiders.CustomerProjects(ctx, c.anna)
			if err != nil || len(mine) != 1 || mine[0].TitleIn("lv") != "Новый улун" {
				t.Errorf("customer's projects %+v, %v", mine, err)
			}
		})
	}
}

// TestJoinRefused: a closed project, one not started, an unknown project
// and an erased customer write nothing.
func TestJoinRefused(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			c := newClub(t, engine)
			ctx := context.Background()
			later, err := c.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.BetaTest,
				Title: map[string]string{"en": "Beta"}, StartsOn: "2027-01-10"})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.app.Insiders.ProjectClose(ctx, c.project, true); err != nil {
				t.Fatal(err)
			}
			if _, err := c.app.Orders.EraseCustomer(ctx, c.boris, true, order.SourceAPI, c.app.Erasers...); err != nil {
				t.Fatal(err)
			}
			open, err := c.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.EarlyAccess,
				Title: map[string]string{"lv": "Agrā piekļuve"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name     string
				project  int64
				customer int64
				want     error
			}{
				{"closed", c.project, c.anna, insider.ErrClosed},
				{"not started", later, c.anna, insider.ErrClosed},
				{"unknown project", 9999, c.anna, store.ErrNotFound},
				{"erased customer", open, c.boris, store.ErrNotFound},
				{"unknown customer", open, 9999, store.ErrNotFound},
			} {
				_, err := c.app.Insiders.Join(ctx, insider.JoinInput{ProjectID: tc.project, CustomerID: tc.customer,
					Source: insider.FromLink, Lang: "ru"})
				if !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
			if n := c.count(t, `SELECT COUNT(*) FROM insider_members`); n != 0 {
				t.Errorf("%d members after refusals", n)
			}
			c.clock.Set(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
			if _, err := c.app.Insiders.Join(ctx, insider.JoinInput{ProjectID: later, CustomerID: c.anna,
				Source: insider.FromMyPage, Lang: "ru"}); err != nil {
				t.Errorf("join on the first day: %v", err)
			}
		})
	}
}

// TestErase: erasing a customer deletes their memberships.
func TestErase(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			c := newClub(t, engine)
			ctx := context.Background()
			for _, id := range []int64{c.anna, c.boris} {
				if _, err := c.app.Insiders.Join(ctx, insider.JoinInput{ProjectID: c.project, CustomerID: id,
					Source: insider.FromMyPage, Lang: "ru"}); err != nil {
					t.Fatal(err)
				}
			}
			res, err := c.app.Orders.EraseCustomer(ctx, c.anna, true, order.SourceAPI, c.app.Erasers...)
			if err != nil {
				t.Fatal(err)
			}
			_ = res
			if n := c.count(t, `SELECT COUNT(*) FROM insider_members WHERE customer_id = $1`, c.anna); n != 0 {
				t.Errorf("%d memberships of the erased customer", n)
			}
			if n := c.count(t, `SELECT COUNT(*) FROM insider_members`); n != 1 {
				t.Errorf("%d memberships left, want Boris's", n)
			}
		})
	}
}

// TestProjectCheck names the field of each problem and writes nothing.
func TestProjectCheck(t *testing.T) {
	t.Parallel()
	c := newClub(t, store.SQLite)
	long := make([]rune, insider.MaxTitle+1)
	for i := range long {
		long[i] = 'я'
	}
	for _, tc := range []struct {
		name  string
		in    insider.ProjectInput
		field string
	}{
		{"no kind", insider.ProjectInput{Title: map[string]string{"en": "x"}}, "kind"},
		{"no title", insider.ProjectInput{Kind: insider.BetaTest}, "title_ru"},
		{"long title", insider.ProjectInput{Kind: insider.BetaTest, Title: map[string]string{"lv": string(long)}}, "title_lv"},
		{"two lines", insider.ProjectInput{Kind: insider.BetaTest, Title: map[string]string{"en": "a\nb"}}, "title_en"},
		{"description alone", insider.ProjectInput{Kind: insider.BetaTest, Title: map[string]string{"en": "x"},
			Description: map[string]string{"ru": "только описание"}}, "title_ru"},
		{"negative goal", insider.ProjectInput{Kind: insider.BetaTest, Title: map[string]string{"en": "x"}, Goal: -1}, "goal"},
		{"bad day", insider.ProjectInput{Kind: insider.BetaTest, Title: map[string]string{"en": "x"}, StartsOn: "2026-13-01"}, "starts_on"},
		{"ends first", insider.ProjectInput{Kind: insider.BetaTest, Title: map[string]string{"en": "x"},
			StartsOn: "2026-12-10", EndsOn: "2026-12-01"}, "ends_on"},
		{"unknown id", insider.ProjectInput{ID: 999, Kind: insider.BetaTest, Title: map[string]string{"en": "x"}}, ""},
	} {
		_, err := c.app.Insiders.ProjectSave(context.Background(), tc.in)
		if tc.field == "" {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: %v, want not found", tc.name, err)
			}
			continue
		}
		e, ok := invalid.First(err)
		if !ok || e.Field != tc.field {
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
	if n := c.count(t, `SELECT COUNT(*) FROM insider_projects`); n != 1 {
		t.Errorf("%d projects, want only the club's own", n)
	}
}

// TestLink: a token names its customer and project until it expires; a
// changed byte, another shape or an expired one is ErrLink.
func TestLink(t *testing.T) {
	t.Parallel()
	c := newClub(t, store.SQLite)
	ctx, now := context.Background(), c.clock.Now()
	tok, err := c.app.Insiders.Token(ctx, c.anna, c.project, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	inv, err := c.app.Insiders.Verify(ctx, tok, now)
	if err != nil || inv.CustomerID != c.anna || inv.ProjectID != c.project {
		t.Fatalf("verify: %+v, %v", inv, err)
	}
	forged := []byte(tok)
	forged[5] ^= 1
	for _, bad := range []string{"", "x", string(forged), tok + "A"} {
		if _, err := c.app.Insiders.Verify(ctx, bad, now); !errors.Is(err, insider.ErrLink) {
			t.Errorf("verify %q: %v, want ErrLink", bad, err)
		}
	}
	if _, err := c.app.Insiders.Verify(ctx, tok, now.Add(time.Hour)); !errors.Is(err, insider.ErrLink) {
		t.Errorf("expired: %v, want ErrLink", err)
	}
	u, err := c.app.Insiders.URL(ctx, c.anna, c.project, now)
	if err != nil || len(u) < 40 {
		t.Errorf("url %q, %v", u, err)
	}
}
