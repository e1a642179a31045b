package playbook_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// customerOf is the id of the customer of order id.
func customerOf(t *testing.T, a *app.App, id int64) int64 {
	t.Helper()
	o, err := order.Get(context.Background(), a.DB.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.CustomerID
}

// channel is the customer's standing on channel ch.
func channel(t *testing.T, a *app.App, customerID int64, ch string) customer.ChannelConsent {
	t.Helper()
	cs, err := customer.Channels(context.Background(), a.DB.Read(), customerID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Channel == ch {
			return c
		}
	}
	return customer.ChannelConsent{Channel: ch}
}

// TestAdvertisingNeedsMarketingConsent: the marketing flows reach only a
// customer who gave an explicit marketing consent on the channel. A
// customer without one gets no welcome planned at all, and their order
// news goes; a customer whose consent is on another channel (Telegram)
// gets no welcome by e-mail; a customer who consented with the order
// (marketing_email, the order as the proof) gets it. Unsubscribing from
// marketing stops the welcome series and never the order news.
func TestAdvertisingNeedsMarketingConsent(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false, "playbook:", "  rules:", "    order_ack: {enabled: false}")
			none := place(t, a, "N-1", customer.Input{ExternalID: "c-n", Email: "n@example.com", Name: "Нина"})
			other := place(t, a, "T-1", customer.Input{ExternalID: "c-t", Email: "t@example.com", Name: "Тимур",
				Consent: []string{"marketing_telegram"}, ConsentSource: "checkout checkbox"})
			yes := place(t, a, "Y-1", customer.Input{ExternalID: "c-y", Email: "y@example.com", Name: "Яна",
				Consent: []string{"marketing_email"}})
			drain(t, a)

			if m := byRuleMaybe(t, a, none, "welcome_1"); m.ID != 0 {
				t.Errorf("a customer without marketing consent has a welcome planned: %+v", m)
			}
			if c := channel(t, a, customerOf(t, a, yes), "email"); !c.Marketing() || c.MarketingConsentSource != "order Y-1 (api)" {
				t.Errorf("marketing_email with the order: consent %v, source %q; want the order as the proof", c.Marketing(), c.MarketingConsentSource)
			}
			if c := channel(t, a, customerOf(t, a, other), "telegram"); c.MarketingConsentSource != "checkout checkbox" {
				t.Errorf("marketing_telegram: source %q, want the shop's", c.MarketingConsentSource)
			}
			if c := channel(t, a, customerOf(t, a, other), "email"); c.Marketing() {
				t.Error("marketing_telegram gave a marketing consent on e-mail")
			}

			// The welcome on e-mail: only with consent on e-mail.
			w := byRule(t, a, other, "welcome_1")
			clk.Set(w.ScheduledAt)
			if err := send(t, a, w.ID); err != nil {
				t.Fatal(err)
			}
			if w = byRule(t, a, other, "welcome_1"); w.Status != message.Suppressed || !strings.Contains(w.Reason, "no marketing consent on email") {
				t.Errorf("a welcome by e-mail to a customer who consented on Telegram only: %s (%s)", w.Status, w.Reason)
			}
			w = byRule(t, a, yes, "welcome_1")
			if err := send(t, a, w.ID); err != nil {
				t.Fatal(err)
			}
			if w = byRule(t, a, yes, "welcome_1"); w.Status != message.Sent || srv.Count() != 1 {
				t.Fatalf("the welcome to a customer who consented: %s (%s), %d mails", w.Status, w.Reason, srv.Count())
			}

			// Unsubscribed from marketing: the rest of the series stops,
			// the order news goes.
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return message.OptOutMarketing(ctx, tx, customerOf(t, a, yes), clk.Now())
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{none, yes} {
				if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered}); err != nil {
					t.Fatal(err)
				}
			}
			drain(t, a)
			for _, id := range []int64{none, yes} {
				news := byRule(t, a, id, "status_delivered")
				if err := send(t, a, news.ID); err != nil {
					t.Fatal(err)
				}
				if news = byRule(t, a, id, "status_delivered"); news.Status != message.Sent {
					t.Errorf("order news of order %d: %s (%s)", id, news.Status, news.Reason)
				}
			}
			second := byRule(t, a, yes, "welcome_2")
			clk.Set(second.ScheduledAt)
			if err := send(t, a, second.ID); err != nil {
				t.Fatal(err)
			}
			if second = byRule(t, a, yes, "welcome_2"); second.Status != message.Suppressed {
				t.Errorf("the second welcome after an unsubscribe: %s (%s)", second.Status, second.Reason)
			}
			if srv.Count() != 3 {
				t.Errorf("%d mails, want the welcome and two order news", srv.Count())
			}
		})
	}
}

// TestDoubleOptInRoundTrip: with campaigns.double_opt_in a marketing
// e-mail consent given with an order waits; the customer gets the
// confirmation at once (order news, no unsubscribe link) with a signed
// link; an offer before they follow it does not go; following it records
// the consent with the source "double opt-in" and the time, and the next
// offer goes. A second confirmation changes nothing, a forged link is
// refused.
func TestDoubleOptInRoundTrip(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false, "playbook:", "  rules:", "    order_ack: {enabled: false}",
				"campaigns:", "  double_opt_in: true")
			id := place(t, a, "D-1", customer.Input{ExternalID: "c-d", Email: "d@example.com", Name: "Дина",
				Consent: []string{"marketing_email"}, ConsentSource: "checkout checkbox"})
			cid := customerOf(t, a, id)
			c := channel(t, a, cid, "email")
			if c.Marketing() || c.MarketingPendingAt == nil || c.MarketingPendingSource != "checkout checkbox" {
				t.Fatalf("double opt-in: consent %v, pending %v %q; want it pending", c.Marketing(), c.MarketingPendingAt, c.MarketingPendingSource)
			}
			drain(t, a)
			drain(t, a) // a second pass plans no second confirmation
			var confirm []message.Message
			ms, err := message.ListByCustomer(ctx, a.DB.Read(), cid, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Rule == "marketing_confirm" {
					confirm = append(confirm, m)
				}
			}
			if len(confirm) != 1 || !confirm[0].Transactional {
				t.Fatalf("confirmations: %+v, want one, transactional", confirm)
			}

			// An offer before the confirmation does not go.
			w := byRule(t, a, id, "welcome_1")
			clk.Set(w.ScheduledAt)
			if err := send(t, a, w.ID); err != nil {
				t.Fatal(err)
			}
			if w = byRule(t, a, id, "welcome_1"); w.Status != message.Suppressed {
				t.Errorf("an offer before the confirmation: %s (%s)", w.Status, w.Reason)
			}

			if err := send(t, a, confirm[0].ID); err != nil {
				t.Fatal(err)
			}
			mails := srv.Mails()
			if len(mails) != 1 {
				t.Fatalf("%d mails, want the confirmation", len(mails))
			}
			body := mails[0].Text()
			link := regexp.MustCompile(`https://care\.example\.com/optin/([A-Za-z0-9_-]+)`).FindStringSubmatch(body)
			if link == nil || strings.Contains(body, "/u/") {
				t.Fatalf("the confirmation has no opt-in link, or an unsubscribe link:\n%s", body)
			}
			forged := []byte(link[1])
			forged[3] ^= 1 // another customer's id, the same MAC
			if _, err := customer.ParseOptIn(a.SignIns, string(forged)); err == nil {
				t.Error("a forged confirmation link was taken")
			}
			o, err := customer.ParseOptIn(a.SignIns, link[1])
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []bool{true, false} {
				newly, err := a.Customers.ConfirmOptIn(ctx, o, clk.Now())
				if err != nil || newly != want {
					t.Fatalf("confirmation %d: %v, %v; want %v", i+1, newly, err, want)
				}
			}
			c = channel(t, a, cid, "email")
			if !c.Marketing() || c.MarketingConsentSource != "double opt-in (checkout checkbox)" || !c.MarketingConsentAt.Equal(clk.Now()) ||
				c.MarketingPendingAt != nil {
				t.Errorf("after the confirmation: consent %v at %v, source %q, pending %v", c.Marketing(), c.MarketingConsentAt,
					c.MarketingConsentSource, c.MarketingPendingAt)
			}

			second := byRule(t, a, id, "welcome_2")
			clk.Set(second.ScheduledAt)
			if err := send(t, a, second.ID); err != nil {
				t.Fatal(err)
			}
			if second = byRule(t, a, id, "welcome_2"); second.Status != message.Sent {
				t.Errorf("an offer after the confirmation: %s (%s)", second.Status, second.Reason)
			}
		})
	}
}
