package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// raiseAlert records an early warning as the watch job does, on the day
// daysAgo days before the fake clock's today, and returns its id.
func raiseAlert(t *testing.T, e *env, daysAgo int, actual, expected float64, days int) int64 {
	t.Helper()
	ctx := context.Background()
	day := e.clock.Now().In(e.app.Settings.Shop.Location()).AddDate(0, 0, -daysAgo).Format(time.DateOnly)
	var id int64
	err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO alerts (kind, day, actual, expected, lower, days, created_at)
			VALUES ('orders_drop', $1, $2, $3, $4, $5, $6) RETURNING id`, day, actual, expected, expected/2, days, e.clock.Now()).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAlertBanner: an early warning shows above every page of the owner
// (the layout loads it through htmx) until dismissed; the dismissal goes
// back to the page it was made on, and a second one is a 404.
func TestAlertBanner(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			_, _, page := b.do("GET", "/orders", nil)
			wantAll(t, "the owner's orders page", page, `<div id="alert-banner" hx-get="/alerts/banner" hx-trigger="load" hx-swap="outerHTML"></div>`)
			status, _, body := b.do("GET", "/alerts/banner", nil, "HX-Request: true")
			if status != http.StatusNoContent || body != "" {
				t.Errorf("the banner without an alert: %d %q, want 204 and nothing", status, body)
			}
			b.do("GET", "/analytics", nil) // caches the dashboard with no alert

			id := raiseAlert(t, e, 1, 3, 12.4, 2)
			status, _, body = b.do("GET", "/alerts/banner", nil, "HX-Request: true", "HX-Current-URL: "+e.srv.URL+"/orders?state=late")
			if status != http.StatusOK {
				t.Fatalf("the banner: %d", status)
			}
			wantAll(t, "the banner", body, `id="alert-banner" role="alert"`,
				"Заказов меньше обычного: 3 заказа за 22 ноября, ожидалось около 12.", "Ниже ожидаемого уже 2 дня подряд.",
				`<a href="/analytics">Открыть аналитику</a>`, `action="/alerts/`+strconv.FormatInt(id, 10)+`/dismiss"`,
				`name="back" value="/orders?state=late"`, `name="csrf" value="`+b.csrf+`"`)
			wantNone(t, "the banner", body, "<html", "[analytics")
			// Another site's address is no page to go back to.
			_, _, body = b.do("GET", "/alerts/banner", nil, "HX-Current-URL: https://evil.test//evil.test/x")
			wantNone(t, "the banner asked from another site", body, `value="//evil.test`)

			dismiss := "/alerts/" + strconv.FormatInt(id, 10) + "/dismiss"
			status, h, _ := b.do("POST", dismiss, formOf(b, "back", "/orders?state=late"))
			if status != http.StatusSeeOther || h.Get("Location") != "/orders?state=late" {
				t.Fatalf("dismiss: %d to %q, want 303 back to the orders", status, h.Get("Location"))
			}
			if status, _, _ := b.do("GET", "/alerts/banner", nil); status != http.StatusNoContent {
				t.Errorf("the banner after the dismissal: %d, want 204", status)
			}
			if status, _, _ := b.do("POST", dismiss, formOf(b)); status != http.StatusNotFound {
				t.Errorf("dismiss twice: %d, want 404", status)
			}
			status, h, _ = b.do("POST", "/alerts/"+strconv.FormatInt(raiseAlert(t, e, 2, 1, 9, 1), 10)+"/dismiss", formOf(b, "back", "//evil.test/"))
			if status != http.StatusSeeOther || h.Get("Location") != "/" {
				t.Errorf("dismiss back to another site: %d to %q, want 303 to /", status, h.Get("Location"))
			}
			if a, err := e.app.Analytics.LatestAlert(context.Background()); err != nil || a != nil {
				t.Errorf("the latest alert after the dismissals: %+v, %v", a, err)
			}
			if status, _, _ := b.do("POST", "/alerts/nine/dismiss", formOf(b)); status != http.StatusNotFound {
				t.Errorf("dismiss /alerts/nine: %d, want 404", status)
			}
			_, _, body = b.do("GET", "/analytics", nil)
			if strings.Contains(body, "[analytics") {
				t.Errorf("the analytics page after the dismissal has a missing text")
			}
		})
	}
}
