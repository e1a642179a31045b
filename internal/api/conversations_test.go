package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestConversationsAPI walks the support inbox's API as a helpdesk script
// would: list, read, answer; and the answers that refuse, which leave no
// rows behind.
func TestConversationsAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := smtptest.Start(t)
			e := newEnv(t, string(engine), "channels:", "  email:", "    smtp_url: "+srv.URL(), `    from: "Shop <shop@example.com>"`)
			if status, body, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != 201 {
				t.Fatalf("order: %d %v", status, body)
			}
			in := inbox.Inbound{Channel: inbox.ChannelEmail, From: "andrei@example.com", Subject: "Доставка", Text: "Когда привезут?",
				MessageID: "q1@mail.example"}
			if err := e.app.Inbox.Receive(ctx, in); err != nil {
				t.Fatal(err)
			}
			if err := e.app.Inbox.Receive(ctx, inbox.Inbound{Channel: inbox.ChannelEmail, From: "who@example.net", Text: "Hello there, a question",
				MessageID: "q2@mail.example"}); err != nil {
				t.Fatal(err)
			}

			status, body, _ := e.call(t, "GET", "/api/v1/conversations?status=open&customer_id=c-7", "", e.token)
			list, _ := body["conversations"].([]any)
			if status != 200 || len(list) != 1 {
				t.Fatalf("list: %d %v", status, body)
			}
			c := list[0].(map[string]any)
			for _, key := range []string{"id", "customer_id", "order_id", "channel", "subject", "language", "status", "first_response_due", "overdue"} {
				if _, ok := c[key]; !ok {
					t.Errorf("conversation has no %q: %v", key, c)
				}
			}
			if c["channel"] != "email" || c["language"] != "ru" || c["overdue"] != false || c["customer_id"] == nil {
				t.Fatalf("conversation: %v", c)
			}
			id := int64(c["id"].(float64))
			status, body, _ = e.call(t, "GET", "/api/v1/conversations?limit=1", "", e.token)
			if list, _ := body["conversations"].([]any); status != 200 || len(list) != 1 || body["next_cursor"] == "" {
				t.Fatalf("first page: %d %v", status, body)
			}
			status, body, _ = e.call(t, "GET", "/api/v1/conversations?limit=1&cursor="+body["next_cursor"].(string), "", e.token)
			if list, _ := body["conversations"].([]any); status != 200 || len(list) != 1 || body["next_cursor"] != "" {
				t.Fatalf("second page: %d %v", status, body)
			}

			// An answer as the token's name.
			tok, err := auth.TokenAdd(ctx, e.app.DB, "Helpdesk Bot", []auth.Scope{auth.ScopeShop}, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			path := fmt.Sprintf("/api/v1/conversations/%d/messages", id)
			status, body, _ = e.call(t, "POST", path, `{"text": "Завтра до 14:00."}`, tok)
			if status != 202 {
				t.Fatalf("reply: %d %v", status, body)
			}
			m := body["message"].(map[string]any)
			if m["author"] != "Helpdesk Bot" || m["sent_state"] != "pending" || !strings.Contains(m["text"].(string), "Helpdesk Bot") {
				t.Fatalf("reply: %v", m)
			}
			if err := e.app.Inbox.Deliver(ctx, int64(m["id"].(float64))); err != nil {
				t.Fatal(err)
			}
			if mail := srv.Wait(t, 1, 10*time.Second); mail[0].Header("In-Reply-To") != "<q1@mail.example>" {
				t.Fatalf("the answer is not threaded: %s", mail[0].Data)
			}

			status, body, _ = e.call(t, "GET", path, "", e.token)
			msgs, _ := body["messages"].([]any)
			if status != 200 || len(msgs) != 2 || msgs[1].(map[string]any)["sent_state"] != "sent" {
				t.Fatalf("messages: %d %v", status, body)
			}
			if conv := body["conversation"].(map[string]any); conv["status"] != "pending" {
				t.Fatalf("after the answer: %v", conv)
			}

			var rows int
			countRows := func() int {
				t.Helper()
				if err := e.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM conversation_messages`).Scan(&rows); err != nil {
					t.Fatal(err)
				}
				return rows
			}
			before := countRows()
			for _, tc := range []struct {
				method, path, body string
				status             int
				field              string
			}{
				{"GET", "/api/v1/conversations?status=lost", "", 422, "status"},
				{"GET", "/api/v1/conversations?customer_id=nobody", "", 422, "customer_id"},
				{"GET", "/api/v1/conversations?overdue=maybe", "", 422, "overdue"},
				{"GET", "/api/v1/conversations?limit=0", "", 422, "limit"},
				{"GET", "/api/v1/conversations/999/messages", "", 404, ""},
				{"GET", "/api/v1/conversations/abc/messages", "", 404, ""},
				{"POST", path, `{"text": "   "}`, 422, "text"},
				{"POST", path, `{"text": 5}`, 422, "text"},
				{"POST", path, `not json`, 422, ""},
				{"POST", "/api/v1/conversations/999/messages", `{"text": "hi"}`, 404, ""},
			} {
				status, body, _ := e.call(t, tc.method, tc.path, tc.body, e.token)
				errBody, _ := body["error"].(map[string]any)
				if status != tc.status || (tc.field != "" && errBody["field"] != tc.field) {
					t.Errorf("%s %s %s: %d %v, want %d naming %q", tc.method, tc.path, tc.body, status, body, tc.status, tc.field)
				}
			}
			if after := countRows(); after != before {
				t.Fatalf("refused requests left %d rows", after-before)
			}
		})
	}
}
