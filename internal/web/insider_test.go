package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// insiderRows counts the memberships (current ones) and the
// insider.joined events.
func insiderRows(t *testing.T, e *env) string {
	t.Helper()
	var members, events int
	ctx, db := context.Background(), e.app.DB.Read()
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM insider_members WHERE left_at IS NULL`).Scan(&members); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'insider.joined'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d members, %d events", members, events)
}

// TestInsiders walks the club: the owner makes a project in the admin
// (a bad form writes nothing and names its fields), Andrei joins it from
// his page in Russian with no English word and leaves, Sam's invitation
// link shows a button on GET (a scanner joins no one) and joins on POST,
// a forged link is a 404, the members list and CSV show the consent, and
// a closed project takes no one.
func TestInsiders(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			addPeople(t, e)
			ctx := context.Background()
			owner := newBrowser(t, e)
			owner.login(people[auth.Owner])
			status, _, body := owner.do("GET", "/insiders", nil)
			if status != http.StatusOK || !strings.Contains(body, `name="title_lv"`) {
				t.Fatalf("GET /insiders: %d\n%s", status, body)
			}
			empty := insiderRows(t, e)
			bad := url.Values{"csrf": {owner.csrf}, "kind": {"pre_order"}, "goal": {"many"}, "ends_on": {"2026-13-40"}}
			status, _, body = owner.do("POST", "/insiders", bad)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="insider-goal-error"`) ||
				!strings.Contains(body, `id="insider-ends-error"`) || !strings.Contains(body, `id="insider-title-ru-error"`) {
				t.Errorf("a bad project: %d\n%s", status, body)
			}
			if projects, _ := e.app.Insiders.ProjectList(ctx); len(projects) != 0 {
				t.Fatalf("a bad form wrote %d projects", len(projects))
			}
			good := url.Values{"csrf": {owner.csrf}, "kind": {"pre_order"}, "goal": {"50"},
				"title_ru": {"Новый улун"}, "description_ru": {"Первая партия — весной."}, "title_en": {"A new oolong"}}
			status, h, body := owner.do("POST", "/insiders", good)
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/insiders/") {
				t.Fatalf("a good project: %d to %q\n%s", status, h.Get("Location"), body)
			}
			projects, err := e.app.Insiders.ProjectList(ctx)
			if err != nil || len(projects) != 1 {
				t.Fatalf("projects %v, %v", projects, err)
			}
			id := projects[0].ID

			r2, err := order.GetByExternalID(ctx, e.app.DB.Read(), "R-2")
			if err != nil {
				t.Fatal(err)
			}
			andrei := newBrowser(t, e)
			signInAs(t, e, andrei, r2.CustomerID)
			status, _, body = andrei.do("GET", "/my/insiders", nil)
			if status != http.StatusOK || !strings.Contains(body, "Новый улун") || !strings.Contains(body, "Участвовать") ||
				!strings.Contains(body, "Уже записались: 0 из 50") {
				t.Fatalf("Andrei's club page: %d\n%s", status, body)
			}
			for _, problem := range unreadable(pageText(body, i18n.RU), i18n.RU) {
				t.Errorf("Andrei's club page: %s", problem)
			}
			join := fmt.Sprintf("/my/insiders/%d/join", id)
			if status, _, _ := andrei.do("POST", join, url.Values{}); status != http.StatusForbidden {
				t.Errorf("a join without its token: %d, want 403", status)
			}
			for range 2 { // a double click joins once
				status, h, _ := andrei.do("POST", join, url.Values{"csrf": {andrei.csrf}})
				if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/my/insiders?done=joined") {
					t.Fatalf("join: %d to %q", status, h.Get("Location"))
				}
			}
			if got := insiderRows(t, e); got != "1 members, 1 events" {
				t.Fatalf("after Andrei joined: %s (was %s)", got, empty)
			}
			status, _, body = andrei.do("GET", "/my/insiders?done=joined", nil)
			if status != http.StatusOK || !strings.Contains(body, "Вы участвуете.") || !strings.Contains(body, "Выйти из проекта") {
				t.Errorf("after joining: %d\n%s", status, body)
			}
			if status, _, _ := andrei.do("POST", fmt.Sprintf("/my/insiders/%d/leave", id), url.Values{"csrf": {andrei.csrf}}); status != http.StatusSeeOther {
				t.Errorf("leave: %d", status)
			}
			if got := insiderRows(t, e); got != "0 members, 1 events" {
				t.Errorf("after Andrei left: %s", got)
			}

			// Sam's invitation: GET shows, POST joins; the page is in English.
			d5, err := order.GetByExternalID(ctx, e.app.DB.Read(), "D-5")
			if err != nil {
				t.Fatal(err)
			}
			link, err := e.app.Insiders.URL(ctx, d5.CustomerID, id, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			path := link[strings.Index(link, "/i/"):]
			sam := newBrowser(t, e)
			for _, method := range []string{"GET", "HEAD", "GET"} {
				if status, _, _ := sam.do(method, path, nil); status != http.StatusOK {
					t.Errorf("%s %s: %d", method, path, status)
				}
			}
			if got := insiderRows(t, e); got != "0 members, 1 events" {
				t.Errorf("after a scanner's GETs: %s", got)
			}
			status, _, body = sam.do("GET", path, nil)
			if !strings.Contains(body, "A new oolong") || !strings.Contains(body, "By joining you agree") {
				t.Errorf("Sam's invitation: %d\n%s", status, body)
			}
			status, h, _ = sam.do("POST", path, url.Values{"lang": {"en"}})
			if status != http.StatusSeeOther || h.Get("Location") != path+"?done=joined" {
				t.Fatalf("Sam joins: %d to %q", status, h.Get("Location"))
			}
			if _, _, body := sam.do("GET", path+"?done=joined", nil); !strings.Contains(body, "You are in.") {
				t.Errorf("Sam after joining:\n%s", body)
			}
			forged := path[:len(path)-2] + "AA"
			if forged == path {
				forged = path[:len(path)-2] + "BB"
			}
			for _, p := range []string{forged, "/i/x", "/i/" + strings.Repeat("A", 300)} {
				if status, _, _ := sam.do("GET", p, nil); status != http.StatusNotFound {
					t.Errorf("GET %s: %d, want 404", p, status)
				}
				if status, _, _ := sam.do("POST", p, url.Values{}); status != http.StatusNotFound {
					t.Errorf("POST %s: %d, want 404", p, status)
				}
			}
			if got := insiderRows(t, e); got != "1 members, 2 events" {
				t.Errorf("after Sam: %s", got)
			}

			// The owner sees Sam with his consent, and the CSV.
			status, _, body = owner.do("GET", fmt.Sprintf("/insiders/%d", id), nil)
			if status != http.StatusOK || !strings.Contains(body, "Sam Lee") || !strings.Contains(body, "По ссылке из сообщения") {
				t.Errorf("the project's page: %d\n%s", status, body)
			}
			status, h, body = owner.do("GET", fmt.Sprintf("/insiders/%d/members.csv", id), nil)
			if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") ||
				!strings.Contains(body, "sam.lee@example.com") || !strings.Contains(body, ",message_link,1,en,") {
				t.Errorf("the CSV: %d\n%s", status, body)
			}

			// Sam's page in the admin lists the project.
			status, _, body = owner.do("GET", fmt.Sprintf("/customers/%d", d5.CustomerID), nil)
			if status != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`<a href="/insiders/%d">Новый улун</a>`, id)) {
				t.Errorf("Sam's customer page: %d\n%s", status, body)
			}

			// Closed: Andrei cannot join again, the invitation says so.
			if status, _, _ := owner.do("POST", fmt.Sprintf("/insiders/%d/close", id), url.Values{"csrf": {owner.csrf}}); status != http.StatusSeeOther {
				t.Errorf("close: %d", status)
			}
			status, h, _ = andrei.do("POST", join, url.Values{"csrf": {andrei.csrf}})
			if status != http.StatusSeeOther || h.Get("Location") != "/my/insiders?done=closed" {
				t.Errorf("join a closed project: %d to %q", status, h.Get("Location"))
			}
			if got := insiderRows(t, e); got != "1 members, 2 events" {
				t.Errorf("after the closed join: %s", got)
			}
			e.clock.Advance(insider.LinkTTL + time.Hour)
			if status, _, _ := sam.do("GET", path, nil); status != http.StatusNotFound {
				t.Errorf("an expired link: %d, want 404", status)
			}
		})
	}
}
