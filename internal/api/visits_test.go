package api_test

import (
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestVisitsAPI pushes a shop's own visits, refuses a batch with a bad
// row without writing any of it, and finds the visits beside the orders
// in GET /metrics: per day, per source, with the conversion.
func TestVisitsAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			for _, bad := range []struct{ body, field string }{
				{`{"days": [{"day": "2026-11-21", "visits": 1}, {"day": "2026-11-21", "source": "x", "visits": 1},
					{"day": "2026-11-21", "source": "y", "visits": -3}]}`, "days[2].visits"},
				{`{"days": [{"day": "2026-11-21", "visits": 1.5}]}`, "days[0].visits"},
				{`{"days": [{"day": "2026-11-21"}]}`, "days[0].visits"},
				{`{"days": [{"day": "21.11.2026", "visits": 1}]}`, "days[0].day"},
				{`{"days": [{"day": "2026-11-21", "visits": 10, "unique_visitors": 11}]}`, "days[0].unique_visitors"},
				{`{"days": []}`, "days"},
			} {
				status, body, _ := e.call(t, "POST", "/api/v1/visits", bad.body, e.token)
				errBody, _ := body["error"].(map[string]any)
				if status != 422 || errBody == nil || errBody["field"] != bad.field {
					t.Errorf("%s: %d %v, want 422 naming %s", bad.body, status, body, bad.field)
				}
			}
			status, body, _ := e.call(t, "GET", "/api/v1/metrics?from=2026-11-21&to=2026-11-21", "", e.token)
			if tr, _ := body["traffic"].(map[string]any); status != 200 || tr == nil || tr["visits"] != 0.0 || tr["conversion"] != nil {
				t.Fatalf("a refused push left traffic: %d %v", status, body["traffic"])
			}
			status, body, _ = e.call(t, "POST", "/api/v1/visits", `{"days": [
				{"day": "2026-11-21", "source": "google", "visits": 120, "unique_visitors": 100, "pageviews": 300},
				{"day": "2026-11-21", "source": "", "visits": 50, "unique_visitors": 40, "pageviews": 100},
				{"day": "2026-11-21", "source": "facebook.com", "visits": 10, "unique_visitors": 10}]}`, e.token)
			if status != 200 || body["accepted"] != 3.0 {
				t.Fatalf("push: %d %v", status, body)
			}
			for i, ch := range []string{"google", "google", "direct"} {
				order := fmt.Sprintf(`{"external_id": "V-%d", "customer": {"external_id": "vc-%d"}, "total": "100",
					"created_at": "2026-11-21T12:00:00+03:00", "channel": %q}`, i, i, ch)
				if status, body, _ := e.call(t, "POST", "/api/v1/orders", order, e.token); status != 201 {
					t.Fatalf("order: %d %v", status, body)
				}
			}
			status, body, _ = e.call(t, "GET", "/api/v1/metrics?from=2026-11-21&to=2026-11-21", "", e.token)
			tr, _ := body["traffic"].(map[string]any)
			if status != 200 || tr == nil || tr["visits"] != 180.0 || tr["unique_visitors"] != 150.0 || tr["orders"] != 3.0 ||
				tr["conversion"] != 0.02 || body["orders"] != 3.0 {
				t.Fatalf("metrics: %d %v", status, tr)
			}
			days, _ := tr["days"].([]any)
			if len(days) != 1 || days[0].(map[string]any)["day"] != "2026-11-21" {
				t.Errorf("days: %v", tr["days"])
			}
			want := map[string][2]any{"google": {2.0, 0.02}, "": {1.0, 0.025}, "facebook.com": {nil, nil}}
			sources, _ := tr["sources"].([]any)
			if len(sources) != 3 || sources[0].(map[string]any)["source"] != "google" {
				t.Fatalf("sources: %v", sources)
			}
			for _, s := range sources {
				src := s.(map[string]any)
				w := want[src["source"].(string)]
				if src["orders"] != w[0] || src["conversion"] != w[1] {
					t.Errorf("source %v: orders %v conversion %v, want %v", src["source"], src["orders"], src["conversion"], w)
				}
			}
		})
	}
}
