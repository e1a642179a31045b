package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestTokenActionsAreLogged: what a token does that an admin would do
// (grant points, change, export or erase a customer) leaves one line in
// the token's name; an order's intake and its statuses are the shop's
// traffic and leave none; a refused request leaves none. The log reads
// back through GET /api/v1/admin-actions, for a token without scopes
// only.
func TestTokenActionsAreLogged(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			count := func() int {
				t.Helper()
				n := 0
				if err := e.app.Actions.Each(context.Background(), actionlog.Filter{}, func(actionlog.Line) error { n++; return nil }); err != nil {
					t.Fatal(err)
				}
				return n
			}
			steps := []struct {
				name, method, path, body string
				status                   int
				action                   actionlog.Action
			}{
				{"order", "POST", "/api/v1/orders", order1, http.StatusCreated, ""},
				{"status", "POST", "/api/v1/orders/1001/status", `{"status": "processing"}`, http.StatusOK, ""},
				{"grant", "POST", "/api/v1/loyalty/grants", `{"customer_id": "c-7", "points": 50, "reason": "за ожидание"}`, http.StatusCreated, actionlog.PointsGranted},
				{"grant without a reason", "POST", "/api/v1/loyalty/grants", `{"customer_id": "c-7", "points": 50}`, http.StatusUnprocessableEntity, ""},
				{"patch", "PATCH", "/api/v1/customers/c-7", `{"name": "Андрей Петров"}`, http.StatusOK, actionlog.CustomerChanged},
				{"patch with a bad e-mail", "PATCH", "/api/v1/customers/c-7", `{"email": "nope"}`, http.StatusUnprocessableEntity, ""},
				{"export", "GET", "/api/v1/customers/c-7/export", "", http.StatusOK, actionlog.CustomerExported},
				{"export of nobody", "GET", "/api/v1/customers/nobody/export", "", http.StatusNotFound, ""},
				{"erase while open", "DELETE", "/api/v1/customers/c-7", "", http.StatusConflict, ""},
				{"erase", "DELETE", "/api/v1/customers/c-7?force=true", "", http.StatusOK, actionlog.CustomerErased},
			}
			for _, s := range steps {
				before := count()
				status, out, _ := e.call(t, s.method, s.path, s.body, e.token)
				if status != s.status {
					t.Fatalf("%s: %d, want %d: %v", s.name, status, s.status, out)
				}
				want := 0
				if s.action != "" {
					want = 1
				}
				if got := count() - before; got != want {
					t.Fatalf("%s: %d new lines, want %d", s.name, got, want)
				}
			}

			read, err := auth.TokenAdd(context.Background(), e.app.DB, "reader", []auth.Scope{auth.ScopeRead}, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/admin-actions", "", read); status != http.StatusForbidden {
				t.Errorf("a read token reads the log: %d", status)
			}
			status, out, _ := e.call(t, "GET", "/api/v1/admin-actions?limit=2", "", e.token)
			list, _ := out["actions"].([]any)
			if status != http.StatusOK || len(list) != 2 || out["next_cursor"] == nil {
				t.Fatalf("first page: %d %v", status, out)
			}
			first, _ := list[0].(map[string]any)
			if first["action"] != "customer.erased" || first["actor_kind"] != "token" || first["actor"] != "test" || first["target_kind"] != "customer" {
				t.Errorf("newest line: %v", first)
			}
			status, out, _ = e.call(t, "GET", "/api/v1/admin-actions?cursor="+out["next_cursor"].(string), "", e.token)
			if list, _ := out["actions"].([]any); status != http.StatusOK || len(list) != 2 || out["next_cursor"] != nil {
				t.Errorf("second page: %d %v", status, out)
			}
			status, out, _ = e.call(t, "GET", "/api/v1/admin-actions?action=points.granted", "", e.token)
			if list, _ := out["actions"].([]any); status != http.StatusOK || len(list) != 1 {
				t.Errorf("grants: %d %v", status, out)
			}
			for _, q := range []string{"action=nope", "from=2026-13-01", "cursor=abc", "limit=0"} {
				if status, out, _ := e.call(t, "GET", "/api/v1/admin-actions?"+q, "", e.token); status != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d %v", q, status, out)
				}
			}
		})
	}
}
