package web_test

import (
	"context"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// TestDemoWalkInBrowser walks the demo shop itself, as a newcomer meets
// it after `shopcare demo`: a demo shop's settings, a seeded history, and
// two shop days played by the live shop (orders arriving, the demo's
// operator calling back and packer packing, carriers reporting). Every
// admin page answers 200 in Chromium with nothing in the console, no raw
// code and no English in a Russian or Latvian page, and is left as a
// screenshot demo_<lang>_<page>.png in $SHOPCARE_ARTIFACTS. Russian is
// walked on the Russian demo shop and Latvian and English on the Latvian
// one: a shop's own data (names, streets, products) is in its language.
func TestDemoWalkInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	for _, walk := range []struct {
		shop  string
		langs []i18n.Lang
	}{{"ru", []i18n.Lang{i18n.RU}}, {"lv", []i18n.Lang{i18n.LV, i18n.EN}}} {
		t.Run(walk.shop, func(t *testing.T) {
			t.Parallel()
			e := demoShop(t, walk.shop)
			hb := newBrowser(t, e)
			hb.login(people[auth.Owner])
			paths := adminPagePaths(t, e, hb)
			data := demoData(t, e)
			for _, lang := range walk.langs {
				t.Run(string(lang), func(t *testing.T) {
					walkInBrowser(t, exe, e, paths, lang, "demo", data)
				})
			}
		})
	}
}

// demoShop is a demo shop of the kind (lv, ru) as `shopcare demo` makes
// it, two shop days into its live play, served with the test's people.
func demoShop(t *testing.T, kind string) *env {
	t.Helper()
	ctx := context.Background()
	settings, err := demo.ShopSettings(kind)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := settings.Export()
	if err != nil {
		t.Fatal(err)
	}
	a, clk := apptest.New(t, store.SQLite, false, string(doc))
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	e := &env{app: a, clock: clk, srv: srv}
	addPeople(t, e)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(3, 4)), clk.Now(), demo.Options{Customers: 200, Recent: 10}); err != nil {
		t.Fatal(err)
	}
	live, err := demo.NewLive(ctx, a, rand.New(rand.NewPCG(5, 6)), demo.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 * 24 {
		if _, err := live.Step(ctx, clk.Advance(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Dispatcher.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	demoConversation(t, e, kind)
	return e
}

// demoData blanks out what a page shows of the shop's own data — its
// customers' names, cities and time zones, its products' names and SKUs,
// its acquisition channels — which is in whatever language the shop and
// its customers write, not the page's.
func demoData(t *testing.T, e *env) *strings.Replacer {
	t.Helper()
	var words []string
	for _, q := range []string{
		`SELECT name || ' ' || city || ' ' || timezone FROM customers`,
		`SELECT sku || ' ' || name FROM order_items`,
	} {
		rows, err := e.app.DB.Read().Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			words = append(words, strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '/' || r == ',' || r == '_' })...)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) }) // longest first
	pairs := make([]string, 0, 2*len(words))
	for _, w := range slices.Compact(words) {
		if len(w) > 1 {
			pairs = append(pairs, w, " ")
		}
	}
	return strings.NewReplacer(pairs...)
}
