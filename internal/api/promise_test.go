package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/storetest"
)

func TestPromiseQuote(t *testing.T) {
	t.Parallel()
	e := newEnv(t, string(storetest.Engines(t)[0]))
	tests := []struct {
		name      string
		query     string
		status    int
		field     string
		ship      string
		from, to  string
		made      string
		explained string
	}{
		{name: "a cart now, shop defaults", query: "", status: 200,
			ship: "2026-11-25", from: "2026-11-27", to: "2026-11-27",
			explained: "после 14:00 — принят: вторник, 24 ноября"},
		{name: "the issue's Friday in English", query: "at=2026-11-27T15:20:00%2B03:00&lang=en", status: 200,
			ship: "2026-12-01", from: "2026-12-03", to: "2026-12-03",
			explained: "placed Friday 27 Nov 15:20, after the 14:00 cut-off: received Monday 30 Nov"},
		{name: "made to order by post to Latvia, in Latvian", query: "carrier=post&country=lv&items=mug,vase:12,plate:3&at=2026-11-23T10:00:00%2B03:00&lang=lv-LV", status: 200,
			made: "2026-12-09", ship: "2026-12-10", from: "2026-12-15", to: "2026-12-17",
			explained: "izgatavošana pēc pasūtījuma, 12 darba dienu: gatavs — trešdiena, 9. decembris"},
		{name: "New Year", query: "at=2025-12-31T19:40:00%2B03:00&lang=en", status: 200,
			ship: "2026-01-13", from: "2026-01-15", to: "2026-01-15", explained: "public holidays"},
		{name: "unknown carrier", query: "carrier=dhl", status: 422, field: "carrier"},
		{name: "bad country", query: "country=Latvia", status: 422, field: "country"},
		{name: "bad production days", query: "items=mug,vase:many", status: 422, field: "items[1]"},
		{name: "empty line", query: "items=mug,,vase", status: 422, field: "items[1]"},
		{name: "bad time", query: "at=yesterday", status: 422, field: "at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// No token: a shop's product page asks from the browser.
			status, b, h := e.call(t, "GET", "/api/v1/promise/quote?"+tt.query, "", "")
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, b)
			}
			if h.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("no CORS header: %v", h)
			}
			if tt.status != 200 {
				if got := b["error"].(map[string]any)["field"]; got != tt.field {
					t.Errorf("error field = %v, want %s: %v", got, tt.field, b)
				}
				return
			}
			p := b["promise"].(map[string]any)
			made, _ := p["production_date"].(string)
			got := fmt.Sprint(made, " ", p["ship_date"], " ", p["delivery_from"], " ", p["delivery_to"])
			if want := fmt.Sprint(tt.made, " ", tt.ship, " ", tt.from, " ", tt.to); got != want {
				t.Errorf("made, ship, from, to = %s, want %s", got, want)
			}
			var steps []string
			for _, s := range p["explain"].([]any) {
				steps = append(steps, s.(string))
			}
			if !strings.Contains(strings.Join(steps, "\n"), tt.explained) {
				t.Errorf("explain does not contain %q:\n%s", tt.explained, strings.Join(steps, "\n"))
			}
		})
	}
}

func TestOrderPromiseHistoryAndShopDays(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			body := strings.Replace(order1, `"promised_to": "2026-11-26"`, `"gift_wrap": false`, 1)
			status, b, _ := e.call(t, "POST", "/api/v1/orders", body, e.token)
			if status != 201 {
				t.Fatalf("create: %d %v", status, b)
			}
			p := b["promise"].(map[string]any)
			if p["ship_date"] != "2026-11-25" || p["delivery_to"] != "2026-11-27" || p["language"] != "ru" ||
				len(p["explain"].([]any)) != 3 || len(p["history"].([]any)) != 1 {
				t.Fatalf("promise at creation: %v", p)
			}

			e.clock.Set(time.Date(2026, 11, 26, 13, 30, 0, 0, time.UTC)) // a status change is told after it happened
			status, b, _ = e.call(t, "POST", "/api/v1/orders/1001/status",
				`{"status":"processing","at":"2026-11-26T16:00:00+03:00"}`, e.token) // after the cut-off: counts from Friday
			if status != 200 {
				t.Fatalf("status: %d %v", status, b)
			}
			status, b, _ = e.call(t, "GET", "/api/v1/orders/1001?lang=en", "", e.token)
			if status != 200 {
				t.Fatalf("get: %d %v", status, b)
			}
			p = b["promise"].(map[string]any)
			history := p["history"].([]any)
			if p["delivery_to"] != "2026-12-02" || len(history) != 2 {
				t.Fatalf("after a late start: %v", p)
			}
			first, second := history[0].(map[string]any), history[1].(map[string]any)
			if first["reason"] != "placed" || first["delivery_to"] != "2026-11-27" ||
				second["reason"] != "started_late" || second["why"] != "work on the order began later than planned" {
				t.Errorf("history: %v", history)
			}

			status, b, _ = e.call(t, "POST", "/api/v1/orders/1001/status", `{"status":"ready_to_ship","carrier":"dhl"}`, e.token)
			if status != 422 || b["error"].(map[string]any)["field"] != "carrier" {
				t.Errorf("unknown carrier on a status change: %d %v", status, b)
			}

			// The shop's own days.
			for _, bad := range []struct{ body, field string }{
				{`{"from":"28.12.2026"}`, "from"},
				{`{"from":"2026-12-30","to":"2026-12-28"}`, "to"},
				{`{"from":"2026-12-28","to":"soon"}`, "to"},
			} {
				status, b, _ = e.call(t, "POST", "/api/v1/shop/days", bad.body, e.token)
				if status != 422 || b["error"].(map[string]any)["field"] != bad.field {
					t.Errorf("%s: %d %v, want 422 on %s", bad.body, status, b, bad.field)
				}
			}
			status, b, _ = e.call(t, "POST", "/api/v1/shop/days", `{"from":"2026-12-28","to":"2026-12-30","reason":"stocktaking"}`, e.token)
			if status != 201 || b["reason"] != "stocktaking" || b["to"] != "2026-12-30" {
				t.Fatalf("add days: %d %v", status, b)
			}
			id := int(b["id"].(float64))
			status, _, _ = e.call(t, "POST", "/api/v1/shop/days", `{"from":"2026-12-28","to":"2026-12-30"}`, e.token)
			if status != 409 {
				t.Errorf("the same days twice: %d, want 409", status)
			}
			status, b, _ = e.call(t, "GET", "/api/v1/promise/quote?at=2026-12-25T15:00:00%2B03:00", "", "")
			// Stocktaking, then 31 December and the New Year holidays.
			if p := b["promise"].(map[string]any); status != 200 || p["ship_date"] != "2027-01-12" ||
				!strings.Contains(fmt.Sprint(p["explain"]), "(stocktaking; перенос выходных; праздничные дни)") {
				t.Errorf("a quote over the stocktaking: %d %v", status, b)
			}
			status, b, _ = e.call(t, "GET", "/api/v1/shop/days", "", e.token)
			if status != 200 || len(b["days"].([]any)) != 1 {
				t.Errorf("list days: %d %v", status, b)
			}
			if status, _, _ = e.call(t, "DELETE", fmt.Sprintf("/api/v1/shop/days/%d", id), "", e.token); status != 204 {
				t.Errorf("remove days: %d", status)
			}
			if status, _, _ = e.call(t, "DELETE", fmt.Sprintf("/api/v1/shop/days/%d", id), "", e.token); status != 404 {
				t.Errorf("remove days twice: %d, want 404", status)
			}
			if status, _, _ = e.call(t, "GET", "/api/v1/shop/days", "", ""); status != 401 {
				t.Errorf("shop days without a token: %d, want 401", status)
			}
		})
	}
}
