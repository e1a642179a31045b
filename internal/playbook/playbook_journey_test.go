package playbook_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// shop starts an SMTP server and an App that mails through it.
func shop(t testing.TB, engine store.Engine, work bool, yaml ...string) (*app.App, *clock.Fake, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t)
	settings := append([]string{
		"shop:",
		"  public_url: https://care.example.com",
		"channels:",
		"  email:",
		"    smtp_url: " + srv.URL(),
		`    from: "Кастрюля и сковородка <shop@example.com>"`,
	}, yaml...)
	a, clk := apptest.New(t, engine, work, settings...)
	return a, clk, srv
}

// place creates an order for a customer of the language, zone and email.
func place(t testing.TB, a *app.App, ext string, c customer.Input) int64 {
	t.Helper()
	n := order.NewOrder{ExternalID: ext, Customer: c, Carrier: "post",
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID
}

func messages(t *testing.T, a *app.App, orderID int64) []message.Message {
	t.Helper()
	ms, err := message.ListByOrder(context.Background(), a.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// byRule returns the order's message of a rule.
func byRule(t *testing.T, a *app.App, orderID int64, rule string) message.Message {
	t.Helper()
	for _, m := range messages(t, a, orderID) {
		if m.Rule == rule {
			return m
		}
	}
	t.Fatalf("order %d has no %s message: %+v", orderID, rule, messages(t, a, orderID))
	return message.Message{}
}

// byRuleMaybe is byRule, with a zero message when there is none yet.
func byRuleMaybe(t *testing.T, a *app.App, orderID int64, rule string) message.Message {
	t.Helper()
	for _, m := range messages(t, a, orderID) {
		if m.Rule == rule {
			return m
		}
	}
	return message.Message{}
}

// send runs the send job of a message now, as River would.
func send(t *testing.T, a *app.App, id int64) error {
	t.Helper()
	return a.Messages.Work(context.Background(), &river.Job[message.SendArgs]{
		JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: message.MaxAttempts}, Args: message.SendArgs{MessageID: id}})
}

func drain(t *testing.T, a *app.App) {
	t.Helper()
	if _, err := a.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestJourneyThroughRealQueueAndSMTP: an order and its status changes
// reach a real SMTP server through the journal, the playbook and River, in
// the customer's language, once each.
func TestJourneyThroughRealQueueAndSMTP(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, srv := shop(t, engine, true)
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			id := place(t, a, "1042", customer.Input{ExternalID: "c-1", Name: "Anna Bērziņa", Email: "anna@example.lv",
				Language: "lv", Country: "LV"})
			mails := srv.Wait(t, 1, 30*time.Second)
			ack := mails[0]
			if got := ack.Subject(); !strings.HasPrefix(got, "Pasūtījums 1042 saņemts: piegāde ") {
				t.Errorf("subject = %q, want the Latvian acknowledgement with the delivery window", got)
			}
			o, err := order.Get(ctx, a.DB.Read(), id)
			if err != nil {
				t.Fatal(err)
			}
			text := ack.Text()
			for _, want := range []string{"Labdien, Anna!", "nosūtīsim trešdien, 25. novembrī", "https://care.example.com/t/" + o.TrackingToken} {
				if !strings.Contains(text, want) {
					t.Errorf("acknowledgement lacks %q:\n%s", want, text)
				}
			}
			if h := ack.Header("List-Unsubscribe"); h != "" {
				t.Errorf("order news carries List-Unsubscribe %q", h)
			}
			tasks, err := task.ListByOrder(ctx, a.DB.Read(), id)
			if err != nil || len(tasks) != 1 || tasks[0].Kind != task.Callback {
				t.Fatalf("tasks = %+v, %v; want one call-back", tasks, err)
			}
			if due := tasks[0].DueAt; due.After(apptest.Start.Add(time.Hour)) || due.Before(apptest.Start) {
				t.Errorf("call-back due %s, want within an hour of %s", due, apptest.Start)
			}

			finished, stop := a.Queue.Subscribe()
			defer stop()
			if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Shipped, TrackingNumber: "RA123456789RU"}); err != nil {
				t.Fatal(err)
			}
			for byRuleMaybe(t, a, id, "status_shipped").Status != message.Sent {
				apptest.WaitJob(t, finished, message.SendArgs{}.Kind())
			}
			mails = srv.Wait(t, 2, 30*time.Second)
			shipped := mails[1].Text()
			for _, want := range []string{"RA123456789RU", "5–7 dienas"} {
				if !strings.Contains(shipped, want) {
					t.Errorf("shipped message lacks %q:\n%s", want, shipped)
				}
			}
			// The same status again, a drain and a re-run of the sent
			// message's job: nothing new reaches the customer.
			if changed, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Shipped}); err != nil || changed {
				t.Fatalf("repeated status: changed %v, %v", changed, err)
			}
			drain(t, a)
			m := byRule(t, a, id, "status_shipped")
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			if n := srv.Count(); n != 2 {
				for _, m := range srv.Mails() {
					t.Logf("%s: %s", m.To, m.Subject())
				}
				t.Errorf("SMTP server took %d messages, want 2", n)
			}
			ms := messages(t, a, id)
			if len(ms) != 2 || ms[0].Status != message.Sent || ms[1].Status != message.Sent || ms[1].Channel != "email" {
				t.Errorf("messages = %+v", ms)
			}
		})
	}
}

// TestNightOrderWaitsForTheCustomersMorning: with quiet hours on e-mail
// too (channels.quiet_hours), an order placed at midnight in Vladivostok
// is acknowledged at 09:00 there, and the call-back falls when the shop
// works and the customer may be called.
func TestNightOrderWaitsForTheCustomersMorning(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk, srv := shop(t, engine, false, "  quiet_hours: {email: true}")
			clk.Set(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)) // 00:00 in Vladivostok, 17:00 in Moscow
			id := place(t, a, "N-1", customer.Input{ExternalID: "c-v", Name: "Иван", Email: "ivan@example.ru",
				Timezone: "Asia/Vladivostok", Language: "ru"})
			drain(t, a)
			m := byRule(t, a, id, "order_ack")
			if want := time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC); !m.ScheduledAt.Equal(want) {
				t.Errorf("acknowledgement scheduled at %s, want %s (09:00 in Vladivostok)", m.ScheduledAt.UTC(), want)
			}
			// Run early (a stray retry): it waits, sends nothing.
			var snooze *rivertype.JobSnoozeError
			if err := send(t, a, m.ID); !errors.As(err, &snooze) {
				t.Errorf("send at night = %v, want a snooze", err)
			}
			if srv.Count() != 0 {
				t.Fatal("a message went out at night")
			}
			clk.Set(time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC))
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			if srv.Count() != 1 {
				t.Fatal("the acknowledgement did not go in the morning")
			}
			tasks, err := task.ListByOrder(context.Background(), a.DB.Read(), id)
			if err != nil || len(tasks) != 1 {
				t.Fatalf("tasks = %+v, %v", tasks, err)
			}
			if want := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC); !tasks[0].DueAt.Equal(want) {
				t.Errorf("call-back due %s, want %s: 09:00 Moscow, 16:00 Vladivostok", tasks[0].DueAt.UTC(), want)
			}
		})
	}
}

// TestUrgentEmailGoesAtNightButSMSWaits: a template the shop marks urgent
// goes by e-mail at once, but never by SMS at night.
func TestUrgentEmailGoesAtNightButSMSWaits(t *testing.T) {
	t.Parallel()
	a, clk, srv := shop(t, store.SQLite, false, "playbook:", "  rules:", "    order_ack: {urgent: true}")
	clk.Set(time.Date(2026, 11, 23, 0, 30, 0, 0, time.UTC)) // 03:30 in Moscow
	mail := place(t, a, "U-1", customer.Input{ExternalID: "c-m", Email: "m@example.ru", Name: "Мария"})
	drain(t, a)
	m := byRule(t, a, mail, "order_ack")
	if !m.ScheduledAt.Equal(clk.Now()) {
		t.Errorf("urgent message scheduled at %s, want now", m.ScheduledAt)
	}
	if err := send(t, a, m.ID); err != nil {
		t.Fatal(err)
	}
	if srv.Count() != 1 {
		t.Fatal("urgent e-mail did not go at once")
	}
	// A customer reachable by SMS only (no SMS provider here either): the
	// message waits for the morning instead of going anywhere at night.
	sms := place(t, a, "U-2", customer.Input{ExternalID: "c-s", Phone: "+7 916 555-01-02", Name: "Пётр", Consent: []string{"sms"}})
	drain(t, a)
	m = byRule(t, a, sms, "order_ack")
	if err := send(t, a, m.ID); err != nil {
		t.Fatal(err)
	}
	m = byRule(t, a, sms, "order_ack")
	if m.Status != message.Suppressed || !strings.Contains(m.Reason, "sms is not set up") {
		t.Errorf("SMS-only message = %s (%s), want suppressed: no SMS provider", m.Status, m.Reason)
	}
}

// TestHistoryNeverTriggers: imported past orders bring no message and no
// task.
func TestHistoryNeverTriggers(t *testing.T) {
	t.Parallel()
	a, _, _ := shop(t, store.SQLite, false)
	n := order.NewOrder{ExternalID: "H-1", History: true, Status: order.Delivered, PlacedAt: apptest.Start.AddDate(0, -3, 0),
		Customer: customer.Input{ExternalID: "c-h", Email: "h@example.com"},
		Items:    []order.Item{{SKU: "A", Qty: 1, PriceMinor: 1000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	drain(t, a)
	if ms := messages(t, a, res.ID); len(ms) != 0 {
		t.Errorf("history order got messages: %+v", ms)
	}
	if ts, _ := task.ListByOrder(context.Background(), a.DB.Read(), res.ID); len(ts) != 0 {
		t.Errorf("history order got tasks: %+v", ts)
	}
}
