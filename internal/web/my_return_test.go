package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// returnRows counts the return requests, their tasks and their events.
func returnRows(t *testing.T, e *env) string {
	t.Helper()
	var reqs, tasks, events int
	db := e.app.DB.Read()
	ctx := context.Background()
	for _, c := range []struct {
		q string
		n *int
	}{
		{`SELECT COUNT(*) FROM return_requests`, &reqs},
		{`SELECT COUNT(*) FROM tasks WHERE kind = 'return_request'`, &tasks},
		{`SELECT COUNT(*) FROM events WHERE kind = 'order.return_requested'`, &events},
	} {
		if err := db.QueryRow(ctx, c.q).Scan(c.n); err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("%d requests, %d tasks, %d events", reqs, tasks, events)
}

// TestMyReturn walks the return page of the customer's own page: the form
// of a delivered order within the window, its problems shown in the
// customer's language without a row written, the request taken with its
// task and event and shown back, an order not delivered, the window
// closed on day 15, another customer's order, and the shop's order page.
func TestMyReturn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e) // the clock stays on Tuesday 1 December, 12:00 in Moscow
	ctx := context.Background()
	get := func(ext string) *order.Order {
		t.Helper()
		o, err := order.GetByExternalID(ctx, e.app.DB.Read(), ext)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	d5, r2 := get("D-5"), get("R-2") // Sam's, delivered on 26 November; Andrei's, shipped
	sam, andrei := newBrowser(t, e), newBrowser(t, e)
	signInAs(t, e, sam, d5.CustomerID)
	signInAs(t, e, andrei, r2.CustomerID)
	page := fmt.Sprintf("/my/orders/%d/return", d5.ID)

	status, _, body := sam.do("GET", page, nil)
	if status != http.StatusOK || !strings.Contains(body, `name="qty_1"`) || !strings.Contains(body, `value="damaged"`) ||
		!strings.Contains(body, "until 10 Dec inclusive") || !strings.Contains(body, `<label for="qty_1">Lid`) {
		t.Fatalf("GET %s: %d\n%s", page, status, body)
	}
	formID := secret.Token()
	form := func(pairs ...string) url.Values {
		v := url.Values{"csrf": {sam.csrf}, "form_id": {formID}}
		for i := 0; i < len(pairs); i += 2 {
			v.Set(pairs[i], pairs[i+1])
		}
		return v
	}
	empty := returnRows(t, e)
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"more than ordered", form("qty_1", "3", "reason", "damaged"), "You can return at most 2 of this item."},
		{"not a number", form("qty_1", "two", "reason", "damaged"), "Enter a whole number of items."},
		{"nothing chosen", form("qty_1", "0", "reason", "damaged"), "Choose at least one item to return."},
		{"no reason", form("qty_1", "1"), "Choose why you are returning the items."},
		{"other, no words", form("qty_1", "1", "reason", "other"), "Tell us in a few words what is wrong."},
	} {
		status, _, body := sam.do("POST", page, tc.form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: %d, want 422 saying %q\n%s", tc.name, status, tc.want, body)
		}
	}
	if status, _, _ := sam.do("POST", page, url.Values{"qty_1": {"1"}, "reason": {"damaged"}}); status != http.StatusForbidden {
		t.Errorf("a form without its token: %d, want 403", status)
	}
	if got := returnRows(t, e); got != empty {
		t.Fatalf("refused forms wrote rows: %s, was %s", got, empty)
	}

	// Another customer's order is a plain 404, shows nothing of it and
	// takes nothing.
	status, _, body = andrei.do("GET", page, nil)
	if status != http.StatusNotFound || strings.Contains(body, "Lid") || strings.Contains(body, "D-5") || strings.Contains(body, "Sam") {
		t.Errorf("Andrei on Sam's return page: %d\n%s", status, body)
	}
	status, _, _ = andrei.do("POST", page, url.Values{"csrf": {andrei.csrf}, "qty_1": {"1"}, "reason": {"damaged"}})
	if status != http.StatusNotFound || returnRows(t, e) != empty {
		t.Errorf("Andrei returning Sam's order: %d, rows %s", status, returnRows(t, e))
	}

	taken := form("qty_1", "1", "reason", "did_not_fit", "comment", "Too small")
	for range 2 { // a double click makes one request
		status, h, body := sam.do("POST", page, taken)
		if status != http.StatusSeeOther || h.Get("Location") != page+"?sent=1#requests" {
			t.Fatalf("a good form: %d to %q\n%s", status, h.Get("Location"), body)
		}
	}
	if got := returnRows(t, e); got != "1 requests, 1 tasks, 1 events" {
		t.Fatalf("after the request: %s", got)
	}
	status, _, body = sam.do("GET", page+"?sent=1", nil)
	if status != http.StatusOK || !strings.Contains(body, "Your return request is in.") || !strings.Contains(body, "Did not fit") ||
		!strings.Contains(body, "Requested: the shop will contact you") || !strings.Contains(body, "You can return up to 1 of 2.") {
		t.Errorf("the page after the request: %d\n%s", status, body)
	}

	// In Russian, on Andrei's order once delivered: no English word.
	if _, err := e.app.Orders.ChangeStatus(ctx, r2.ID, order.StatusUpdate{Status: order.Delivered, At: e.clock.Now(), Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	own := fmt.Sprintf("/my/orders/%d/return", r2.ID)
	status, _, body = andrei.do("POST", own, url.Values{"csrf": {andrei.csrf}, "qty_1": {"5"}, "reason": {"other"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Этого товара можно вернуть не больше 1.") ||
		!strings.Contains(body, "Доставлен 1 декабря. Попросить о возврате можно по 15 декабря включительно.") {
		t.Errorf("Andrei's form in Russian: %d\n%s", status, body)
	}
	for _, problem := range unreadable(pageText(body, i18n.RU), i18n.RU) {
		t.Errorf("Andrei's return page: %s", problem)
	}
	status, _, body = andrei.do("GET", own+"?lang=lv", nil)
	for _, problem := range unreadable(pageText(body, i18n.LV), i18n.LV) {
		t.Errorf("Andrei's return page in Latvian (%d): %s", status, problem)
	}
	status, _, _ = andrei.do("POST", own, url.Values{"csrf": {andrei.csrf}, "qty_1": {"1"}, "reason": {"damaged"}, "comment": {"Вмятина на дне"}})
	if status != http.StatusSeeOther {
		t.Fatalf("Andrei's return: %d", status)
	}

	// Day 15 after the delivery: closed, saying until when.
	e.clock.Set(msk(t, "2026-12-11T00:30:00"))
	status, _, body = sam.do("GET", page, nil)
	if status != http.StatusOK || strings.Contains(body, `name="qty_1"`) || !strings.Contains(body, "Returns for this order were open until 10 Dec.") {
		t.Errorf("day 15: %d\n%s", status, body)
	}
	before := returnRows(t, e)
	status, _, body = sam.do("POST", page, form("qty_1", "1", "reason", "damaged", "form_id", secret.Token()))
	if status != http.StatusConflict || !strings.Contains(body, `<p class="note note-error" role="alert">Returns for this order were open until 10 Dec.</p>`) ||
		returnRows(t, e) != before {
		t.Errorf("a form posted on day 15: %d, rows %s\n%s", status, returnRows(t, e), body)
	}

	// The shop sees the request on the order's page, with its task.
	addPeople(t, e)
	owner := newBrowser(t, e)
	owner.login(people[auth.Owner])
	status, _, body = owner.do("GET", fmt.Sprintf("/orders/%d", d5.ID), nil)
	if status != http.StatusOK || !strings.Contains(body, `id="returns"`) || !strings.Contains(body, "Too small") ||
		!strings.Contains(body, `<input type="hidden" name="kind" value="return_request">`) {
		t.Fatalf("the order's admin page: %d\n%s", status, body)
	}
	taskID := regexp.MustCompile(`action="/tasks/(\d+)/resolve"`).FindStringSubmatch(body)
	if taskID == nil {
		t.Fatalf("no resolve button on the order's page\n%s", body)
	}
	status, _, _ = owner.do("POST", "/tasks/"+taskID[1]+"/resolve", url.Values{"csrf": {owner.csrf}, "kind": {"return_request"}})
	if status != http.StatusSeeOther {
		t.Fatalf("resolve the return task: %d", status)
	}
	if _, _, body = sam.do("GET", page, nil); !strings.Contains(body, "Handled by the shop") {
		t.Errorf("the customer's page after the operator arranged the return:\n%s", body)
	}

	// The shop's people read Andrei's return in Russian, every word of it.
	if status, _, _ := owner.do("POST", "/account/language", url.Values{"csrf": {owner.csrf}, "language": {"ru"}}); status != http.StatusSeeOther {
		t.Fatalf("owner's language: %d", status)
	}
	status, _, body = owner.do("GET", fmt.Sprintf("/orders/%d", r2.ID), nil)
	if status != http.StatusOK || !strings.Contains(body, "Вмятина на дне") || !strings.Contains(body, "Оформить возврат") ||
		!strings.Contains(body, "Ждёт, когда оператор договорится с покупателем") {
		t.Errorf("Andrei's order in the admin, in Russian: %d\n%s", status, body)
	}
	for _, problem := range unreadable(pageText(body, i18n.RU), i18n.RU) {
		t.Errorf("Andrei's order in the admin: %s", problem)
	}
}
