package app_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

type discardReceiver struct{}

func (discardReceiver) Receive(context.Context, inbox.Inbound) error { return nil }

// TestMailIn builds one runner per configured way in, and none by default.
func TestMailIn(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	log := slog.New(slog.DiscardHandler)
	none, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs, err := app.MailIn(service.Deps{Settings: none, DB: db, Log: log}, discardReceiver{}); err != nil || len(rs) != 0 {
		t.Errorf("default settings: %d runners, %v", len(rs), err)
	}
	both, err := config.Parse([]byte(`
shop: {email: hello@shop.lv}
channels: {email: {imap: {addr: "imap.example.lv:993", username: hello@shop.lv, password: p}, inbound_addr: "127.0.0.1:2525"}}`))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := app.MailIn(service.Deps{Settings: both, DB: db, Log: log}, discardReceiver{})
	if err != nil || len(rs) != 2 {
		t.Fatalf("imap and smtp: %d runners, %v", len(rs), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rs[1](ctx); err != nil { // a stopped listener returns nil
		t.Errorf("listener run after stop: %v", err)
	}
}
