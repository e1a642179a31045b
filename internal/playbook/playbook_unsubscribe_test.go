package playbook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// TestUnsubscribeStopsMarketingOnly (issue 17.9): the one-click POST of a
// marketing message's List-Unsubscribe link stops marketing, and every
// order message (confirmation, status news) still reaches the customer
// through the real sender and SMTP server; "stop all messages", the
// page's separate choice, silences order news too.
func TestUnsubscribeStopsMarketingOnly(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false, "playbook:", "  frequency_cap: 0s")
			pages := web.New(a)
			c := customer.Input{ExternalID: "c-u", Email: "u@example.com", Name: "Ульяна", Language: "ru"}
			first := place(t, a, "U-1", c)
			drain(t, a)
			if err := send(t, a, byRule(t, a, first, "order_ack").ID); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Orders.ChangeStatus(ctx, first, order.StatusUpdate{Status: order.Delivered}); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			followup := byRule(t, a, first, "delivered_followup")
			clk.Set(followup.ScheduledAt)
			if err := send(t, a, followup.ID); err != nil {
				t.Fatal(err)
			}
			mails := srv.Mails()
			last := mails[len(mails)-1]
			link := last.Header("List-Unsubscribe")
			if last.Header("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.Contains(link, "/u/") {
				t.Fatalf("follow-up headers: List-Unsubscribe %q, List-Unsubscribe-Post %q", link, last.Header("List-Unsubscribe-Post"))
			}
			path := "/u/" + followup.UnsubscribeToken
			post := func(form url.Values) string {
				t.Helper()
				req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				rec := httptest.NewRecorder()
				pages.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("POST %s %v = %d", path, form, rec.Code)
				}
				return rec.Body.String()
			}
			// The page offers both choices before anything is done.
			rec := httptest.NewRecorder()
			pages.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, `name="scope" value="all"`) ||
				!strings.Contains(body, "Отказаться от всех сообщений") {
				t.Fatalf("GET %s = %d:\n%s", path, rec.Code, body)
			}
			if body := post(url.Values{"List-Unsubscribe": {"One-Click"}}); !strings.Contains(body, "Новости о заказах будут приходить") {
				t.Errorf("one-click answer:\n%s", body)
			}

			// Order news keeps coming; marketing does not.
			before := srv.Count()
			second := place(t, a, "U-2", c)
			drain(t, a)
			sendRule := func(rule string) {
				t.Helper()
				m := byRule(t, a, second, rule)
				clk.Set(later(clk.Now(), m.ScheduledAt))
				if err := send(t, a, m.ID); err != nil {
					t.Fatal(err)
				}
				if m = byRule(t, a, second, rule); m.Status != message.Sent {
					t.Errorf("%s after unsubscribing from marketing: %s (%s), want sent", rule, m.Status, m.Reason)
				}
			}
			sendRule("order_ack")
			for _, st := range []order.Status{order.Shipped, order.Delivered} {
				if _, err := a.Orders.ChangeStatus(ctx, second, order.StatusUpdate{Status: st}); err != nil {
					t.Fatal(err)
				}
				drain(t, a)
				sendRule("status_" + string(st))
			}
			f2 := byRule(t, a, second, "delivered_followup")
			clk.Set(f2.ScheduledAt)
			if err := send(t, a, f2.ID); err != nil {
				t.Fatal(err)
			}
			if f2 = byRule(t, a, second, "delivered_followup"); f2.Status != message.Suppressed || !strings.Contains(f2.Reason, "marketing") {
				t.Errorf("follow-up after unsubscribing: %s (%s), want suppressed", f2.Status, f2.Reason)
			}
			if got := srv.Count() - before; got != 3 {
				t.Errorf("mails after unsubscribing from marketing = %d, want the 3 order messages", got)
			}

			// Stop all: order news stops as well.
			if body := post(url.Values{"scope": {"all"}}); !strings.Contains(body, "в том числе о заказах") {
				t.Errorf("stop-all answer:\n%s", body)
			}
			third := place(t, a, "U-3", c)
			drain(t, a)
			ack := byRule(t, a, third, "order_ack")
			clk.Set(later(clk.Now(), ack.ScheduledAt))
			if err := send(t, a, ack.ID); err != nil {
				t.Fatal(err)
			}
			if ack = byRule(t, a, third, "order_ack"); ack.Status != message.Suppressed || !strings.Contains(ack.Reason, "opted out of email") {
				t.Errorf("order_ack after stop-all: %s (%s), want suppressed", ack.Status, ack.Reason)
			}
			if got := srv.Count() - before; got != 3 {
				t.Errorf("a customer who stopped all messages got mail")
			}
		})
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// TestMarketingOverHTTPPublicURL (issue 17.10): with an http public
// address marketing mail is sent, not failed: the plain unsubscribe link in
// its text and List-Unsubscribe, without the one-click header.
func TestMarketingOverHTTPPublicURL(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := smtptest.Start(t)
			a, clk := apptest.New(t, engine, false, "shop:", "  public_url: http://care.example.com", "channels:", "  email:",
				"    smtp_url: "+srv.URL(), "    from: shop@example.com")
			id := place(t, a, "H-1", customer.Input{ExternalID: "c-h", Email: "h@example.com", Name: "Harry", Language: "en"})
			drain(t, a)
			if err := send(t, a, byRule(t, a, id, "order_ack").ID); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered}); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			m := byRule(t, a, id, "delivered_followup")
			clk.Set(m.ScheduledAt)
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			if m = byRule(t, a, id, "delivered_followup"); m.Status != message.Sent {
				t.Fatalf("follow-up over http: %s (%s), want sent", m.Status, m.Reason)
			}
			mails := srv.Mails()
			last := mails[len(mails)-1]
			link := "http://care.example.com/u/" + m.UnsubscribeToken
			if h := last.Header("List-Unsubscribe"); h != "<"+link+">" {
				t.Errorf("List-Unsubscribe = %q, want <%s>", h, link)
			}
			if h := last.Header("List-Unsubscribe-Post"); h != "" {
				t.Errorf("List-Unsubscribe-Post = %q over http", h)
			}
			if !strings.Contains(last.Text(), link) {
				t.Errorf("the text has no unsubscribe link:\n%s", last.Text())
			}
			if !slices.ContainsFunc(a.Notices.List(), func(n notice.Notice) bool { return n.Key == message.NoticePublicURLHTTP }) {
				t.Errorf("no notice of the http public address: %+v", a.Notices.List())
			}
		})
	}
}

// TestInterruptedHandoffResendsAtOnce (issue 17.11): a send job whose
// process died while handing the message to the SMTP server left its
// hand-off recorded; the job, rescued, runs again at once (not after the
// backoff), records the interrupted attempt and sends the message with the
// same Message-ID, so the receiver can drop the copy.
func TestInterruptedHandoffResendsAtOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false)
			id := place(t, a, "I-1", customer.Input{ExternalID: "c-i", Email: "i@example.com", Name: "Ира"})
			drain(t, a)
			m := byRule(t, a, id, "order_ack")
			clk.Set(later(clk.Now(), m.ScheduledAt))
			job := &river.Job[message.SendArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: message.MaxAttempts},
				Args: message.SendArgs{MessageID: m.ID}}
			if at := a.Messages.NextRetry(job); !at.After(clk.Now()) {
				t.Errorf("a plain failure retries at %s, want a backoff after %s", at, clk.Now())
			}
			// The state a SIGKILL during the SMTP session leaves behind:
			// the hand-off committed, no outcome.
			if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE messages SET handoff_at = $2, handoff_channel = 'email' WHERE id = $1`, m.ID, clk.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if at := a.Messages.NextRetry(job); !at.Equal(clk.Now()) {
				t.Errorf("a rescued job retries at %s, want at once (%s)", at, clk.Now())
			}
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			m = byRule(t, a, id, "order_ack")
			if m.Status != message.Sent || m.HandoffAt != nil {
				t.Fatalf("after the rescue: %s, hand-off %v; want sent, cleared", m.Status, m.HandoffAt)
			}
			attempts, err := message.Attempts(ctx, a.DB.Read(), m.ID)
			if err != nil || len(attempts) != 2 || attempts[0].Outcome != message.OutcomeInterrupted || attempts[1].Outcome != message.OutcomeSent {
				t.Fatalf("attempts = %+v, %v; want interrupted, then sent", attempts, err)
			}
			mails := srv.Mails()
			if len(mails) != 1 || mails[0].Header("Message-ID") != fmt.Sprintf("<m%d@shopcare>", m.ID) {
				t.Errorf("mails = %d, Message-ID %q; want the message's stable id", len(mails), mails[0].Header("Message-ID"))
			}
		})
	}
}
