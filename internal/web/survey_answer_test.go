package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/web"
)

// surveyEnv is a shop with one delivered order of a Latvian customer and
// the web handler over it.
type surveyEnv struct {
	app      *app.App
	clock    *clock.Fake
	handler  http.Handler
	customer int64
	order    int64
}

func newSurveyEnv(t testing.TB, engine store.Engine, lang string) *surveyEnv {
	t.Helper()
	a, clk := apptest.New(t, engine, false, "shop:\n  public_url: https://care.example.com\n")
	n := order.NewOrder{ExternalID: "SV-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "sv-1", Name: "Līga Ozola", Email: "liga@example.lv", Language: lang},
		Items:    []order.Item{{SKU: "TEA", Name: "Tēja", Qty: 1, PriceMinor: 1900}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Orders.Get(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &surveyEnv{app: a, clock: clk, handler: web.New(a), customer: o.Customer.ID, order: o.ID}
}

func (e *surveyEnv) token() string {
	return e.app.Surveys.Token(survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: e.order,
		CustomerID: e.customer, AskedAt: e.clock.Now().Truncate(time.Second)})
}

func (e *surveyEnv) do(method, target string, form url.Values, header ...string) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

func (e *surveyEnv) rows(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM surveys`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSurveyPage, on both engines: a score link's click shows the page in
// the customer's language with the score chosen and unconfirmed; HEAD is
// a suspect intent; Send confirms with the comment and thanks, inviting a
// review only for a high score; a forged link is 404, a bad score 422,
// and neither writes.
func TestSurveyPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, engine, "lv")
			token := e.token()
			path := "/s/" + token
			if rec := e.do("GET", "/s/"+token[:len(token)-2]+"AA?score=5", nil); rec.Code != http.StatusNotFound || e.rows(t) != 0 {
				t.Fatalf("forged: %d, %d rows", rec.Code, e.rows(t))
			}
			for _, bad := range []string{"11", "-1", "x", ""} {
				rec := e.do("GET", path+"?score="+url.QueryEscape(bad), nil)
				if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Saite ir bojāta") || e.rows(t) != 0 {
					t.Fatalf("score %q: %d, %d rows\n%s", bad, rec.Code, e.rows(t), rec.Body)
				}
			}
			e.clock.Advance(time.Hour)
			rec := e.do("HEAD", path+"?score=10&c=e", nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("HEAD %d", rec.Code)
			}
			sv, _ := e.app.Surveys.PageOf(context.Background(), token)
			if sv.Survey == nil || sv.Survey.Suspect != survey.SuspectPrefetch || sv.Survey.Confirmed() {
				t.Fatalf("HEAD row %+v", sv.Survey)
			}
			e.clock.Advance(time.Minute)
			rec = e.do("GET", path+"?score=4&c=e", nil)
			body := rec.Body.String()
			if rec.Code != http.StatusOK || !strings.Contains(body, `value="4" checked`) || !strings.Contains(body, "Kas jūs apbēdināja?") ||
				!strings.Contains(body, `lang="lv"`) || !strings.Contains(body, `data-auto="1"`) {
				t.Fatalf("click page %d\n%s", rec.Code, body)
			}
			rec = e.do("POST", path, url.Values{"score": {"12"}, "comment": {"x"}})
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Izvēlieties vērtējumu skalā") {
				t.Fatalf("bad send %d", rec.Code)
			}
			rec = e.do("POST", path, url.Values{"score": {"4"}, "comment": {"Kurjers kavējās"}, "c": {"e"}})
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Paldies!") || strings.Contains(rec.Body.String(), "Rakstīt atsauksmi") {
				t.Fatalf("send %d\n%s", rec.Code, rec.Body)
			}
			pg, _ := e.app.Surveys.PageOf(context.Background(), token)
			if v := pg.Survey; v == nil || !v.Confirmed() || v.Score != 4 || v.Comment != "Kurjers kavējās" || v.Channel != "email" || e.rows(t) != 1 {
				t.Fatalf("confirmed %+v", v)
			}
			// The script's auto-confirm of a changed score answers 204.
			if rec = e.do("POST", path, url.Values{"score": {"9"}, "auto": {"1"}}); rec.Code != http.StatusNoContent {
				t.Fatalf("auto %d", rec.Code)
			}
			pg, _ = e.app.Surveys.PageOf(context.Background(), token)
			if pg.Survey.Score != 9 || pg.Survey.Comment != "Kurjers kavējās" {
				t.Fatalf("auto changed %+v", pg.Survey)
			}
			rec = e.do("GET", path+"?score=3", nil)
			if !strings.Contains(rec.Body.String(), `value="3" checked`) {
				t.Fatalf("a click on a confirmed answer offers the new score")
			}
			pg, _ = e.app.Surveys.PageOf(context.Background(), token)
			if pg.Survey.Score != 9 {
				t.Fatalf("a click changed a confirmed answer: %+v", pg.Survey)
			}
			if rec = e.do("GET", path+"?lang=ru", nil); !strings.Contains(rec.Body.String(), "Ваша оценка") {
				t.Fatalf("?lang=ru\n%s", rec.Body)
			}
		})
	}
}

// FuzzSurveyAnswer: no token, score, method or form makes /s/{token}
// fail with a 5xx or panic, and a 4xx never leaves a row.
func FuzzSurveyAnswer(f *testing.F) {
	e := newSurveyEnv(f, store.SQLite, "ru")
	good := e.token()
	seeds := []struct{ method, token, query, body string }{
		{"GET", good, "score=7&c=e", ""},
		{"HEAD", good, "score=0", ""},
		{"GET", good, "score=11", ""},
		{"GET", good, "score=%00", ""},
		{"GET", "AAAA", "score=1", ""},
		{"POST", good, "", "score=9&comment=%D0%B2%D0%BA%D1%83%D1%81%D0%BD%D1%8B%D0%B9+%D1%87%D0%B0%D0%B9"},
		{"POST", good, "", "score=3&comment=%00"},
		{"POST", good, "", "score=&auto=1"},
		{"POST", strings.Repeat("A", 70), "", "score=5"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.token, s.query, s.body)
	}
	f.Fuzz(func(t *testing.T, method, token, query, body string) {
		if method != "GET" && method != "HEAD" && method != "POST" {
			method = "GET"
		}
		u := &url.URL{Path: "/s/" + token, RawQuery: query}
		req, err := http.NewRequest(method, u.String(), strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		before := e.rows(t)
		var beforeRow *survey.Survey
		if pg, err := e.app.Surveys.PageOf(context.Background(), good); err == nil {
			beforeRow = pg.Survey
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %s %q %q %q", rec.Code, method, token, query, body)
		}
		if rec.Code >= 400 {
			if after := e.rows(t); after != before {
				t.Errorf("a %d made a row", rec.Code)
			}
			if pg, err := e.app.Surveys.PageOf(context.Background(), good); err == nil && beforeRow != nil &&
				(pg.Survey.Score != beforeRow.Score || pg.Survey.Comment != beforeRow.Comment) {
				t.Errorf("a %d changed the answer", rec.Code)
			}
		}
	})
}

// newInboxEnvWith is newInboxEnv with settings of the test's own.
func newInboxEnvWith(t *testing.T, engine store.Engine, yaml ...string) (*env, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t)
	a, clk := apptest.New(t, engine, false, append(inboxSettings(srv.URL()), yaml...)...)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(web.New(a))
	t.Cleanup(hs.Close)
	return &env{app: a, clock: clk, srv: hs}, srv
}
