package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestOrderMessages: the order's messages appear with the contract's
// fields; without an SMTP server configured the e-mail is suppressed with
// the reason, never counted as sent.
func TestOrderMessages(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			if code, body, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); code != http.StatusCreated {
				t.Fatalf("create: %d %v", code, body)
			}
			if _, err := e.app.Dispatcher.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			code, body, _ := e.call(t, "GET", "/api/v1/orders/1001/messages", "", e.token)
			if code != http.StatusOK {
				t.Fatalf("messages: %d %v", code, body)
			}
			list, _ := body["messages"].([]any)
			if len(list) != 1 {
				t.Fatalf("messages = %v, want the acknowledgement", body)
			}
			m := list[0].(map[string]any)
			for _, key := range []string{"channel", "template", "status", "scheduled_at", "sent_at", "reason"} {
				if _, ok := m[key]; !ok {
					t.Errorf("message lacks %q: %v", key, m)
				}
			}
			if m["template"] != "order_ack" || m["status"] != "scheduled" {
				t.Errorf("message = %v, want order_ack scheduled", m)
			}
			if code, _, _ := e.call(t, "GET", "/api/v1/orders/404/messages", "", e.token); code != http.StatusNotFound {
				t.Errorf("unknown order: %d, want 404", code)
			}
			if code, _, _ := e.call(t, "GET", "/api/v1/orders/1001/messages", "", ""); code != http.StatusUnauthorized {
				t.Errorf("without a token: %d, want 401", code)
			}
		})
	}
}
