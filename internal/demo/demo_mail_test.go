package demo_test

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/notify/email"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

func TestMailSinkTakesMailOverSMTP(t *testing.T) {
	t.Parallel()
	sink, err := demo.StartMailSink(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	c, err := email.New(email.Config{URL: sink.URL(), From: "Panna un Katls <hello@pannaunkatls.example>"})
	if err != nil {
		t.Fatal(err)
	}
	for i, to := range []string{"anna.berzina@inbox.example", "ivan@yandex.example"} {
		err := c.Send(context.Background(), notify.Message{ID: "m" + string(rune('1'+i)), To: to, Subject: "Pasūtījums 100001 / Заказ 100001",
			Text: "Paldies! Спасибо!", Transactional: true})
		if err != nil {
			t.Fatalf("send to %s: %v", to, err)
		}
	}
	if got := sink.Received(); got != 2 {
		t.Errorf("the sink took %d messages, want 2", got)
	}
}

// TestDemoMessagesGoOutOverSMTP: with the demo's channels, the open
// orders' messages are really sent over SMTP to the sink and recorded as
// sent; SMS and Telegram are off.
func TestDemoMessagesGoOutOverSMTP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sink, err := demo.StartMailSink(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sink.Close() }) // after the App stops
	settings, err := demo.ShopSettings("lv")
	if err != nil {
		t.Fatal(err)
	}
	settings.Channels.SMS.Provider, settings.Channels.Telegram.BotToken = "smsc", "123:abc"
	demo.Channels(&settings, sink.URL())
	if settings.Channels.Email.SMTPURL != sink.URL() || settings.Channels.SMS.Provider != "" || settings.Channels.Telegram.BotToken != "" {
		t.Fatalf("channels %+v: want e-mail to the sink, SMS and Telegram off", settings.Channels)
	}
	db, _ := storetest.OpenTest(t, store.SQLite)
	a, err := app.Wire(ctx, db, app.Options{Settings: settings, Clock: clock.NewFake(apptest.Start), Work: true,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	finished, unsubscribe := a.Queue.Subscribe()
	defer unsubscribe()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(2, 2)), a.Clock.Now(), demo.Options{Customers: 40, Recent: 4}); err != nil {
		t.Fatal(err)
	}
	// The messages go out concurrently, and the first message_send to
	// finish may be one that sent nothing (suppressed, or put off to the
	// customer's contact hours): it is the quickest, having no SMTP
	// exchange to wait on. Wait for the jobs until one has sent an e-mail;
	// WaitJob fails when none finishes any more.
	apptest.WaitJob(t, finished, "message_send")
	for count(t, a, `SELECT COUNT(*) FROM messages WHERE status = 'sent' AND channel = 'email'`) == 0 &&
		count(t, a, `SELECT COUNT(*) FROM messages WHERE status = 'scheduled'`) > 0 {
		apptest.WaitJob(t, finished, "message_send")
	}
	if got := count(t, a, `SELECT COUNT(*) FROM messages WHERE status = 'sent' AND channel = 'email'`); got == 0 {
		t.Error("no message recorded as sent by e-mail")
	}
	if sink.Received() == 0 {
		t.Error("the sink took no mail")
	}
}
