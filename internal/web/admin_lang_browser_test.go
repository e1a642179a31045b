package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
)

// readableText is what a person reads on the page on show: the body's
// text and its elements' titles, placeholders and labels, without
// scripts, verbatim <code> and the parts in another language (a message
// as the customer got it).
const readableText = `(() => {
	const c = document.body.cloneNode(true);
	c.querySelectorAll('script, style, code').forEach(e => e.remove());
	c.querySelectorAll('[lang]').forEach(e => { if (e.lang && e.lang !== document.documentElement.lang) e.remove(); });
	const attrs = Array.from(c.querySelectorAll('[title], [placeholder], [aria-label], [alt]'),
		e => [e.getAttribute('title'), e.getAttribute('placeholder'), e.getAttribute('aria-label'), e.getAttribute('alt')].filter(Boolean).join(' '));
	const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), parts = [];
	while (w.nextNode()) parts.push(w.currentNode.nodeValue);
	return parts.join(' ') + ' ' + attrs.join(' ');
})()`

// maxListHeight bounds a list page's height in pixels: a page of rows,
// not the whole list.
const maxListHeight = 6000

// TestAdminWalkInBrowser signs in to the admin in Russian, Latvian and
// English and walks every page the HTTP walker does in a real Chromium:
// each answers 200, reports nothing to the console, shows no raw code and
// (in Russian and Latvian) no English, a list page stays within a few
// thousand pixels, and each page is left as a screenshot
// admin_walk_<lang>_<page>.png in $SHOPCARE_ARTIFACTS.
func TestAdminWalkInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	walkFixture(t, e)
	hb := newBrowser(t, e)
	hb.login(people[auth.Owner])
	paths := adminPagePaths(t, e, hb)
	placeMany(t, e, 60) // the lists have a second page, after the rows walked

	for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			walkInBrowser(t, exe, e, paths, lang, "walk", nil)
		})
	}
}

// walkInBrowser signs the owner in to e in Chromium with the interface in
// lang and opens each of paths: each must answer 200, report nothing to
// the console, show no raw code and (in ru and lv) no English once data
// has blanked out the shop's own words, and a list page must stay within
// maxListHeight; each is left as a screenshot <prefix>_<lang>_<page>.png.
func walkInBrowser(t *testing.T, exe string, e *env, paths []string, lang i18n.Lang, prefix string, data *strings.Replacer) {
	t.Helper()
	setLanguage(t, e, auth.Owner, lang)
	// A walk opens every page of a role: the guard is a few minutes, not
	// newChromium's one, for a slow machine and a growing admin.
	b := &adminTab{t: t, ctx: chromiumWithin(t, exe, 1280, 900, 5*time.Minute), base: e.srv.URL, dir: artifactDir(t)}
	var problems pageProblems
	problems.listen(t, b)
	b.open("/login")
	if at := b.signIn(people[auth.Owner]); at != "/orders" {
		t.Fatalf("signed in at %s, want /orders", at)
	}
	if data == nil {
		data = strings.NewReplacer()
	}
	seen := 0
	for _, p := range paths {
		if st := b.open(p); st != 200 {
			t.Errorf("%s: status %d", p, st)
			continue
		}
		for _, problem := range unreadable(data.Replace(eval[string](b, readableText)), lang) {
			t.Errorf("%s: %s", p, problem)
		}
		if list := strings.Count(p, "/") == 1; list {
			if h := eval[int](b, `document.documentElement.scrollHeight`); h > maxListHeight {
				t.Errorf("%s is %d px high, want at most %d", p, h, maxListHeight)
			}
		}
		if got := problems.all(); len(got) > seen {
			t.Errorf("%s: the browser reports %v", p, got[seen:])
			seen = len(got)
		}
		b.shot(fmt.Sprintf("%s_%s_%s", prefix, lang, shotName(p)))
	}
}

// setLanguage sets the interface language of the people of a role.
func setLanguage(t *testing.T, e *env, role auth.Role, lang i18n.Lang) {
	t.Helper()
	ctx := context.Background()
	users, err := auth.UserList(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Role == role {
			if err := auth.UserSetLanguage(ctx, e.app.DB, u.ID, string(lang), time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// shotName makes a file name of a page's path: /orders/4 is orders_4.
func shotName(path string) string {
	r := strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_")
	return strings.Trim(r.Replace(path), "_")
}
