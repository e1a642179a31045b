package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/web"
)

// insightSeedAnswers gives the first n customers' orders (addCustomers)
// confirmed NPS answers over the last weeks, a few with comments in
// Russian, Latvian and English.
func insightSeedAnswers(t *testing.T, e *env, n int) {
	t.Helper()
	ctx := context.Background()
	orders, _, err := e.app.Orders.List(ctx, order.ListFilter{Limit: n})
	if err != nil || len(orders) < n {
		t.Fatalf("orders: %d %v", len(orders), err)
	}
	comments := []struct{ lang, text string }{
		{"ru", "Курьер опоздал на два часа"}, {"ru", "курьер опоздал, чай отличный"}, {"lv", "Kurjers kavējās"},
		{"lv", "kurjers kavējās, bet tēja laba"}, {"en", "Packaging was damaged"}, {"en", "packaging damaged again"},
	}
	var seeds []survey.SummarySeed
	for i, o := range orders[:n] {
		s := survey.SummarySeed{Kind: "nps", OrderID: o.ID, CustomerID: o.CustomerID, Language: "ru", Channel: "email",
			Score: (i * 7) % 11, At: e.clock.Now().AddDate(0, 0, -1-i%40)}
		if i < len(comments) {
			s.Language, s.Comment = comments[i].lang, comments[i].text
		}
		seeds = append(seeds, s)
	}
	if err := e.app.Surveys.SeedSummaryAnswers(ctx, seeds); err != nil {
		t.Fatal(err)
	}
}

// TestSurveysPage shows the results of the last 90 days in the owner's
// language: the figures, the course as SVG, the breakdowns, the themes
// linked to their answers, the answers linked to their orders and
// customers, and the answers as CSV; a bad day is a 400 naming it.
func TestSurveysPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			addCustomers(t, e, 12)
			insightSeedAnswers(t, e, 12)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			status, _, body := b.do("GET", "/surveys", nil)
			if status != http.StatusOK {
				t.Fatalf("/surveys: %d\n%.600s", status, body)
			}
			wantAll(t, "/surveys", body, "<h1>Результаты опросов</h1>", `id="fig-responses">12<`, `<svg class="line-chart"`,
				`id="by-carrier"`, `id="by-product"`, "Крышка", `id="by-segment"`, "Ещё не оценены",
				`lang="ru">курьер опоздал</a>`, `lang="lv">kurjers kavējās</a>`, "Курьер опоздал на два часа",
				`href="/orders/`, `href="/customers/`, `<a href="/surveys" aria-current="page">Опросы</a>`)
			wantNone(t, "/surveys", body, "[insight", "<no value>", "%!")
			for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
				if status, _, _ := b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(lang)}}); status != http.StatusSeeOther {
					t.Fatalf("set language %s: %d", lang, status)
				}
				_, _, body := b.do("GET", "/surveys", nil)
				for _, problem := range unreadable(pageText(body, lang), lang) {
					t.Errorf("%s /surveys: %s", lang, problem)
				}
			}

			link := regexp.MustCompile(`<a href="([^"]+)" lang="ru">курьер опоздал</a>`).FindStringSubmatch(body)[1]
			status, _, page := b.do("GET", html.UnescapeString(link), nil)
			if status != http.StatusOK || !strings.Contains(page, "Курьер опоздал на два часа") || strings.Contains(page, "Packaging was damaged") {
				t.Errorf("the answers of the first theme (%s): %d\n%s", link, status, between(page, `id="answers"`, "</section>"))
			}

			status, header, file := b.do("GET", "/surveys?csv=1", nil)
			rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
			if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") || err != nil || len(rows) != 13 ||
				rows[0][0] != "answer_id" {
				t.Errorf("CSV: %d %s %v, %d rows", status, header.Get("Content-Type"), err, len(rows))
			}

			status, _, body = b.do("GET", "/surveys?from=2026-13-01", nil)
			if status != http.StatusBadRequest || !strings.Contains(body, `data-field="from"`) {
				t.Errorf("a bad day: %d", status)
			}
			if status, header, _ := b.do("GET", "/surveys?from=2026-13-01&csv=1", nil); status != http.StatusSeeOther ||
				strings.Contains(header.Get("Location"), "csv") {
				t.Errorf("a bad day's CSV: %d %s", status, header.Get("Location"))
			}

			op := newBrowser(t, e)
			op.login(people[auth.Operator])
			if status, _, _ := op.do("GET", "/surveys", nil); status != http.StatusForbidden {
				t.Errorf("an operator: %d, want 403", status)
			}
		})
	}
}

// FuzzSurveysQuery sends arbitrary filters to /surveys as the owner: a
// page (200) or the page with the fields' errors (400), never a failure
// or a raw text id.
func FuzzSurveysQuery(f *testing.F) {
	ctx := context.Background()
	a, clk := apptest.New(f, store.SQLite, false)
	if err := a.Start(ctx); err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	f.Cleanup(srv.Close)
	if err := auth.UserAdd(ctx, a.DB, people[auth.Owner], testPassword, auth.Owner, clk.Now()); err != nil {
		f.Fatal(err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		f.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"email": {people[auth.Owner]}, "password": {testPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		f.Fatalf("login: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	f.Add("2026-09-01", "2026-11-30", "курьер", "ru", "nps", "")
	f.Add("", "", "", "", "", "m5x1k2q0.9ix")
	f.Add("0001-01-01", "9999-12-31", "\x00", "xx", "ces", ".")
	f.Fuzz(func(t *testing.T, from, to, theme, lang, kind, cursor string) {
		q := url.Values{"from": {from}, "to": {to}, "theme": {theme}, "theme_lang": {lang}, "kind": {kind}, "cursor": {cursor}}
		resp, err := c.Get(srv.URL + "/surveys?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: %d\n%.300s", q.Encode(), resp.StatusCode, body)
		}
		if strings.Contains(string(body), "<no value>") || strings.Contains(string(body), "[insight") {
			t.Fatalf("%s: a raw text id or value", q.Encode())
		}
	})
}
