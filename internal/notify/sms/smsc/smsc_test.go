package smsc

import (
	"context"
	"errors"
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
	testLogin    = "berezka"
	testPassword = "s3cr&t=pa ss" // characters that must survive form encoding
)

// fakeSMSC is a local stand-in for smsc.ru that checks every request
// against the documented /sys/send.php parameters and answers as told.
type fakeSMSC struct {
	t       *testing.T
	want    url.Values // the exact form expected; nil = do not check
	status  int
	header  http.Header
	body    string
	calls   atomic.Int32
	srv     *httptest.Server
	gotBody atomic.Value // raw request body, string
}

func newFake(t *testing.T, want url.Values, status int, header http.Header, body string) *fakeSMSC {
	t.Helper()
	f := &fakeSMSC{t: t, want: want, status: status, header: header, body: body}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSMSC) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	t := f.t
	if r.Method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.Method)
	}
	if r.URL.Path != "/sys/send.php" {
		t.Errorf("path = %q, want /sys/send.php", r.URL.Path)
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query = %q: the password must not travel in the URL", r.URL.RawQuery)
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
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func newClient(t *testing.T, baseURL string, edit func(*Config)) *Client {
	t.Helper()
	cfg := Config{Login: testLogin, Password: testPassword, BaseURL: baseURL}
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
		name   string
		text   string
		sender string
	}{
		{"russian, default sender", "Заказ 1042 отправлен", ""},
		{"latvian, default sender", "Pasūtījums nosūtīts", ""},
		{"russian with sender", "Заказ 1042 отправлен. Спасибо, что выбрали «Берёзку»!", "Berezka"},
		{"latvian with sender", "Jūsu pasūtījums ir ceļā — gaidiet kurjeru rīt.", "Berezka"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := url.Values{
				"login":   {testLogin},
				"psw":     {testPassword},
				"phones":  {"+37126123456"},
				"mes":     {tt.text},
				"charset": {"utf-8"},
				"fmt":     {"3"},
			}
			if tt.sender != "" {
				want.Set("sender", tt.sender)
			}
			f := newFake(t, want, http.StatusOK, nil, `{"id":6412,"cnt":1}`)
			c := newClient(t, f.srv.URL, func(cfg *Config) { cfg.Sender = tt.sender })
			err := c.Send(context.Background(), notify.Message{ID: "order-1042.shipped", To: "+37126123456", Text: tt.text, Transactional: true})
			if err != nil {
				t.Fatal(err)
			}
			if n := f.calls.Load(); n != 1 {
				t.Errorf("SMSC saw %d requests, want 1", n)
			}
			// The text is percent-encoded UTF-8 on the wire, as charset=utf-8
			// promises, not SMSC's default windows-1251.
			raw := f.gotBody.Load().(string)
			if enc := url.QueryEscape(tt.text); !strings.Contains(raw, "mes="+enc) {
				t.Errorf("raw body %q does not carry mes=%s", raw, enc)
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
		code      int // SMSC error_code expected in *Error
	}{
		{
			name: "error 9 duplicate", status: 200,
			body:      `{"error":"duplicate request, wait a minute","error_code":9}`,
			throttled: true, wait: DuplicateRetryAfter, code: CodeTooMany,
		},
		{
			name: "HTTP 429 with Retry-After", status: 429,
			header:    http.Header{"Retry-After": {"12"}, "Content-Type": {"text/html"}},
			body:      "<html><body>Too Many Requests</body></html>",
			throttled: true, wait: 12 * time.Second,
		},
		{
			name: "HTTP 429 without Retry-After", status: 429,
			body:      "",
			throttled: true, wait: notify.DefaultRetryAfter,
		},
		{
			name: "error 7 invalid number", status: 200,
			body:      `{"error":"invalid number","error_code":7,"id":6413}`,
			permanent: true, code: CodePhoneFormat,
		},
		{
			name: "error 8 cannot deliver", status: 200,
			body:      `{"error":"can't send message","error_code":8,"id":6414}`,
			permanent: true, code: CodeUndeliverable,
		},
		{
			name: "error 1 parameters", status: 200,
			body: `{"error":"parameters error","error_code":1}`,
			code: CodeParameters,
		},
		{
			name: "error 2 bad login", status: 200,
			body: `{"error":"authorise error","error_code":2}`,
			code: CodeLogin,
		},
		{
			name: "error 3 no money", status: 200,
			body: `{"error":"no money","error_code":3,"id":6415}`,
			code: CodeNoMoney,
		},
		{
			name: "error 4 IP blocked", status: 200,
			body: `{"error":"IP is blocked","error_code":4}`,
			code: CodeIPBlocked,
		},
		{
			name: "error 6 message denied", status: 200,
			body: `{"error":"message is denied","error_code":6,"id":6416}`,
			code: CodeDenied,
		},
		{
			name: "500", status: 500,
			header: http.Header{"Content-Type": {"text/html"}},
			body:   "<html><head><title>500 Internal Server Error</title></head></html>",
		},
		{
			name: "503", status: 503,
			body: "",
		},
		{
			name: "malformed body", status: 200,
			header: http.Header{"Content-Type": {"text/plain"}},
			body:   "OK - 1 SMS, ID - 6412", // the fmt=0 answer: fmt=3 was not honoured
		},
		{
			name: "truncated JSON", status: 200,
			body: `{"id":6412,"cn`,
		},
		{
			name: "JSON without id or error", status: 200,
			body: `{}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, nil, tt.status, tt.header, tt.body)
			c := newClient(t, f.srv.URL, nil)
			err := c.Send(context.Background(), notify.Message{ID: "m-1", To: "+79161234567", Text: "Заказ 1042 отправлен"})
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
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, does not wrap *Error", err)
			}
			if se.HTTPStatus != tt.status || se.Code != tt.code {
				t.Errorf("Error = HTTP %d code %d, want %d %d", se.HTTPStatus, se.Code, tt.status, tt.code)
			}
			if !strings.HasPrefix(err.Error(), "send sms m-1: ") {
				t.Errorf("err = %q does not name the operation and message", err)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("err = %q reveals the password", err)
			}
		})
	}
}

func TestSendRefusesBeforeRequest(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil, http.StatusOK, nil, `{"id":1,"cnt":1}`)
	c := newClient(t, f.srv.URL, nil)
	tests := []struct {
		name      string
		to, text  string
		invalid   bool // wraps notify.ErrInvalidMessage
		permanent bool
	}{
		{"no to", "", "Заказ 1042 отправлен", true, false},
		{"no text", "+79161234567", "", true, false},
		{"text too long", "+79161234567", strings.Repeat("я", MaxTextLength+1), true, false},
		{"national number", "89161234567", "t", false, true},
		{"two numbers", "+79161234567,+37126123456", "t", false, true},
		{"spaces", "+7 916 123-45-67", "t", false, true},
		{"group code", "G12", "t", false, true},
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
	if n := f.calls.Load(); n != 0 {
		t.Errorf("SMSC saw %d requests, want 0", n)
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
		done <- c.Send(ctx, notify.Message{ID: "m-3", To: "+37126123456", Text: "Pasūtījums nosūtīts"})
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
	if strings.Contains(err.Error(), testPassword) || strings.Contains(err.Error(), url.QueryEscape(testPassword)) {
		t.Errorf("err = %q reveals the password", err)
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there any more
	c := newClient(t, base, nil)
	err := c.Send(context.Background(), notify.Message{ID: "m-4", To: "+37126123456", Text: "t"})
	if err == nil {
		t.Fatal("Send succeeded")
	}
	if _, throttled := notify.IsThrottled(err); throttled || notify.IsPermanent(err) || errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("err = %v, want a plain error", err)
	}
}

func TestNewConfigErrors(t *testing.T) {
	t.Parallel()
	ok := Config{Login: testLogin, Password: testPassword}
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
		code  string
	}{
		{"no login", func(c *Config) { c.Login = "" }, "channels.sms.login", "required"},
		{"no password", func(c *Config) { c.Password = "" }, "channels.sms.password", "required"},
		{"sender with spaces", func(c *Config) { c.Sender = "Berezka " }, "channels.sms.sender", "invalid"},
		{"base url without scheme", func(c *Config) { c.BaseURL = "smsc.ru" }, "channels.sms.base_url", "invalid"},
		{"base url with query", func(c *Config) { c.BaseURL = "https://smsc.ru/?login=x" }, "channels.sms.base_url", "invalid"},
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
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("err = %q reveals the password", err)
			}
		})
	}
	_, err := New(Config{})
	var list invalid.List
	if !errors.As(err, &list) || len(list) != 2 {
		t.Errorf("New(Config{}) = %v, want two errors", err)
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
	if want := "https://smsc.ru/sys/send.php"; c.endpoint != want {
		t.Errorf("endpoint = %q, want %q", c.endpoint, want)
	}
	c, err = New(Config{Login: testLogin, Password: testPassword, BaseURL: "https://smsc.ua/"})
	if err != nil || c.endpoint != "https://smsc.ua/sys/send.php" {
		t.Errorf("smsc.ua endpoint = %q (%v)", c.endpoint, err)
	}
}

func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"id":6412,"cnt":1}`)
	}))
	b.Cleanup(srv.Close)
	c, err := New(Config{Login: testLogin, Password: testPassword, BaseURL: srv.URL})
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
