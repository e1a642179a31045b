package playbook_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestWithdrawnOffersStopOffersNotNews: a customer who withdraws their
// marketing consent on e-mail (their own page's button) gets the next
// order news by e-mail, and the next offer on it is suppressed, saying
// why; giving it again opens the channel for offers.
func TestWithdrawnOffersStopOffersNotNews(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false, "playbook:", "  rules:", "    order_ack: {enabled: false}")
			c := customer.Input{ExternalID: "c-w", Email: "w@example.com", Name: "Вера"}
			first, second := place(t, a, "W-1", c), place(t, a, "W-2", c)
			o, err := order.Get(ctx, a.DB.Read(), first)
			if err != nil {
				t.Fatal(err)
			}
			consent := func(on bool) {
				t.Helper()
				_, err := a.Customers.Patch(ctx, customer.PatchParams{ID: o.CustomerID, Source: "customer", Now: clk.Now(),
					Patch: customer.Patch{Consent: map[string]customer.ConsentPatch{"email": {Marketing: &on}},
						ConsentSource: customer.ConsentSourceMyPage},
					Defaults: customer.Defaults{Country: "RU", Language: "ru", Timezone: "Europe/Moscow"}})
				if err != nil {
					t.Fatal(err)
				}
			}
			consent(false)
			for _, id := range []int64{first, second} {
				if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered}); err != nil {
					t.Fatal(err)
				}
			}
			drain(t, a)

			news := byRule(t, a, first, "status_delivered")
			if err := send(t, a, news.ID); err != nil {
				t.Fatal(err)
			}
			if news = byRule(t, a, first, "status_delivered"); news.Status != message.Sent || srv.Count() != 1 {
				t.Fatalf("order news after offers were withdrawn: %s (%s), %d mails", news.Status, news.Reason, srv.Count())
			}

			offer := byRule(t, a, first, "delivered_followup")
			clk.Set(offer.ScheduledAt)
			if err := send(t, a, offer.ID); err != nil {
				t.Fatal(err)
			}
			if offer = byRule(t, a, first, "delivered_followup"); offer.Status != message.Suppressed ||
				!strings.Contains(offer.Reason, "withdrew marketing on email") {
				t.Errorf("an offer after the withdrawal: %s (%s)", offer.Status, offer.Reason)
			}
			if srv.Count() != 1 {
				t.Errorf("%d mails: the offer went", srv.Count())
			}

			// Given again: the next offer goes.
			consent(true)
			next := byRule(t, a, second, "delivered_followup")
			if next.ScheduledAt.After(clk.Now()) {
				clk.Set(next.ScheduledAt)
			}
			if err := send(t, a, next.ID); err != nil {
				t.Fatal(err)
			}
			if next = byRule(t, a, second, "delivered_followup"); next.Status != message.Sent || srv.Count() != 2 {
				t.Errorf("an offer after the consent was given again: %s (%s), %d mails", next.Status, next.Reason, srv.Count())
			}
		})
	}
}
