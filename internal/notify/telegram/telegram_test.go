package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
)

// testToken has the shape of a real token; its bot id is 123456789.
const (
	testToken  = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
	testSecret = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
)

// apiCall is one request the fake Bot API received.
type apiCall struct {
	method string // Bot API method, from the path
	fields map[string]string
}

// fakeAPI is a Bot API server on 127.0.0.1. It checks each request the way
// api.telegram.org reads it (POST /bot<token>/<method>, parameters as
// multipart/form-data) and answers with reply, or with the sent Message.
type fakeAPI struct {
	t   *testing.T
	url string

	mu    sync.Mutex
	calls []apiCall
	reply func(w http.ResponseWriter, r *http.Request, c apiCall)
}

func startAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+testToken+"/")
	if !ok {
		f.t.Errorf("request to %s, want /bot<token>/<method>", r.URL.Path)
		writeRaw(w, http.StatusNotFound, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	if r.Method != http.MethodPost {
		f.t.Errorf("%s %s, want POST", r.Method, method)
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		f.t.Errorf("Content-Type %q, want multipart/form-data", r.Header.Get("Content-Type"))
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		f.t.Errorf("%s: parse form: %v", method, err)
		writeRaw(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: can't parse request"}`)
		return
	}
	if len(r.MultipartForm.File) != 0 {
		f.t.Errorf("%s: unexpected file parts %v", method, r.MultipartForm.File)
	}
	c := apiCall{method: method, fields: map[string]string{}}
	for k, vs := range r.MultipartForm.Value {
		if len(vs) != 1 {
			f.t.Errorf("%s: field %s given %d times", method, k, len(vs))
		}
		c.fields[k] = vs[0]
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	reply := f.reply
	f.mu.Unlock()
	if reply == nil {
		reply = sentMessage
	}
	reply(w, r, c)
}

func (f *fakeAPI) setReply(reply func(w http.ResponseWriter, r *http.Request, c apiCall)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = reply
}

func (f *fakeAPI) received() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

// sentMessage answers sendMessage the way Telegram does: the Message it
// delivered.
func sentMessage(w http.ResponseWriter, _ *http.Request, c apiCall) {
	chatID, _ := strconv.ParseInt(c.fields["chat_id"], 10, 64)
	chat := map[string]any{"id": chatID, "type": "private", "first_name": "Андрей", "last_name": "Петров"}
	if chatID < 0 {
		chat = map[string]any{"id": chatID, "type": "supergroup", "title": "Pasūtījumi"}
	}
	body, err := json.Marshal(map[string]any{
		"ok": true,
		"result": map[string]any{
			"message_id": 1042,
			"from":       map[string]any{"id": 123456789, "is_bot": true, "first_name": "Берёзка", "username": "berezka_shop_bot"},
			"chat":       chat,
			"date":       1793714700,
			"text":       c.fields["text"],
		},
	})
	if err != nil {
		panic(err)
	}
	writeRaw(w, http.StatusOK, string(body))
}

func writeRaw(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// answer replies with a fixed status, content type, headers and body.
func answer(code int, contentType, body string, header ...string) func(http.ResponseWriter, *http.Request, apiCall) {
	return func(w http.ResponseWriter, _ *http.Request, _ apiCall) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	if cfg.PerSecond == 0 {
		cfg.PerSecond = 1000 // tests send back to back
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTelegramSendRussianAndLatvian(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	c := newTestClient(t, Config{ServerURL: api.url})
	if c.Channel() != "telegram" {
		t.Errorf("Channel() = %q", c.Channel())
	}
	msgs := []notify.Message{
		{ID: "order-1042.shipped", To: "987654321", Text: "Ваш заказ 1042 отправлен.\nТрек-номер: RA123456789RU — https://shop.example/t/1042", Transactional: true},
		{ID: "order-1043.shipped", To: "-1001234567890", Text: "Pasūtījums nosūtīts. Paldies, ka iepērkaties <Berёzka> & co!", Transactional: true},
		{ID: "promo-7", To: "42", Text: strings.Repeat("ж", MaxTextLength)}, // characters, not bytes
	}
	for _, m := range msgs {
		if err := c.Send(context.Background(), m); err != nil {
			t.Fatalf("send %s: %v", m.ID, err)
		}
	}
	calls := api.received()
	if len(calls) != len(msgs) {
		t.Fatalf("server received %d requests, want %d", len(calls), len(msgs))
	}
	for i, got := range calls {
		want := map[string]string{
			"chat_id":              msgs[i].To,
			"text":                 msgs[i].Text,
			"link_preview_options": `{"is_disabled":true}`,
		}
		if got.method != "sendMessage" {
			t.Errorf("request %d: method %q, want sendMessage", i, got.method)
		}
		// Exactly these fields: no parse_mode, so the text is shown as written.
		if len(got.fields) != len(want) {
			t.Errorf("request %d: fields %q, want %q", i, got.fields, want)
		}
		for k, v := range want {
			if got.fields[k] != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got.fields[k], v)
			}
		}
	}
}

func TestTelegramSendErrors(t *testing.T) {
	t.Parallel()
	const (
		temporary = "temporary"
		throttled = "throttled"
		permanent = "permanent"
		invalidM  = "invalid"
	)
	tests := []struct {
		name     string
		reply    func(http.ResponseWriter, *http.Request, apiCall)
		kind     string
		wait     time.Duration // for throttled
		is       error         // also in the chain, when set
		contains string        // in the message, when set
	}{
		{
			name:  "429 with retry_after",
			reply: answer(429, "application/json", `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}}`),
			kind:  throttled, wait: 17 * time.Second,
		},
		{
			name:  "429 without retry_after",
			reply: answer(429, "application/json", `{"ok":false,"error_code":429,"description":"Too Many Requests"}`),
			kind:  throttled, wait: notify.DefaultRetryAfter,
		},
		{
			name:  "429 from a proxy",
			reply: answer(429, "text/plain; charset=utf-8", "slow down\n", "Retry-After", "5"),
			kind:  throttled, wait: 5 * time.Second,
		},
		{
			name:  "403 blocked by the user",
			reply: answer(403, "application/json", `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`),
			kind:  permanent, is: bot.ErrorForbidden, contains: "blocked by the user",
		},
		{
			name:  "403 user deactivated",
			reply: answer(403, "application/json", `{"ok":false,"error_code":403,"description":"Forbidden: user is deactivated"}`),
			kind:  permanent, contains: "user is deactivated",
		},
		{
			name:  "400 chat not found",
			reply: answer(400, "application/json", `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`),
			kind:  permanent, is: bot.ErrorBadRequest, contains: "chat not found",
		},
		{
			name:  "400 group moved to a supergroup",
			reply: answer(400, "application/json", `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}`),
			kind:  permanent, contains: "-1001234567890",
		},
		{
			name:  "400 message too long",
			reply: answer(400, "application/json", `{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}`),
			kind:  invalidM, is: bot.ErrorBadRequest,
		},
		{
			name:  "401 revoked token",
			reply: answer(401, "application/json", `{"ok":false,"error_code":401,"description":"Unauthorized"}`),
			kind:  temporary, is: bot.ErrorUnauthorized,
		},
		{
			name:  "500",
			reply: answer(500, "application/json", `{"ok":false,"error_code":500,"description":"Internal Server Error"}`),
			kind:  temporary, contains: "500",
		},
		{
			name:  "502 page from nginx",
			reply: answer(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\r\n"),
			kind:  temporary, contains: "502 Bad Gateway",
		},
		{
			name:  "bad JSON",
			reply: answer(200, "application/json", `{"ok":true,"result":{"message_id":`),
			kind:  temporary,
		},
	}
	api := startAPI(t)
	c := newTestClient(t, Config{ServerURL: api.url})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api.setReply(tt.reply)
			err := c.Send(context.Background(), notify.Message{ID: "order-1042", To: "987654321", Text: "Ваш заказ 1042 отправлен"})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			wait, isThrottled := notify.IsThrottled(err)
			kind := temporary
			switch {
			case isThrottled:
				kind = throttled
			case notify.IsPermanent(err):
				kind = permanent
			case errors.Is(err, notify.ErrInvalidMessage):
				kind = invalidM
			}
			if kind != tt.kind {
				t.Errorf("err = %v: %s, want %s", err, kind, tt.kind)
			}
			if tt.kind == throttled && wait != tt.wait {
				t.Errorf("RetryAfter = %v, want %v", wait, tt.wait)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %v, want it to mention %q", err, tt.contains)
			}
			if !strings.HasPrefix(err.Error(), "send telegram order-1042: ") {
				t.Errorf("err = %v, want it to name the message", err)
			}
			if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "<html>") {
				t.Errorf("err = %v: carries the token or the page", err)
			}
		})
	}
}

func TestTelegramNetworkError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := newTestClient(t, Config{ServerURL: url})
	err := c.Send(context.Background(), notify.Message{ID: "m-1", To: "987654321", Text: "Pasūtījums nosūtīts"})
	if err == nil {
		t.Fatal("Send succeeded with the server down")
	}
	if _, ok := notify.IsThrottled(err); ok || notify.IsPermanent(err) || errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("err = %v: want a temporary error", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("err = %v: carries the token", err)
	}
}

func TestTelegramRefusesBeforeRequest(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	c := newTestClient(t, Config{ServerURL: api.url})
	ok := notify.Message{ID: "m-1", To: "987654321", Text: "Ваш заказ 1042 отправлен"}
	tests := []struct {
		name string
		edit func(*notify.Message)
		want string // in the error
	}{
		{"no chat id", func(m *notify.Message) { m.To = "" }, "to: required"},
		{"username", func(m *notify.Message) { m.To = "@berezka_shop" }, "numeric chat id"},
		{"phone number", func(m *notify.Message) { m.To = "+37120000000" }, "numeric chat id"},
		{"letters after digits", func(m *notify.Message) { m.To = "123abc" }, "numeric chat id"},
		{"spaces", func(m *notify.Message) { m.To = " 123" }, "numeric chat id"},
		{"leading zero", func(m *notify.Message) { m.To = "0123" }, "numeric chat id"},
		{"zero", func(m *notify.Message) { m.To = "0" }, "numeric chat id"},
		{"too big", func(m *notify.Message) { m.To = "99999999999999999999" }, "numeric chat id"},
		{"no text", func(m *notify.Message) { m.Text = "" }, "text: required"},
		{"blank text", func(m *notify.Message) { m.Text = " \n\t" }, "text: required"},
		{"text too long", func(m *notify.Message) { m.Text = strings.Repeat("ž", MaxTextLength+1) }, "4097 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			err := c.Send(context.Background(), m)
			if !errors.Is(err, notify.ErrInvalidMessage) || !strings.Contains(fmt.Sprint(err), tt.want) {
				t.Errorf("err = %v, want ErrInvalidMessage about %q", err, tt.want)
			}
			if notify.IsPermanent(err) {
				t.Errorf("err = %v is permanent", err)
			}
		})
	}
	if n := len(api.received()); n != 0 {
		t.Errorf("server received %d requests, want 0", n)
	}
}

func TestNewTelegramConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   Config
		field string
		code  string
	}{
		{"no token", Config{}, "channels.telegram.bot_token", "required"},
		{"blank token", Config{Token: "  "}, "channels.telegram.bot_token", "required"},
		{"token without id", Config{Token: testSecret}, "channels.telegram.bot_token", "invalid"},
		{"token with a slash", Config{Token: "123456789:AAH/../x"}, "channels.telegram.bot_token", "invalid"},
		{"token with a space", Config{Token: testToken + " "}, "channels.telegram.bot_token", "invalid"},
		{"server scheme", Config{Token: testToken, ServerURL: "ftp://api.telegram.org"}, "channels.telegram.server_url", "invalid"},
		{"server without host", Config{Token: testToken, ServerURL: "https://"}, "channels.telegram.server_url", "invalid"},
		{"server not a URL", Config{Token: testToken, ServerURL: "api.telegram.org"}, "channels.telegram.server_url", "invalid"},
		{"server with query", Config{Token: testToken, ServerURL: "https://api.telegram.org?x=1"}, "channels.telegram.server_url", "invalid"},
		{"negative rate", Config{Token: testToken, PerSecond: -1}, "channels.telegram.per_second", "invalid"},
		{"NaN rate", Config{Token: testToken, PerSecond: math.NaN()}, "channels.telegram.per_second", "invalid"},
		{"infinite rate", Config{Token: testToken, PerSecond: math.Inf(1)}, "channels.telegram.per_second", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil {
				t.Fatal("New accepted the config")
			}
			ie, ok := invalid.First(err)
			if !ok || ie.Field != tt.field || ie.Code != tt.code || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("err = %v, want %s %s", err, tt.field, tt.code)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("err = %v: carries the token", err)
			}
		})
	}
}

func TestNewTelegramDefaultsWithoutNetwork(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	for _, server := range []string{api.url, api.url + "/", ""} {
		c, err := New(Config{Token: testToken, ServerURL: server})
		if err != nil {
			t.Fatalf("server %q: %v", server, err)
		}
		if c.limiter.Limit() != DefaultPerSecond || c.limiter.Burst() != 1 {
			t.Errorf("limiter %v/s burst %d, want %d/s burst 1", c.limiter.Limit(), c.limiter.Burst(), DefaultPerSecond)
		}
	}
	// No getMe: New makes no request, even to the real server.
	if n := len(api.received()); n != 0 {
		t.Errorf("New made %d requests, want 0", n)
	}
	// A trailing slash does not double in the path (the fake checks it).
	c := newTestClient(t, Config{ServerURL: api.url + "/"})
	if err := c.Send(context.Background(), notify.Message{ID: "m-1", To: "42", Text: "Paldies"}); err != nil {
		t.Fatal(err)
	}
}

func TestTelegramContextCancelled(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	msg := notify.Message{ID: "m-1", To: "987654321", Text: "Ваш заказ 1042 отправлен"}

	t.Run("before sending", func(t *testing.T) {
		c := newTestClient(t, Config{ServerURL: api.url})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := c.Send(ctx, msg)
		if !errors.Is(err, context.Canceled) || notify.IsPermanent(err) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := len(api.received()); n != 0 {
			t.Errorf("server received %d requests, want 0", n)
		}
	})

	t.Run("during the request", func(t *testing.T) {
		arrived := make(chan struct{})
		release := make(chan struct{})
		t.Cleanup(func() { close(release); api.setReply(nil) })
		api.setReply(func(w http.ResponseWriter, r *http.Request, c apiCall) {
			close(arrived)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		c := newTestClient(t, Config{ServerURL: api.url})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			<-arrived
			cancel()
		}()
		err := c.Send(ctx, msg)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if _, ok := notify.IsThrottled(err); ok || notify.IsPermanent(err) {
			t.Errorf("err = %v classified", err)
		}
	})
}

func TestTelegramRateLimit(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	// One message per 100 s: the second must wait far longer than any test.
	c := newTestClient(t, Config{ServerURL: api.url, PerSecond: 0.01})
	msg := notify.Message{ID: "m-1", To: "987654321", Text: "Pasūtījums nosūtīts"}
	if err := c.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}

	// A deadline before the next turn: refused at once, not after a wait.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := c.Send(ctx, msg)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}

	// No deadline: waits until cancelled.
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- c.Send(ctx, msg) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := len(api.received()); n != 1 {
		t.Errorf("server received %d requests, want 1", n)
	}
}

func TestTelegramConcurrentSends(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	c := newTestClient(t, Config{ServerURL: api.url})
	const total = 20
	var wg sync.WaitGroup
	errs := make(chan error, total)
	for i := range total {
		wg.Go(func() {
			errs <- c.Send(context.Background(), notify.Message{
				ID: fmt.Sprint("bulk-", i), To: strconv.Itoa(1000 + i), Text: fmt.Sprintf("Заказ %d отправлен", i),
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	seen := map[string]bool{}
	for _, call := range api.received() {
		seen[call.fields["chat_id"]+" "+call.fields["text"]] = true
	}
	if len(seen) != total {
		t.Errorf("server received %d distinct messages, want %d", len(seen), total)
	}
}
