package telegramin_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/inbox/telegramin"
	"github.com/shopcare/shopcare/internal/store"
)

// TestPollLoop runs the polling loop as Start does: Telegram answers 429
// with retry_after, then 409 because shopcare's own webhook of an
// earlier webhook mode is still set (deleted, then polling goes on), then
// a 502 page of a proxy; the waits are Telegram's 5 s, then 2 s and 4 s
// (the third failure in a row; through Options.Sleep, no real time), and
// the messages arrive.
func TestPollLoop(t *testing.T) {
	t.Parallel()
	s := newShop(t, store.SQLite, "")
	s.api.mu.Lock()
	s.api.webhookURL = "https://care.example/hooks/telegram"
	s.api.failures = []failure{
		{429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`},
		{409, `{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}`},
		{502, `<html><body>502 Bad Gateway</body></html>`},
	}
	s.api.mu.Unlock()
	s.api.queue(fixture(t, "update_text.json"), fixture(t, "update_document.json"))
	s.api.file("BQAD-doc", []byte("%PDF-1.7"))

	var mu sync.Mutex
	var waits []time.Duration
	got := make(chan inbox.Inbound, 10)
	bot, err := telegramin.New(telegramin.Options{Token: testToken, ServerURL: s.api.url, DB: s.app.DB, PublicURL: "https://care.example",
		Log: slog.New(slog.DiscardHandler), PollTimeout: time.Second,
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return ctx.Err()
		}})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	r.fail = func(in inbox.Inbound) error { got <- in; return nil }
	if err := bot.Start(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-got:
		case <-time.After(30 * time.Second): // a safety net, not a wait
			t.Fatal("messages never arrived")
		}
	}
	bot.Stop()
	mu.Lock()
	defer mu.Unlock()
	if want := []time.Duration{5 * time.Second, 2 * time.Second, 4 * time.Second}; !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	s.api.mu.Lock()
	defer s.api.mu.Unlock()
	if s.api.deleted != 1 {
		t.Errorf("deleteWebhook called %d times, want once", s.api.deleted)
	}
	if len(r.messages()) != 2 {
		t.Errorf("got %+v", r.messages())
	}
}

// TestPollLeavesOthersWebhook: a webhook of other software is not
// deleted; polling reports and waits.
func TestPollLeavesOthersWebhook(t *testing.T) {
	t.Parallel()
	s := newShop(t, store.SQLite, "")
	s.api.mu.Lock()
	s.api.webhookURL = "https://crm.example/telegram"
	s.api.failures = []failure{{409, `{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active"}`}}
	s.api.mu.Unlock()
	if _, err := s.bot.PollOnce(context.Background(), &recorder{}, 0); err == nil {
		t.Fatal("a 409 was not an error")
	}
	s.api.mu.Lock()
	defer s.api.mu.Unlock()
	if s.api.deleted != 0 || s.api.webhookURL != "https://crm.example/telegram" {
		t.Errorf("another program's webhook was deleted")
	}
}
