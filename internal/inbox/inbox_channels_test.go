package inbox_test

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// botAPI is a local Telegram Bot API: POST /bot<token>/sendMessage with
// multipart form fields, answered with the Message it delivered, as
// api.telegram.org does (core.telegram.org/bots/api#sendmessage).
type botAPI struct {
	mu   sync.Mutex
	sent []map[string]string
}

const botToken = "123456:TEST-token"

func (b *botAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+botToken+"/")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !ok || r.Method != http.MethodPost || mt != "multipart/form-data" || r.ParseMultipartForm(1<<20) != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"ok":false,"error_code":400,"description":"Bad Request"}`))
		return
	}
	fields := map[string]string{"method": method}
	for k, vs := range r.MultipartForm.Value {
		fields[k] = vs[0]
	}
	b.mu.Lock()
	b.sent = append(b.sent, fields)
	b.mu.Unlock()
	chatID, _ := strconv.ParseInt(fields["chat_id"], 10, 64)
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{
		"message_id": 77, "date": 1793714700, "text": fields["text"],
		"chat": map[string]any{"id": chatID, "type": "private", "first_name": "Ivo"}}})
}

func (b *botAPI) calls() []map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]map[string]string(nil), b.sent...)
}

// TestTelegramAnswersAndWebhooks: a Telegram message is answered in its
// chat (the acknowledgement at night, then the operator's reply, signed),
// and the inbox's events reach the shop's webhooks.
func TestTelegramAnswersAndWebhooks(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		api := &botAPI{}
		srv := httptest.NewServer(api)
		t.Cleanup(srv.Close)
		hook := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(hook.Close)
		a, clk, _ := shop(t, engine, "  telegram:", "    bot_token: "+botToken, "    api_url: "+srv.URL,
			"webhooks:", "  - url: "+hook.URL, "    secret: 0123456789abcdef0123", "    events: [conversation.*, message.received]")
		clk.Set(time.Date(2026, 11, 28, 12, 0, 0, 0, moscow)) // Saturday: the shop is closed
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelTelegram, From: "555001", FromName: "Ivo", Language: "lv",
			Text: "Sveiki, vai varu mainīt adresi?", MessageID: "555001:10"})
		c := convOf(t, a, "555001:10")
		ms := messagesOf(t, a, c.ID)
		if len(ms) != 2 || ms[1].Auto != inbox.AutoAck {
			t.Fatalf("no acknowledgement on Saturday: %+v", ms)
		}
		if err := a.Inbox.Deliver(ctx, ms[1].ID); err != nil {
			t.Fatal(err)
		}
		m, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Līga"}, "Jā, protams.")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Inbox.Deliver(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		calls := api.calls()
		if len(calls) != 2 || calls[0]["chat_id"] != "555001" || calls[1]["chat_id"] != "555001" {
			t.Fatalf("bot calls: %v", calls)
		}
		// Monday 30 Nov 11:00 in the shop's zone, standing in for a
		// sender it does not know.
		if !strings.Contains(calls[0]["text"], "atbildēsim līdz pirmdiena, 30. novembris, 11:00") {
			t.Fatalf("acknowledgement: %q", calls[0]["text"])
		}
		if calls[1]["text"] != "Jā, protams.\n\n— Līga" {
			t.Fatalf("reply: %q", calls[1]["text"])
		}

		if _, err := a.Dispatcher.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM webhook_deliveries WHERE event_kind IN ('conversation.opened', 'message.received')`); n != 2 {
			t.Fatalf("%d webhook deliveries of the inbox's events, want 2", n)
		}
	})
}

// TestQueueSendsTheReply: with the job queue working, an operator's reply
// reaches the mail server through the inbox_send job, threaded.
func TestQueueSendsTheReply(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, _, srv := shopWorking(t, engine, true)
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		finished, stop := a.Queue.Subscribe()
		defer stop()
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "guest@example.com", Subject: "Hello",
			Text: "Do you ship to Tallinn?", MessageID: "t1@mail.example"})
		c := convOf(t, a, "t1@mail.example")
		m, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Kate"}, "Yes, in 3 days.")
		if err != nil {
			t.Fatal(err)
		}
		for {
			ms := messagesOf(t, a, c.ID)
			if last := ms[len(ms)-1]; last.ID == m.ID && last.SentState == inbox.SendSent {
				break
			}
			apptest.WaitJob(t, finished, inbox.SendArgs{}.Kind())
		}
		mail := srv.Wait(t, 1, 10*time.Second)[0]
		if mail.Header("In-Reply-To") != "<t1@mail.example>" || mail.Subject() != "Re: Hello" {
			t.Fatalf("sent: %s", mail.Data)
		}
	})
}

// TestPlaybookRuleOnConversation: a shop's own playbook rule may react to
// the inbox's events (a message to the customer when they open a
// conversation).
func TestPlaybookRuleOnConversation(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, _, _ := shop(t, engine, "playbook:", "  rules:", "    inbox_hello:", "      event: conversation.opened",
			"      template: win_back", "      transactional: true")
		_, anna := place(t, a, "A-1", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "Вопрос", Text: "Здравствуйте",
			MessageID: "pb1@mail.example"})
		if _, err := a.Dispatcher.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM messages WHERE rule = 'inbox_hello' AND customer_id = $1`, anna); n != 1 {
			t.Fatalf("%d messages of the rule on conversation.opened, want 1", n)
		}
	})
}
