package api_test

import (
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSpendAPI enters marketing spend, lists it, and finds it in the
// metrics of a window.
func TestSpendAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			status, body, _ := e.call(t, "POST", "/api/v1/spend", `{"month": "2026-11", "channel": "instagram", "amount": "1500.50"}`, e.token)
			if status != 200 || body["amount"] != 1500.5 || body["currency"] != "RUB" {
				t.Fatalf("spend: %d %v", status, body)
			}
			for _, bad := range []struct{ body, field string }{
				{`{"month": "2026-13", "channel": "instagram", "amount": 1}`, "month"},
				{`{"month": "2026-11", "channel": "", "amount": 1}`, "channel"},
				{`{"month": "2026-11", "channel": "x", "amount": -1}`, "amount"},
				{`{"month": "2026-11", "channel": "x", "amount": "lots"}`, "amount"},
			} {
				status, body, _ := e.call(t, "POST", "/api/v1/spend", bad.body, e.token)
				errBody, _ := body["error"].(map[string]any)
				if status != 422 || errBody == nil || errBody["field"] != bad.field {
					t.Errorf("%s: %d %v, want 422 naming %s", bad.body, status, body, bad.field)
				}
			}
			status, body, _ = e.call(t, "GET", "/api/v1/spend", "", e.token)
			if list, _ := body["spend"].([]any); status != 200 || len(list) != 1 {
				t.Errorf("spend list: %d %v", status, body)
			}
			status, body, _ = e.call(t, "GET", "/api/v1/metrics?from=2026-11-01&to=2026-11-30", "", e.token)
			channels, _ := body["channels"].([]any)
			if status != 200 || body["from"] != "2026-11-01" || len(channels) != 1 {
				t.Errorf("metrics of November: %d %v", status, body)
			}
			status, body, _ = e.call(t, "GET", "/api/v1/metrics?from=November", "", e.token)
			if errBody, _ := body["error"].(map[string]any); status != 422 || errBody == nil || errBody["field"] != "from" {
				t.Errorf("a bad window: %d %v", status, body)
			}
		})
	}
}
