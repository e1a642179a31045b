package api_test

import (
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestAuditAPI reads the touch points' board, records a check through
// the API (a bad one is a 422 naming the field and writes nothing) and
// finds it as the point's last check. Both engines.
func TestAuditAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			status, body, _ := e.call(t, "GET", "/api/v1/audit", "", e.token)
			points, _ := body["points"].([]any)
			if status != 200 || len(points) != 9 {
				t.Fatalf("board: %d %v", status, body)
			}
			pickup, _ := points[6].(map[string]any)
			items, _ := pickup["items"].([]any)
			if pickup["point"] != "pickup" || pickup["due"] != true || pickup["last_check"] != nil || len(items) != 3 {
				t.Fatalf("pickup: %v", pickup)
			}
			first, _ := items[0].(map[string]any)
			itemID := int64(first["id"].(float64))
			today := e.app.Orders.Today()
			for _, bad := range []struct{ body, field string }{
				{`{"point": "lobby", "day": "` + today + `", "kind": "self", "who": "A", "score": 3}`, "point"},
				{`{"point": "pickup", "day": "2099-01-01", "kind": "self", "who": "A", "score": 3}`, "day"},
				{`{"point": "pickup", "day": "` + today + `", "kind": "audit", "who": "A", "score": 3}`, "kind"},
				{`{"point": "pickup", "day": "` + today + `", "kind": "self", "who": "", "score": 3}`, "who"},
				{`{"point": "pickup", "day": "` + today + `", "kind": "self", "who": "A"}`, "score"},
				{`{"point": "pickup", "day": "` + today + `", "kind": "self", "who": "A", "results": [{"item_id": 999999, "passed": true}]}`, "results"},
				{`{"point": "pickup", "day": "` + today + `", "kind": "self", "who": "A\u0000", "score": 2}`, "who"},
			} {
				status, body, _ := e.call(t, "POST", "/api/v1/audit/checks", bad.body, e.token)
				errBody, _ := body["error"].(map[string]any)
				if status != 422 || errBody == nil || errBody["field"] != bad.field {
					t.Errorf("%s: %d %v, want 422 naming %s", bad.body, status, body, bad.field)
				}
			}
			status, body, _ = e.call(t, "POST", "/api/v1/audit/checks", fmt.Sprintf(`{"point": "pickup", "day": %q, "kind": "mystery",
				"who": "Agency", "note": "Kept 30 days,\nreminded twice.", "results": [{"item_id": %d, "passed": true}]}`, today, itemID), e.token)
			if status != 201 || body["passed"] != 1.0 || body["total"] != 1.0 || body["note"] != "Kept 30 days,\nreminded twice." {
				t.Fatalf("check: %d %v", status, body)
			}
			status, body, _ = e.call(t, "GET", "/api/v1/audit", "", e.token)
			points, _ = body["points"].([]any)
			pickup, _ = points[6].(map[string]any)
			last, _ := pickup["last_check"].(map[string]any)
			if status != 200 || pickup["due"] != false || last == nil || last["who"] != "Agency" {
				t.Errorf("pickup after the check: %v", pickup)
			}
		})
	}
}
