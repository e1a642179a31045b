package telegramin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestIntoConversation: through the App's own inbox, a chat linked by its
// /start link writes, and the message lands in a Telegram conversation
// with the order's customer; the same update fetched again (a crash
// before the offset moved) is one message.
func TestIntoConversation(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine, "")
			ctx := context.Background()
			s.api.queue(strings.Replace(fixture(t, "update_start.json"), "{{TOKEN}}", s.token, 1))
			next, err := s.bot.PollOnce(ctx, s.app.Inbox, 0)
			if err != nil {
				t.Fatal(err)
			}
			s.api.mu.Lock()
			s.api.updates = []string{strings.Replace(fixture(t, "update_text.json"), `"update_id":1001`, `"update_id":1010`, 1)}
			s.api.mu.Unlock()
			for range 2 { // asked from the old offset twice: the update comes twice
				if _, err := s.bot.PollOnce(ctx, s.app.Inbox, next); err != nil {
					t.Fatal(err)
				}
			}
			convs, _, err := s.app.Inbox.List(ctx, inbox.Filter{CustomerID: s.customer})
			if err != nil {
				t.Fatal(err)
			}
			if len(convs) != 1 || convs[0].Channel != inbox.ChannelTelegram {
				t.Fatalf("conversations %+v, want one on Telegram", convs)
			}
			msgs, err := s.app.Inbox.Messages(ctx, convs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			in := 0
			for _, m := range msgs {
				if m.Direction == inbox.In {
					in++
					if m.Text != "Здравствуйте! Где мой заказ R-1?" || m.MessageID != "555000111:17" {
						t.Errorf("message %+v", m)
					}
				}
			}
			if in != 1 {
				t.Errorf("%d incoming messages, want 1", in)
			}
		})
	}
}
