package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox/telegramin"
	"github.com/shopcare/shopcare/internal/store"
)

// botToken has the shape of a real bot token.
const botToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

// TestTrackingPageTelegramLink: with the shop's bot receiving, the
// tracking page links to a chat with it that carries the order's
// tracking token, and POST /hooks/telegram takes the bot's webhook
// deliveries with the secret only.
func TestTrackingPageTelegramLink(t *testing.T) {
	t.Parallel()
	e := newContactEnv(t, store.SQLite)
	tok := placeOrders(t, e.env)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch strings.TrimPrefix(r.URL.Path, "/bot"+botToken+"/") {
		case "getMe":
			_, _ = w.Write([]byte(`{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Берёзка","username":"berezka_shop_bot"}}`))
		case "setWebhook":
			_, _ = w.Write([]byte(`{"ok":true,"result":true,"description":"Webhook was set"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"ok":false,"error_code":404,"description":"Not Found"}`))
		}
	}))
	t.Cleanup(api.Close)
	const secret = "web-hook_secret-0123456789"
	bot, err := telegramin.New(telegramin.Options{Token: botToken, ServerURL: api.URL, WebhookSecret: secret,
		PublicURL: "https://care.example", DB: e.app.DB, Clock: e.clock, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.Start(context.Background(), e.inbox); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bot.Stop)
	e.app.TelegramIn = bot

	_, _, page := e.get(t, "GET", "/t/"+tok.making)
	link := `<a href="https://t.me/berezka_shop_bot?start=` + tok.making + `" rel="noopener">` + i18n.Text(i18n.RU, "tracking.contact.telegram", nil) + `</a>`
	if !strings.Contains(page, link) {
		t.Errorf("no Telegram link %s in the page", link)
	}

	update := `{"update_id":7,"message":{"message_id":3,"from":{"id":42,"is_bot":false,"first_name":"Sam","language_code":"en"},"chat":{"id":42,"type":"private"},"date":1796112000,"text":"Hello"}}`
	if status, _, _ := e.do(t, "POST", "/hooks/telegram", update, "Content-Type: application/json",
		"X-Telegram-Bot-Api-Secret-Token: wrong"); status != http.StatusUnauthorized {
		t.Errorf("a wrong secret: %d, want 401", status)
	}
	if got := e.inbox.messages(); len(got) != 0 {
		t.Fatalf("a refused delivery reached the inbox: %+v", got)
	}
	if status, _, _ := e.do(t, "POST", "/hooks/telegram", update, "Content-Type: application/json",
		"X-Telegram-Bot-Api-Secret-Token: "+secret); status != http.StatusOK {
		t.Errorf("a delivery: %d, want 200", status)
	}
	if got := e.inbox.messages(); len(got) != 1 || got[0].MessageID != "42:3" || got[0].Language != "en" {
		t.Errorf("inbox got %+v", got)
	}
}
