package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// actionLines returns every line of the log, newest first.
func actionLines(t *testing.T, e *env) []actionlog.Line {
	t.Helper()
	var out []actionlog.Line
	if err := e.app.Actions.Each(context.Background(), actionlog.Filter{}, func(l actionlog.Line) error {
		out = append(out, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdminActionsAreLogged: each change the owner makes in the admin
// leaves exactly one line, in the owner's name, with the client's
// address; a refused change (4xx) leaves none; the log's page reads in
// ru, lv and en without a raw code, and only the owner sees it.
func TestAdminActionsAreLogged(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			placeOrders(t, e)
			if n := len(actionLines(t, e)); n != 0 {
				t.Fatalf("%d lines before anyone acted (fixtures have no actor)", n)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			orders, _, err := e.app.Orders.List(context.Background(), order.ListFilter{Limit: 5})
			if err != nil || len(orders) == 0 {
				t.Fatalf("orders: %v %v", orders, err)
			}
			cust := strconv.FormatInt(orders[0].CustomerID, 10)
			_, _, doc := b.do("GET", "/settings/export", nil)

			steps := []struct {
				name         string
				method, path string
				form         url.Values
				status       int
				action       actionlog.Action // "" for a refused step: no line
			}{
				{"grant", "POST", "/customers/" + cust + "/loyalty", url.Values{"kind": {"compensation"}, "points": {"150"}, "reason": {"извинение за задержку"}}, http.StatusSeeOther, actionlog.PointsGranted},
				{"grant without reason", "POST", "/customers/" + cust + "/loyalty", url.Values{"kind": {"compensation"}, "points": {"150"}}, http.StatusUnprocessableEntity, ""},
				{"user", "POST", "/users", url.Values{"email": {"helper@shop.test"}, "role": {"operator"}, "password": {testPassword}}, http.StatusSeeOther, actionlog.UserAdded},
				{"user with a bad e-mail", "POST", "/users", url.Values{"email": {"not an address"}, "role": {"operator"}, "password": {testPassword}}, http.StatusUnprocessableEntity, ""},
				{"token", "POST", "/tokens", url.Values{"name": {"склад"}}, http.StatusOK, actionlog.TokenAdded},
				{"token without a name", "POST", "/tokens", url.Values{"name": {""}}, http.StatusUnprocessableEntity, ""},
				{"settings", "POST", "/settings/yaml", url.Values{"yaml": {doc}}, http.StatusSeeOther, actionlog.SettingsSaved},
				{"settings again, unchanged", "POST", "/settings/yaml", url.Values{"yaml": {doc}}, http.StatusSeeOther, ""},
				{"settings broken", "POST", "/settings/yaml", url.Values{"yaml": {"shop: ["}}, http.StatusUnprocessableEntity, ""},
				{"segment export", "GET", "/analytics/segments/champions.csv", nil, http.StatusOK, actionlog.CustomersExported},
			}
			for _, s := range steps {
				before := len(actionLines(t, e))
				form := s.form
				if form != nil {
					form.Set("csrf", b.csrf)
				}
				status, _, body := b.do(s.method, s.path, form)
				if status != s.status {
					t.Fatalf("%s: %d, want %d: %.300s", s.name, status, s.status, body)
				}
				lines := actionLines(t, e)
				want := 0
				if s.action != "" {
					want = 1
				}
				if len(lines)-before != want {
					t.Fatalf("%s: %d new lines, want %d: %+v", s.name, len(lines)-before, want, lines)
				}
				if want == 1 {
					l := lines[0]
					if l.Action != s.action || l.ActorKind != actionlog.ActorUser || l.ActorName != people[auth.Owner] || l.ActorID == 0 ||
						l.RemoteAddr == "" || l.ShopAt == nil {
						t.Errorf("%s: line %+v", s.name, l)
					}
				}
			}
			if l := actionLines(t, e)[len(steps)-6]; l.TargetKind != actionlog.TargetCustomer || l.TargetID != cust || l.Detail["points"] != float64(150) {
				t.Errorf("the grant's line: %+v", l)
			}

			// The page, in each language, and its CSV (itself logged).
			for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
				if status, _, _ := b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(lang)}}); status != http.StatusSeeOther {
					t.Fatalf("set language %s: %d", lang, status)
				}
				for _, p := range []string{"/actions", "/actions?action=points.granted", "/actions?from=2000-01-01&to=2000-01-02", "/actions?from=junk&action=nope"} {
					status, _, body := b.do("GET", p, nil)
					if want := http.StatusOK; strings.Contains(p, "junk") {
						want = http.StatusUnprocessableEntity
						if status != want {
							t.Errorf("%s %s: %d, want %d", lang, p, status, want)
						}
					} else if status != want {
						t.Errorf("%s %s: %d", lang, p, status)
					}
					for _, problem := range unreadable(pageText(body, lang), lang) {
						t.Errorf("%s %s: %s", lang, p, problem)
					}
					if strings.Contains(body, "points.granted<") || strings.Contains(body, ">actions.") {
						t.Errorf("%s %s: a raw code", lang, p)
					}
				}
			}
			_, _, body := b.do("GET", "/actions?action=points.granted", nil)
			if !strings.Contains(body, `href="/customers/`+cust+`"`) || strings.Count(body, "</tr>") != 2 {
				t.Errorf("the filtered page does not link the one grant to its customer: %.2000s", body)
			}
			before := len(actionLines(t, e))
			status, h, csvBody := b.do("GET", "/actions.csv", nil)
			if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(csvBody, "points.granted") {
				t.Errorf("CSV: %d %q %.300s", status, h.Get("Content-Type"), csvBody)
			}
			if lines := actionLines(t, e); len(lines) != before+1 || lines[0].Action != actionlog.ActionsExported {
				t.Errorf("the CSV export was not logged once: %d → %d", before, len(lines))
			}
			for _, role := range []auth.Role{auth.Operator, auth.Packer} {
				o := newBrowser(t, e)
				o.login(people[role])
				if status, _, _ := o.do("GET", "/actions", nil); status != http.StatusForbidden {
					t.Errorf("%s sees the log: %d", role, status)
				}
			}
		})
	}
}
