package playbook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// telegramServer is a Bot API server that takes sendMessage and records
// the chat ids and texts.
type telegramServer struct {
	*httptest.Server
	mu   sync.Mutex
	sent []string
}

const botToken = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"

func startTelegram(t *testing.T) *telegramServer {
	t.Helper()
	ts := &telegramServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/bot"+botToken+"/sendMessage" {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ts.mu.Lock()
		ts.sent = append(ts.sent, r.FormValue("chat_id")+": "+r.FormValue("text"))
		ts.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"result":{"message_id":1,"date":1764000000,"chat":{"id":%s,"type":"private"},"text":"ok"}}`, r.FormValue("chat_id"))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *telegramServer) messages() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.sent...)
}

// TestBouncedEmailFallsBackToTelegram: a permanent refusal of the address
// is recorded on the customer and the next channel in their order carries
// the message; the next message skips e-mail at once.
func TestBouncedEmailFallsBackToTelegram(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			tg := startTelegram(t)
			a, _, srv := shop(t, engine, false, "  telegram:", "    bot_token: "+botToken, "    api_url: "+tg.URL)
			srv.Refuse("gone@example.com", 550, "No such mailbox")
			id := place(t, a, "B-1", customer.Input{ExternalID: "c-b", Email: "gone@example.com", Name: "Олег",
				TelegramChatID: "4242", Language: "ru"})
			drain(t, a)
			if err := send(t, a, byRule(t, a, id, "order_ack").ID); err != nil {
				t.Fatal(err)
			}
			m := byRule(t, a, id, "order_ack")
			if m.Status != message.Sent || m.Channel != "telegram" {
				t.Fatalf("message = %s on %q (%s), want sent on telegram", m.Status, m.Channel, m.Reason)
			}
			got := tg.messages()
			if len(got) != 1 || !strings.HasPrefix(got[0], "4242: Здравствуйте, Олег!") {
				t.Fatalf("telegram got %q", got)
			}
			attempts, err := message.Attempts(context.Background(), a.DB.Read(), m.ID)
			if err != nil || len(attempts) != 2 || attempts[0].Outcome != message.OutcomePermanent || attempts[1].Outcome != message.OutcomeSent {
				t.Fatalf("attempts = %+v, %v; want email permanent, then telegram sent", attempts, err)
			}
			c, err := message.LoadContact(context.Background(), a.DB.Read(), m.CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			if _, why := c.Address("email"); !strings.Contains(why, "failed for good") {
				t.Errorf("e-mail standing after the bounce: %q", why)
			}
		})
	}
}

// TestThrottledIsRetriedNotCounted: a 421 from the SMTP server snoozes the
// message (not an attempt, not sent) and holds the channel back; after the
// wait it goes.
func TestThrottledIsRetriedNotCounted(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk, srv := shop(t, engine, false)
			srv.Throttle(1)
			id := place(t, a, "T-1", customer.Input{ExternalID: "c-t", Email: "t@example.com", Name: "Таня"})
			drain(t, a)
			m := byRule(t, a, id, "order_ack")
			var snooze *rivertype.JobSnoozeError
			if err := send(t, a, m.ID); !errors.As(err, &snooze) {
				t.Fatalf("throttled send = %v, want a snooze", err)
			}
			m = byRule(t, a, id, "order_ack")
			if m.Status != message.Scheduled || m.Attempts != 0 || srv.Count() != 0 {
				t.Fatalf("after 421: %s, %d attempts, %d mails; want scheduled, 0, 0", m.Status, m.Attempts, srv.Count())
			}
			// Another message in the meantime waits for the same pause.
			other := place(t, a, "T-2", customer.Input{ExternalID: "c-u", Email: "u@example.com"})
			drain(t, a)
			if err := send(t, a, byRule(t, a, other, "order_ack").ID); !errors.As(err, &snooze) {
				t.Fatalf("send during the pause = %v, want a snooze", err)
			}
			clk.Advance(snooze.Duration)
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			if m = byRule(t, a, id, "order_ack"); m.Status != message.Sent || srv.Count() != 1 {
				t.Fatalf("after the pause: %s, %d mails", m.Status, srv.Count())
			}
		})
	}
}

// TestFrequencyCapAndUnsubscribe: marketing-type messages (the follow-up
// after delivery) are capped per customer, carry a one-click unsubscribe,
// and an opt-out is honoured.
func TestFrequencyCapAndUnsubscribe(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false, "playbook:", "  frequency_cap: 16h", "  rules:",
				"    status_delivered: {enabled: false}", "    order_ack: {enabled: false}",
				"    review_request: {enabled: false}") // the review request is capped alike
			c := customer.Input{ExternalID: "c-f", Email: "f@example.com", Name: "Фёдор"}
			first := place(t, a, "F-1", c)
			second := place(t, a, "F-2", c)
			for _, id := range []int64{first, second} {
				if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered}); err != nil {
					t.Fatal(err)
				}
			}
			drain(t, a)
			f1, f2 := byRule(t, a, first, "delivered_followup"), byRule(t, a, second, "delivered_followup")
			if want := clk.Now().Add(72 * time.Hour); !f1.ScheduledAt.Equal(want) {
				t.Errorf("follow-up at %s, want %s", f1.ScheduledAt, want)
			}
			// 16 hours after the first is 07:00 in Moscow: the customer's
			// 09:00 then.
			if want := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC); !f2.ScheduledAt.Equal(want) || !strings.Contains(f2.Reason, "frequency cap") {
				t.Errorf("second follow-up at %s (%q), want %s with the reason", f2.ScheduledAt, f2.Reason, want)
			}
			clk.Set(f1.ScheduledAt)
			if err := send(t, a, f1.ID); err != nil {
				t.Fatal(err)
			}
			mails := srv.Mails()
			if len(mails) != 1 {
				t.Fatalf("mails = %d", len(mails))
			}
			unsubscribe := "https://care.example.com/u/" + f1.UnsubscribeToken
			if h := mails[0].Header("List-Unsubscribe"); !strings.Contains(h, unsubscribe) {
				t.Errorf("List-Unsubscribe = %q, want %s", h, unsubscribe)
			}
			if !strings.Contains(mails[0].Text(), "Фёдор") {
				t.Errorf("follow-up text:\n%s", mails[0].Text())
			}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := message.Unsubscribe(ctx, tx, f1.UnsubscribeToken, clk.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			clk.Set(f2.ScheduledAt)
			if err := send(t, a, f2.ID); err != nil {
				t.Fatal(err)
			}
			if f2 = byRule(t, a, second, "delivered_followup"); f2.Status != message.Suppressed || !strings.Contains(f2.Reason, "unsubscribed from marketing") {
				t.Errorf("after the opt-out: %s (%s)", f2.Status, f2.Reason)
			}
			if srv.Count() != 1 {
				t.Errorf("an opted-out customer got mail")
			}
		})
	}
}
