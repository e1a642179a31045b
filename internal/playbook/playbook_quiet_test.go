package playbook_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestNightOrderAckByEmailGoesAtOnce (issue 18): e-mail is silent, so an
// order confirmation by e-mail goes at once, also at night; on Telegram,
// which rings the customer's phone, it waits for their morning, and so
// does marketing e-mail.
func TestNightOrderAckByEmailGoesAtOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			tg := startTelegram(t)
			a, clk, srv := shop(t, engine, false, "  telegram:", "    bot_token: "+botToken, "    api_url: "+tg.URL,
				"playbook:", "  frequency_cap: 0s")
			night := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC) // 00:00 in Vladivostok
			morning := time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)
			clk.Set(night)
			vlad := customer.Input{ExternalID: "c-v", Name: "Иван", Email: "ivan@example.ru", Timezone: "Asia/Vladivostok", Language: "ru"}
			id := place(t, a, "N-1", vlad)
			drain(t, a)
			m := byRule(t, a, id, "order_ack")
			if !m.ScheduledAt.Equal(night) {
				t.Errorf("e-mail confirmation due %s, want at once (%s)", m.ScheduledAt.UTC(), night)
			}
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			if m = byRule(t, a, id, "order_ack"); m.Status != message.Sent || m.Channel != "email" || srv.Count() != 1 {
				t.Fatalf("confirmation at night: %s on %q (%s), %d mails; want sent by e-mail", m.Status, m.Channel, m.Reason, srv.Count())
			}

			// A customer on Telegram only: the phone would ring at night.
			tgID := place(t, a, "N-2", customer.Input{ExternalID: "c-t", Name: "Тимур", TelegramChatID: "4242",
				Timezone: "Asia/Vladivostok", Language: "ru"})
			drain(t, a)
			var snooze *rivertype.JobSnoozeError
			if err := send(t, a, byRule(t, a, tgID, "order_ack").ID); !errors.As(err, &snooze) {
				t.Fatalf("Telegram at night = %v, want a snooze", err)
			}
			if m := byRule(t, a, tgID, "order_ack"); m.Status != message.Scheduled || !m.ScheduledAt.Equal(morning) || len(tg.messages()) != 0 {
				t.Errorf("Telegram confirmation at night: %s at %s, %d sent; want put off to %s", m.Status, m.ScheduledAt.UTC(),
					len(tg.messages()), morning)
			}

			// Marketing e-mail at night waits for the morning.
			if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered}); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			f := byRule(t, a, id, "delivered_followup")
			clk.Set(f.ScheduledAt.Add(-2 * time.Hour)) // 07:00 in Vladivostok, a stray early run
			if local := f.ScheduledAt.In(time.FixedZone("VLAT", 10*3600)); local.Hour() < 9 || local.Hour() >= 21 {
				t.Errorf("follow-up planned at %s in Vladivostok, want inside the contact hours", local)
			}
			if err := send(t, a, f.ID); !errors.As(err, &snooze) {
				f = byRule(t, a, id, "delivered_followup")
				t.Errorf("marketing e-mail at night = %v (%s at %s, %s), want a snooze", err, f.Status, f.ScheduledAt, f.Reason)
			}
		})
	}
}

// TestConfirmationGoesFirst (issue 18): an order's first message is its
// confirmation: status news whose time comes while the confirmation waits
// for its next try (the mail server asked to slow down) waits for it, and
// then follows it.
func TestConfirmationGoesFirst(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false)
			id := place(t, a, "F-1", customer.Input{ExternalID: "c-f", Email: "f@example.com", Name: "Фая", Language: "ru"})
			drain(t, a)
			ack := byRule(t, a, id, "order_ack")
			clk.Set(later(clk.Now(), ack.ScheduledAt))
			srv.Throttle(1)
			var snooze *rivertype.JobSnoozeError
			if err := send(t, a, ack.ID); !errors.As(err, &snooze) {
				t.Fatalf("throttled confirmation = %v, want a snooze", err)
			}
			ack = byRule(t, a, id, "order_ack")
			if !ack.ScheduledAt.After(clk.Now()) {
				t.Fatalf("throttled confirmation due %s, want its next try after %s", ack.ScheduledAt, clk.Now())
			}
			if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Processing}); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			status := byRule(t, a, id, "status_processing")
			if err := send(t, a, status.ID); !errors.As(err, &snooze) {
				t.Fatalf("status news before the confirmation = %v, want a snooze", err)
			}
			if status = byRule(t, a, id, "status_processing"); status.Status != message.Scheduled || srv.Count() != 0 ||
				!status.ScheduledAt.After(ack.ScheduledAt) || !strings.Contains(status.Reason, "order_ack") {
				t.Fatalf("status news before the confirmation: %s at %s (%s), %d mails; want waiting for %s",
					status.Status, status.ScheduledAt, status.Reason, srv.Count(), ack.ScheduledAt)
			}
			clk.Set(ack.ScheduledAt)
			if err := send(t, a, ack.ID); err != nil {
				t.Fatal(err)
			}
			clk.Set(status.ScheduledAt)
			if err := send(t, a, status.ID); err != nil {
				t.Fatal(err)
			}
			mails := srv.Mails()
			if len(mails) != 2 || mails[0].Header("Message-ID") != fmt.Sprintf("<m%d@shopcare>", ack.ID) ||
				mails[1].Header("Message-ID") != fmt.Sprintf("<m%d@shopcare>", status.ID) {
				t.Fatalf("%d mails; want the confirmation, then the status news", len(mails))
			}
		})
	}
}
