package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestInsiderAPI lists the club's projects and a project's members with
// their consent, pages through them, and refuses bad parameters naming
// the field.
func TestInsiderAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			if status, _, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != http.StatusCreated {
				t.Fatalf("create order: %d", status)
			}
			var customerID int64
			if err := e.app.DB.Read().QueryRow(ctx, `SELECT id FROM customers WHERE external_id = 'c-7'`).Scan(&customerID); err != nil {
				t.Fatal(err)
			}
			id, err := e.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.PreOrder, Goal: 50,
				Title: map[string]string{"ru": "Новый улун", "en": "A new oolong"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Insiders.Join(ctx, insider.JoinInput{ProjectID: id, CustomerID: customerID,
				Source: insider.FromMyPage, Lang: "ru"}); err != nil {
				t.Fatal(err)
			}
			status, body, _ := e.call(t, "GET", "/api/v1/insiders/projects", "", e.token)
			raw, _ := json.Marshal(body)
			var projects struct {
				Projects []struct {
					ID      int64             `json:"id"`
					Kind    string            `json:"kind"`
					Title   map[string]string `json:"title"`
					Goal    int64             `json:"goal"`
					Members int64             `json:"members"`
					State   string            `json:"state"`
				} `json:"projects"`
			}
			if err := json.Unmarshal(raw, &projects); err != nil || status != 200 || len(projects.Projects) != 1 {
				t.Fatalf("projects: %d %s", status, raw)
			}
			if p := projects.Projects[0]; p.ID != id || p.Kind != "pre_order" || p.Title["ru"] != "Новый улун" || p.Goal != 50 ||
				p.Members != 1 || p.State != "open" {
				t.Errorf("project %+v", p)
			}
			status, body, _ = e.call(t, "GET", fmt.Sprintf("/api/v1/customers/%d", customerID), "", e.token)
			mine, _ := body["insider_projects"].([]any)
			if status != 200 || len(mine) != 1 || mine[0].(map[string]any)["title"] != "Новый улун" {
				t.Errorf("the customer's insider_projects: %d %v", status, body["insider_projects"])
			}
			path := fmt.Sprintf("/api/v1/insiders/projects/%d/members", id)
			status, body, _ = e.call(t, "GET", path+"?limit=1", "", e.token)
			members, _ := body["members"].([]any)
			if status != 200 || len(members) != 1 || body["next_cursor"] != "" {
				t.Fatalf("members: %d %v", status, body)
			}
			m, _ := members[0].(map[string]any)
			if m["email"] != "andrei@example.com" || m["source"] != "my_page" || m["consent_version"] != float64(1) ||
				m["consent_language"] != "ru" || m["joined_at"] == nil {
				t.Errorf("member %v", m)
			}
			for _, tc := range []struct {
				path, field string
				status      int
			}{
				{path + "?limit=0", "limit", 422},
				{path + "?cursor=zz", "cursor", 422},
				{path + "?left=maybe", "left", 422},
				{"/api/v1/insiders/projects/999999/members", "", 404},
				{"/api/v1/insiders/projects/x/members", "", 404},
			} {
				status, body, _ := e.call(t, "GET", tc.path, "", e.token)
				errBody, _ := body["error"].(map[string]any)
				if status != tc.status || (tc.field != "" && errBody["field"] != tc.field) {
					t.Errorf("GET %s: %d %v, want %d naming %q", tc.path, status, body, tc.status, tc.field)
				}
			}
		})
	}
}

// FuzzInsiderMembersQuery sends arbitrary query strings to the members
// list: never a 5xx, always the one error shape.
func FuzzInsiderMembersQuery(f *testing.F) {
	e := fuzzEnv(f)
	id, err := e.app.Insiders.ProjectSave(context.Background(), insider.ProjectInput{Kind: insider.BetaTest,
		Title: map[string]string{"en": "Beta"}})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "limit=1", "limit=201", "cursor=m5x1k2q0.9ix", "cursor=.", "left=true", "left=1&limit=-1",
		"cursor=" + url.QueryEscape("ж.ж"), "limit=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		status, answer := e.serve("GET", fmt.Sprintf("/api/v1/insiders/projects/%d/members?%s", id, url.PathEscape(query)), "")
		switch status {
		case http.StatusOK, http.StatusUnprocessableEntity, http.StatusBadRequest:
		default:
			t.Fatalf("query %q: %d %s", query, status, answer)
		}
		if !json.Valid(answer) {
			t.Fatalf("query %q: not JSON: %s", query, answer)
		}
	})
}
