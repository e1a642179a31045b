package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
)

const (
	testSID     = "AC0123456789abcdef0123456789abcdef"
	testToken   = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
	testService = "MG9876543210fedcba9876543210fedcba"
	testFrom    = "+15005550006"
)

// createdAnswer is the Message resource Twilio returns with 201 Created.
const createdAnswer = `{
  "account_sid": "AC0123456789abcdef0123456789abcdef",
  "api_version": "2010-04-01",
  "body": "Заказ 1042 отправлен",
  "date_created": "Thu, 05 Nov 2026 10:15:00 +0000",
  "date_sent": null,
  "date_updated": "Thu, 05 Nov 2026 10:15:00 +0000",
  "direction": "outbound-api",
  "error_code": null,
  "error_message": null,
  "from": "+15005550006",
  "messaging_service_sid": null,
  "num_media": "0",
  "num_segments": "1",
  "price": null,
  "price_unit": "USD",
  "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
  "status": "queued",
  "subresource_uris": {"media": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f/Media.json"},
  "to": "+37126123456",
  "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json"
}`

// errorAnswer is Twilio's error body.
func errorAnswer(status, code int, message string) string {
	return fmt.Sprintf(`{"code": %d, "message": %q, "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}`,
		code, message, code, status)
}

// fakeTwilio is a local stand-in for api.twilio.com that checks every
// request against the documented Messages API and answers as told.
type fakeTwilio struct {
	t       *testing.T
	want    url.Values // the exact form expected
	status  int
	header  http.Header
	body    string
	calls   atomic.Int32
	srv     *httptest.Server
	gotBody atomic.Value // raw request body, string
}

func newFake(t *testing.T, want url.Values, status int, header http.Header, body string) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{t: t, want: want, status: status, header: header, body: body}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	t := f.t
	if r.Method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.Method)
	}
	if want := "/2010-04-01/Accounts/" + testSID + "/Messages.json"; r.URL.Path != want {
		t.Errorf("path = %q, want %q", r.URL.Path, want)
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query = %q, want none", r.URL.RawQuery)
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != testSID || pass != testToken {
		t.Errorf("basic auth = %q:%q (%v), want the account SID and auth token", user, pass, ok)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("read body: %v", err)
	}
	f.gotBody.Store(string(raw))
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		t.Errorf("body %q is not form-encoded: %v", raw, err)
	}
	if f.want != nil && !maps.EqualFunc(form, f.want, slices.Equal) {
		t.Errorf("form = %v, want %v", form, f.want)
	}
	for k, v := range f.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func newClient(t *testing.T, baseURL string, edit func(*Config)) *Client {
	t.Helper()
	cfg := Config{AccountSID: testSID, AuthToken: testToken, From: testFrom, BaseURL: baseURL}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendRoundTripsUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		text    string
		service bool // send through the Messaging Service instead of From
	}{
		{"russian from number", "Заказ 1042 отправлен", false},
		{"latvian from number", "Pasūtījums nosūtīts", false},
		{"russian via messaging service", "Заказ 1042 отправлен. Спасибо!", true},
		{"latvian via messaging service", "Jūsu pasūtījums ir ceļā — gaidiet kurjeru rīt.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := url.Values{"To": {"+37126123456"}, "Body": {tt.text}}
			if tt.service {
				want.Set("MessagingServiceSid", testService)
			} else {
				want.Set("From", testFrom)
			}
			f := newFake(t, want, http.StatusCreated, nil, createdAnswer)
			c := newClient(t, f.srv.URL, func(cfg *Config) {
				if tt.service {
					cfg.From, cfg.MessagingServiceSID = "", testService
				}
			})
			err := c.Send(context.Background(), notify.Message{ID: "order-1042.shipped", To: "+37126123456", Text: tt.text, Transactional: true})
			if err != nil {
				t.Fatal(err)
			}
			if n := f.calls.Load(); n != 1 {
				t.Errorf("Twilio saw %d requests, want 1", n)
			}
			// The text is percent-encoded UTF-8 on the wire, not some
			// other charset.
			raw := f.gotBody.Load().(string)
			if enc := url.QueryEscape(tt.text); !strings.Contains(raw, "Body="+enc) {
				t.Errorf("raw body %q does not carry Body=%s", raw, enc)
			}
		})
	}
}

func TestSendClassifiesAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		throttled bool
		wait      time.Duration // when throttled
		permanent bool
		code      int // Twilio code expected in *Error; 0 = none
	}{
		{
			name: "429 with Retry-After seconds", status: 429,
			header:    http.Header{"Retry-After": {"7"}},
			body:      errorAnswer(429, 20429, "Too Many Requests"),
			throttled: true, wait: 7 * time.Second, code: 20429,
		},
		{
			name: "429 without Retry-After", status: 429,
			body:      errorAnswer(429, 20429, "Too Many Requests"),
			throttled: true, wait: notify.DefaultRetryAfter, code: 20429,
		},
		{
			name: "429 with Retry-After date", status: 429,
			header: http.Header{
				"Date":        {"Thu, 05 Nov 2026 10:15:00 GMT"},
				"Retry-After": {"Thu, 05 Nov 2026 10:17:30 GMT"},
			},
			body:      errorAnswer(429, 20429, "Too Many Requests"),
			throttled: true, wait: 150 * time.Second, code: 20429,
		},
		{
			name: "429 with unusable Retry-After", status: 429,
			header:    http.Header{"Retry-After": {"soon"}},
			body:      "",
			throttled: true, wait: notify.DefaultRetryAfter,
		},
		{
			name: "429 with Retry-After zero", status: 429,
			header:    http.Header{"Retry-After": {"0"}},
			body:      errorAnswer(429, 20429, "Too Many Requests"),
			throttled: true, wait: time.Second, code: 20429,
		},
		{
			name: "code 20429 under another status", status: 503,
			body:      errorAnswer(503, 20429, "Too Many Requests"),
			throttled: true, wait: notify.DefaultRetryAfter, code: 20429,
		},
		{
			name: "21211 invalid To", status: 400,
			body:      errorAnswer(400, 21211, "The 'To' number +3712612345 is not a valid phone number."),
			permanent: true, code: 21211,
		},
		{
			name: "21614 not a mobile number", status: 400,
			body:      errorAnswer(400, 21614, "'To' number is not a valid mobile number"),
			permanent: true, code: 21614,
		},
		{
			name: "21610 unsubscribed", status: 400,
			body:      errorAnswer(400, 21610, "Attempt to send to unsubscribed recipient"),
			permanent: true, code: 21610,
		},
		{
			name: "21408 region not enabled", status: 400,
			body:      errorAnswer(400, 21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +37126123456."),
			permanent: true, code: 21408,
		},
		{
			name: "401 bad credentials", status: 401,
			header: http.Header{"Www-Authenticate": {`Basic realm="Twilio API"`}},
			body:   errorAnswer(401, 20003, "Authenticate"),
			code:   20003,
		},
		{
			name: "403 forbidden", status: 403,
			body: errorAnswer(403, 20003, "Permission Denied"),
			code: 20003,
		},
		{
			name: "other 400: From not SMS-capable", status: 400,
			body: errorAnswer(400, 21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account"),
			code: 21606,
		},
		{
			name: "500", status: 500,
			body: errorAnswer(500, 20500, "Internal Server Error"),
			code: 20500,
		},
		{
			name: "502 from a gateway", status: 502,
			body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
		},
		{
			name: "201 with a malformed body", status: 201,
			body: `{"sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f", "status": `,
		},
		{
			name: "201 without a sid", status: 201,
			body: `{"status": "queued"}`,
		},
		{
			name: "200 from a proxy", status: 200,
			body: "<html><title>Login</title></html>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, nil, tt.status, tt.header, tt.body)
			c := newClient(t, f.srv.URL, nil)
			err := c.Send(context.Background(), notify.Message{ID: "m-1", To: "+37126123456", Text: "Pasūtījums nosūtīts"})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			wait, throttled := notify.IsThrottled(err)
			if throttled != tt.throttled || notify.IsPermanent(err) != tt.permanent {
				t.Errorf("err = %v: throttled %v permanent %v, want %v %v",
					err, throttled, notify.IsPermanent(err), tt.throttled, tt.permanent)
			}
			if throttled && wait != tt.wait {
				t.Errorf("RetryAfter = %v, want %v", wait, tt.wait)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, does not wrap *Error", err)
			}
			if te.HTTPStatus != tt.status || te.Code != tt.code {
				t.Errorf("Error = HTTP %d code %d, want %d %d", te.HTTPStatus, te.Code, tt.status, tt.code)
			}
			if !strings.HasPrefix(err.Error(), "send sms m-1: ") {
				t.Errorf("err = %q does not name the operation and message", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("err = %q reveals the auth token", err)
			}
		})
	}
}

func TestSendRefusesBeforeRequest(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil, http.StatusCreated, nil, createdAnswer)
	c := newClient(t, f.srv.URL, nil)
	tests := []struct {
		name      string
		to, text  string
		invalid   bool // wraps notify.ErrInvalidMessage
		permanent bool
	}{
		{"no to", "", "Pasūtījums nosūtīts", true, false},
		{"no text", "+37126123456", "", true, false},
		{"text too long", "+37126123456", strings.Repeat("ж", MaxBodyLength+1), true, false},
		{"national number", "26123456", "t", false, true},
		{"spaces", "+371 2612 3456", "t", false, true},
		{"leading zero", "+0371261234", "t", false, true},
		{"too long", "+3712612345678901", "t", false, true},
		{"e-mail address", "anna@example.lv", "t", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Send(context.Background(), notify.Message{ID: "m-2", To: tt.to, Text: tt.text})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if errors.Is(err, notify.ErrInvalidMessage) != tt.invalid || notify.IsPermanent(err) != tt.permanent {
				t.Errorf("err = %v: invalid %v permanent %v, want %v %v",
					err, errors.Is(err, notify.ErrInvalidMessage), notify.IsPermanent(err), tt.invalid, tt.permanent)
			}
		})
	}
	// The longest text Twilio takes still goes.
	if err := c.Send(context.Background(), notify.Message{To: "+37126123456", Text: strings.Repeat("ž", MaxBodyLength)}); err != nil {
		t.Errorf("text of %d characters: %v", MaxBodyLength, err)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("Twilio saw %d requests, want 1", n)
	}
}

func TestSendContextCancelled(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := newClient(t, srv.URL, nil)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- c.Send(ctx, notify.Message{ID: "m-3", To: "+37126123456", Text: "Заказ 1042 отправлен"})
	}()
	<-arrived
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, throttled := notify.IsThrottled(err); throttled || notify.IsPermanent(err) {
		t.Errorf("cancellation classified: %v", err)
	}

	// An already cancelled context sends nothing.
	var calls atomic.Int32
	idle := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
	t.Cleanup(idle.Close)
	c = newClient(t, idle.URL, nil)
	err = c.Send(ctx, notify.Message{ID: "m-4", To: "+37126123456", Text: "t"})
	if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
		t.Errorf("err = %v after %d requests, want context.Canceled and none", err, calls.Load())
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there any more
	c := newClient(t, base, nil)
	err := c.Send(context.Background(), notify.Message{ID: "m-5", To: "+37126123456", Text: "t"})
	if err == nil {
		t.Fatal("Send succeeded")
	}
	if _, throttled := notify.IsThrottled(err); throttled || notify.IsPermanent(err) || errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("err = %v, want a plain error", err)
	}
}

func TestNewConfigErrors(t *testing.T) {
	t.Parallel()
	ok := Config{AccountSID: testSID, AuthToken: testToken, From: testFrom}
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
		code  string
	}{
		{"no account sid", func(c *Config) { c.AccountSID = "" }, "channels.sms.account_sid", "required"},
		{"account sid of another kind", func(c *Config) { c.AccountSID = "SK0123456789abcdef0123456789abcdef" }, "channels.sms.account_sid", "invalid"},
		{"account sid with a slash", func(c *Config) { c.AccountSID = "AC0123456789abcdef0123456789abcd/e" }, "channels.sms.account_sid", "invalid"},
		{"no auth token", func(c *Config) { c.AuthToken = "" }, "channels.sms.auth_token", "required"},
		{"no sender", func(c *Config) { c.From = "" }, "channels.sms.from", "required"},
		{"both senders", func(c *Config) { c.MessagingServiceSID = testService }, "channels.sms.from", "conflict"},
		{"from with spaces", func(c *Config) { c.From = " +15005550006" }, "channels.sms.from", "invalid"},
		{"bad messaging service sid", func(c *Config) { c.From, c.MessagingServiceSID = "", "MG123" }, "channels.sms.messaging_service_sid", "invalid"},
		{"base url without scheme", func(c *Config) { c.BaseURL = "api.twilio.com" }, "channels.sms.base_url", "invalid"},
		{"base url ftp", func(c *Config) { c.BaseURL = "ftp://api.twilio.com" }, "channels.sms.base_url", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			_, err := New(cfg)
			if err == nil {
				t.Fatal("New accepted the config")
			}
			ie, found := invalid.First(err)
			if !found || ie.Field != tt.field || ie.Code != tt.code {
				t.Errorf("err = %v, want %s %s", err, tt.field, tt.code)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("err = %q reveals the auth token", err)
			}
		})
	}
	// Every missing field is reported at once.
	_, err := New(Config{})
	var list invalid.List
	if !errors.As(err, &list) || len(list) != 3 {
		t.Errorf("New(Config{}) = %v, want three errors", err)
	}
	c, err := New(ok)
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel() != "sms" {
		t.Errorf("Channel() = %q", c.Channel())
	}
	if c.http.Timeout != DefaultTimeout {
		t.Errorf("default client timeout = %v, want %v", c.http.Timeout, DefaultTimeout)
	}
	if want := DefaultBaseURL + "/2010-04-01/Accounts/" + testSID + "/Messages.json"; c.endpoint != want {
		t.Errorf("endpoint = %q, want %q", c.endpoint, want)
	}
}

func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, createdAnswer)
	}))
	b.Cleanup(srv.Close)
	c, err := New(Config{AccountSID: testSID, AuthToken: testToken, From: testFrom, BaseURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	m := notify.Message{ID: "bench", To: "+37126123456", Text: "Заказ 1042 отправлен. Pasūtījums nosūtīts."}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Send(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}
