package telegramin_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/inbox/telegramin"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// shop is a started App with one order of a Russian-speaking customer,
// and a Bot on the fake Bot API.
type shop struct {
	app      *app.App
	api      *fakeAPI
	bot      *telegramin.Bot
	token    string // the order's tracking token
	customer int64
	orderID  int64
}

func newShop(t *testing.T, engine store.Engine, webhookSecret string) *shop {
	t.Helper()
	a, clk := apptest.New(t, engine, false)
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	n := order.NewOrder{ExternalID: "R-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-1", Name: "Андрей Петров", Email: "andrei@example.com", Language: "ru"},
		Items:    []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 249000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	o, err := order.Get(ctx, a.DB.Read(), res.ID)
	if err != nil || o.TrackingToken == "" || o.Customer == nil {
		t.Fatalf("order: %+v, %v", o, err)
	}
	api := startAPI(t)
	bot, err := telegramin.New(telegramin.Options{Token: testToken, ServerURL: api.url, WebhookSecret: webhookSecret,
		PublicURL: "https://care.example", DB: a.DB, Clock: clk, Log: slog.New(slog.DiscardHandler), Shop: "Берёзка", Language: i18n.RU, Sleep: noSleep})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bot.Stop)
	return &shop{app: a, api: api, bot: bot, token: o.TrackingToken, customer: o.Customer.ID, orderID: o.ID}
}

// TestPollOffsetOnlyAfterReceive: an update the receiver failed on is
// asked for again (the offset stays on it), the ones before it are not;
// photos and documents come with their files, the sender's name and
// language; a group's message and an edit are confirmed and left out.
func TestPollOffsetOnlyAfterReceive(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine, "")
			s.api.queue(fixture(t, "update_text.json"), fixture(t, "update_photo.json"), fixture(t, "update_document.json"),
				fixture(t, "update_group.json"), fixture(t, "update_edited.json"))
			s.api.file("AgAD-big", []byte("\xff\xd8\xff\xe0 a jpeg"))
			s.api.file("BQAD-doc", []byte("%PDF-1.7 rēķins"))
			down := true
			r := &recorder{fail: func(in inbox.Inbound) error {
				if in.MessageID == "555000111:18" && down {
					return errors.New("database is locked")
				}
				return nil
			}}
			ctx := context.Background()

			next, err := s.bot.PollOnce(ctx, r, 0)
			if err == nil || next != 1002 {
				t.Fatalf("first poll: next %d, err %v; want 1002 and the receiver's error", next, err)
			}
			if got := r.messages(); len(got) != 1 || got[0].MessageID != "555000111:17" {
				t.Fatalf("after the failure: %+v", got)
			}
			down = false
			if next, err = s.bot.PollOnce(ctx, r, next); err != nil || next != 1007 {
				t.Fatalf("second poll: next %d, err %v; want 1007", next, err)
			}
			if next, err = s.bot.PollOnce(ctx, r, next); err != nil || next != 1007 {
				t.Fatalf("third poll: next %d, err %v", next, err)
			}
			if got, want := s.api.offsetsAsked(), []int64{0, 1002, 1007}; !slices.Equal(got, want) {
				t.Errorf("offsets asked %v, want %v", got, want)
			}
			got := r.messages()
			if len(got) != 3 {
				t.Fatalf("received %d messages, want 3: %+v", len(got), got)
			}
			text, photo, doc := got[0], got[1], got[2]
			if text.Channel != inbox.ChannelTelegram || text.From != "555000111" || text.FromName != "Андрей Петров" ||
				text.Text != "Здравствуйте! Где мой заказ R-1?" || text.Language != "ru" ||
				!text.SentAt.Equal(time.Unix(1796112000, 0)) || text.CustomerID != 0 {
				t.Errorf("text message: %+v", text)
			}
			if photo.Text != "Крышка пришла с трещиной" || photo.Language != "ru" || len(photo.Attachments) != 1 ||
				string(photo.Attachments[0].Data) != "\xff\xd8\xff\xe0 a jpeg" || photo.Attachments[0].ContentType != "image/jpeg" {
				t.Errorf("photo message: %+v", photo)
			}
			if doc.From != "777000222" || doc.Language != "lv" || len(doc.Attachments) != 1 ||
				doc.Attachments[0].Name != "rēķins.pdf" || doc.Attachments[0].ContentType != "application/pdf" ||
				string(doc.Attachments[0].Data) != "%PDF-1.7 rēķins" {
				t.Errorf("document message: %+v", doc)
			}
		})
	}
}

// TestFileOverCapLeftOut: a file over the cap is not fetched; the
// message still comes, with its caption.
func TestFileOverCapLeftOut(t *testing.T) {
	t.Parallel()
	a, clk := apptest.New(t, store.SQLite, false)
	api := startAPI(t)
	bot, err := telegramin.New(telegramin.Options{Token: testToken, ServerURL: api.url, DB: a.DB, Clock: clk, Log: slog.New(slog.DiscardHandler),
		MaxFileBytes: 1024, Sleep: noSleep})
	if err != nil {
		t.Fatal(err)
	}
	api.queue(fixture(t, "update_document.json")) // 2048 bytes by its file_size
	api.file("BQAD-doc", []byte(strings.Repeat("x", 2048)))
	r := &recorder{}
	if next, err := bot.PollOnce(context.Background(), r, 0); err != nil || next != 1004 {
		t.Fatalf("poll: %d, %v", next, err)
	}
	if got := r.messages(); len(got) != 1 || len(got[0].Attachments) != 0 || got[0].Text != "Labdien, pielikumā rēķins." {
		t.Errorf("got %+v", got)
	}
}

// TestStartLinksChat: /start with the order's tracking token links the
// chat to the order's customer with consent to order news, answers in
// the customer's language (ru, though the client is English) and gives
// the inbox nothing; the chat's next message carries the customer. An
// unknown token links nothing and says so in the client's language.
func TestStartLinksChat(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newShop(t, engine, "")
			ctx := context.Background()
			r := &recorder{}
			bogus := strings.Repeat("A", 43)
			s.api.queue(strings.Replace(fixture(t, "update_start.json"), "{{TOKEN}}", bogus, 1))
			if _, err := s.bot.PollOnce(ctx, r, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := customer.GetByTelegramChat(ctx, s.app.DB.Read(), 555000111); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("an unknown token linked a chat: %v", err)
			}
			sent := s.api.sentMessages()
			if len(sent) != 1 || sent[0]["chat_id"] != "555000111" ||
				sent[0]["text"] != i18n.Text(i18n.EN, "telegramin.link_unknown", map[string]any{"Shop": "Берёзка"}) {
				t.Fatalf("reply to an unknown token: %v", sent)
			}

			s.api.queue(strings.Replace(strings.Replace(fixture(t, "update_start.json"), "{{TOKEN}}", s.token, 1), "1004", "1005", 1))
			if _, err := s.bot.PollOnce(ctx, r, 1005); err != nil {
				t.Fatal(err)
			}
			c, err := customer.GetByTelegramChat(ctx, s.app.DB.Read(), 555000111)
			if err != nil || c.ID != s.customer {
				t.Fatalf("chat linked to %+v, %v; want customer %d", c, err, s.customer)
			}
			contact, err := message.LoadContact(ctx, s.app.DB.Read(), s.customer)
			if err != nil {
				t.Fatal(err)
			}
			if addr, why := contact.Address(message.Telegram); addr != "555000111" || contact.Standing["telegram"].ConsentAt == nil {
				t.Errorf("telegram address %q (%s), standing %+v", addr, why, contact.Standing["telegram"])
			}
			sent = s.api.sentMessages()
			if len(sent) != 2 || sent[1]["text"] != i18n.Text(i18n.RU, "telegramin.linked", map[string]any{"Shop": "Берёзка"}) {
				t.Fatalf("reply to the link: %v", sent)
			}
			if got := r.messages(); len(got) != 0 {
				t.Errorf("a bare /start reached the inbox: %+v", got)
			}

			// The deep link with a question after it, then a plain message.
			s.api.queue(`{"update_id":1006,"message":{"message_id":2,"from":{"id":555000111,"is_bot":false,"first_name":"Андрей"},"chat":{"id":555000111,"type":"private"},"date":1796112200,"text":"/start `+s.token+` Когда доставка?"}}`,
				fixture(t, "update_text.json"))
			s.api.mu.Lock()
			s.api.updates = s.api.updates[len(s.api.updates)-2:] // 1006, then 1001 as Telegram would number it later
			s.api.updates[1] = strings.Replace(s.api.updates[1], `"update_id":1001`, `"update_id":1007`, 1)
			s.api.mu.Unlock()
			if _, err := s.bot.PollOnce(ctx, r, 1006); err != nil {
				t.Fatal(err)
			}
			got := r.messages()
			if len(got) != 2 {
				t.Fatalf("got %+v", got)
			}
			if got[0].StartToken != s.token || got[0].Text != "Когда доставка?" || got[0].CustomerID != s.customer {
				t.Errorf("/start with text: %+v", got[0])
			}
			if got[1].CustomerID != s.customer || got[1].StartToken != "" {
				t.Errorf("a linked chat's message: %+v", got[1])
			}
		})
	}
}

// TestWebhook: Start sets the webhook with the secret; a delivery
// without the secret, or with a wrong one, is 401 and takes nothing; a
// delivery sent twice is stored once.
func TestWebhook(t *testing.T) {
	t.Parallel()
	const secret = "s3cret-Webhook_token-0123456789"
	s := newShop(t, store.SQLite, secret)
	r := &recorder{}
	if err := s.bot.Start(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.api.hooked:
	case <-time.After(30 * time.Second): // a safety net, not a wait
		t.Fatal("setWebhook was never called")
	}
	s.api.mu.Lock()
	hook := s.api.webhooks[0]
	s.api.mu.Unlock()
	if hook["url"] != "https://care.example/hooks/telegram" || hook["secret_token"] != secret ||
		!strings.Contains(hook["allowed_updates"], "message") {
		t.Errorf("setWebhook %v", hook)
	}
	srv := httptest.NewServer(s.bot)
	t.Cleanup(srv.Close)
	post := func(header string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+telegramin.HookPath, strings.NewReader(fixture(t, "update_text.json")))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set(telegramin.SecretHeader, header)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, bad := range []string{"", "wrong", secret[:len(secret)-1], secret + "x"} {
		if code := post(bad); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", bad, code)
		}
	}
	if r.calls != 0 {
		t.Fatalf("a refused delivery reached the receiver")
	}
	for range 2 {
		if code := post(secret); code != http.StatusOK {
			t.Fatalf("delivery: %d", code)
		}
	}
	if got := r.messages(); len(got) != 1 || r.calls != 2 || got[0].MessageID != "555000111:17" {
		t.Errorf("a delivery sent twice: %d calls, stored %+v", r.calls, got)
	}
	r.fail = func(inbox.Inbound) error { return errors.New("disk full") }
	if code := post(secret); code != http.StatusInternalServerError {
		t.Errorf("a failing receiver: %d, want 500 so that Telegram sends it again", code)
	}
}

// TestDeepLink: the bot's name is asked once and kept.
func TestDeepLink(t *testing.T) {
	t.Parallel()
	s := newShop(t, store.SQLite, "")
	ctx := context.Background()
	for range 3 {
		if got, want := s.bot.DeepLink(ctx, s.token), "https://t.me/berezka_shop_bot?start="+s.token; got != want {
			t.Errorf("DeepLink = %q, want %q", got, want)
		}
	}
	if s.bot.DeepLink(ctx, "not a token!") != "" {
		t.Error("a token outside the deep link's alphabet made a link")
	}
	s.api.mu.Lock()
	defer s.api.mu.Unlock()
	if s.api.getMes != 1 {
		t.Errorf("getMe asked %d times, want once", s.api.getMes)
	}
}
