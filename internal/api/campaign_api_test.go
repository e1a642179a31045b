package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

const campaign1 = `{"name": "Осенняя распродажа", "channel": "email", "audience": {"segment": "at_risk", "languages": ["ru"]},
  "content": {"ru": {"subject": "Скидка для вас", "markdown": "**Скидка** 10%"}},
  "schedule": "customer_morning", "window": "6h", "holdout": 10, "cost": "150.50"}`

// TestCampaignAPI: a draft is created, read, listed and patched; a bad
// body is a 422 naming the field and writes nothing; a started campaign
// no longer changes (409); audiences are counted and saved.
func TestCampaignAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			status, out, _ := e.call(t, "POST", "/api/v1/campaigns", campaign1, e.token)
			if status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, out)
			}
			id := int64(out["id"].(float64))
			if out["status"] != "draft" || out["schedule"] != "customer_morning" || out["window"] != "6h0m0s" ||
				out["cost"] != "150.50" || out["holdout"] != float64(10) || out["created_by"] != "test" {
				t.Errorf("created: %v", out)
			}
			path := fmt.Sprintf("/api/v1/campaigns/%d", id)
			if status, out, _ := e.call(t, "GET", path, "", e.token); status != 200 || out["name"] != "Осенняя распродажа" {
				t.Errorf("get: %d %v", status, out)
			}
			// PATCH changes what it sends and keeps the rest.
			status, out, _ = e.call(t, "PATCH", path, `{"name": "Зимняя", "schedule": "2026-12-01T09:00:00+03:00"}`, e.token)
			if status != 200 || out["name"] != "Зимняя" || out["schedule"] != "2026-12-01T09:00:00+03:00" || out["holdout"] != float64(10) {
				t.Errorf("patch: %d %v", status, out)
			}
			if status, out, _ := e.call(t, "GET", "/api/v1/campaigns?limit=1", "", e.token); status != 200 ||
				len(out["campaigns"].([]any)) != 1 || out["next_cursor"] != "" {
				t.Errorf("list: %d %v", status, out)
			}
			// Refused bodies name their field and write nothing.
			for _, c := range []struct{ body, field string }{
				{`{"name": "x", "channel": "email", "audience": {"segmnt": "at_risk"}, "content": {"ru": {"subject": "s", "text": "a"}}}`, "audience.segmnt"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subjct": "a"}}}`, "content.ru.subjct"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "shedule": "now"}`, "shedule"},
				{`{"name": "", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}}`, "name"},
				{`{"name": "x", "channel": "fax", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}}`, "channel"},
				{`{"name": "x", "channel": "email", "audience": {}, "content": {"ru": {"subject": "s", "text": "a"}}}`, "audience"},
				{`{"name": "x", "channel": "email", "audience": {"segment": "vip"}, "content": {"ru": {"subject": "s", "text": "a"}}}`, "audience.segment"},
				{`{"name": "x", "channel": "email", "audience": {"rfm": "9**"}, "content": {"ru": {"subject": "s", "text": "a"}}}`, "audience.rfm"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"de": {"text": "a"}}}`, "content.de"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}, "schedule": "tomorrow"}`, "schedule"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}, "window": "soon"}`, "window"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}, "cost": "a lot"}`, "cost"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}, "holdout": 90}`, "holdout"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}, "test": {"share": 20, "metric": "opens", "wait": "2h"}, "variant_b": {"ru": {"subject": "b", "text": "b"}}}`, "test.metric"},
				{`{"name": "x", "channel": "email", "audience": {"all": true}, "content": {"ru": {"subject": "s", "text": "a"}}, "test": {"share": 20, "metric": "clicks", "wait": "never"}}`, "test.wait"},
				{`{"name": 5}`, "name"},
			} {
				status, out, _ := e.call(t, "POST", "/api/v1/campaigns", c.body, e.token)
				errBody, _ := out["error"].(map[string]any)
				if status != http.StatusUnprocessableEntity || errBody["field"] != c.field {
					t.Errorf("%s: %d %v, want 422 naming %s", c.body, status, errBody, c.field)
				}
			}
			status, out, _ = e.call(t, "PATCH", path, `{"audience": {"tier": "tin"}}`, e.token)
			if errBody, _ := out["error"].(map[string]any); status != 422 || errBody["field"] != "audience.tier" {
				t.Errorf("patch a bad tier: %d %v", status, out)
			}
			var n int
			if err := e.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM campaigns`).Scan(&n); err != nil || n != 1 {
				t.Errorf("%d campaigns after the refusals (%v), want 1", n, err)
			}
			if status, out, _ := e.call(t, "GET", path, "", e.token); out["name"] != "Зимняя" {
				t.Errorf("the draft changed by a refused patch: %d %v", status, out)
			}
			// A campaign past its draft does not change.
			err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE campaigns SET status = 'cancelled' WHERE id = $1`, id)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			status, out, _ = e.call(t, "PATCH", path, `{"name": "Весенняя"}`, e.token)
			if errBody, _ := out["error"].(map[string]any); status != http.StatusConflict || errBody["code"] != "invalid_state" {
				t.Errorf("patch a cancelled campaign: %d %v", status, out)
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/campaigns/999999", "", e.token); status != 404 {
				t.Errorf("a missing campaign: %d", status)
			}

			// Audiences.
			status, out, _ = e.call(t, "POST", "/api/v1/audiences/count", `{"audience": {"all": true}, "channel": "email"}`, e.token)
			if status != 200 || out["customers"] != float64(0) || out["reachable"] != float64(0) {
				t.Errorf("count an empty shop: %d %v", status, out)
			}
			e.call(t, "POST", "/api/v1/orders", order1, e.token)
			status, out, _ = e.call(t, "POST", "/api/v1/audiences/count", `{"audience": {"all": true, "countries": ["RU"]}, "channel": "paper"}`, e.token)
			if status != 200 || out["customers"] != float64(1) || out["reachable"] != float64(1) {
				t.Errorf("count on paper: %d %v", status, out)
			}
			status, out, _ = e.call(t, "POST", "/api/v1/audiences/count", `{"audience": {"all": true}, "channel": "email"}`, e.token)
			if status != 200 || out["customers"] != float64(1) || out["reachable"] != float64(0) {
				t.Errorf("count without marketing consent: %d %v", status, out)
			}
			status, out, _ = e.call(t, "POST", "/api/v1/audiences/count", `{"audience": {"al": true}, "channel": "email"}`, e.token)
			if errBody, _ := out["error"].(map[string]any); status != 422 || errBody["field"] != "audience.al" {
				t.Errorf("count an unknown criterion: %d %v", status, out)
			}
			status, out, _ = e.call(t, "POST", "/api/v1/audiences", `{"name": "Латвия", "audience": {"countries": ["LV"]}}`, e.token)
			if status != http.StatusCreated || out["name"] != "Латвия" {
				t.Fatalf("save an audience: %d %v", status, out)
			}
			saved := int64(out["id"].(float64))
			if status, out, _ := e.call(t, "POST", "/api/v1/audiences", `{"name": "Латвия", "audience": {"all": true}}`, e.token); status != 422 {
				t.Errorf("a taken name: %d %v", status, out)
			}
			status, out, _ = e.call(t, "GET", "/api/v1/audiences", "", e.token)
			if list, _ := out["audiences"].([]any); status != 200 || len(list) != 1 {
				t.Errorf("list audiences: %d %v", status, out)
			}
			body := fmt.Sprintf(`{"audience": {"saved": %d}, "channel": "email"}`, saved)
			if status, out, _ := e.call(t, "POST", "/api/v1/audiences/count", body, e.token); status != 200 || out["customers"] != float64(0) {
				t.Errorf("count the saved audience: %d %v", status, out)
			}
			if status, _, _ := e.call(t, "DELETE", fmt.Sprintf("/api/v1/audiences/%d", saved), "", e.token); status != http.StatusNoContent {
				t.Errorf("delete: %d", status)
			}
			if status, _, _ := e.call(t, "DELETE", fmt.Sprintf("/api/v1/audiences/%d", saved), "", e.token); status != http.StatusNotFound {
				t.Errorf("delete again: %d", status)
			}
		})
	}
}
