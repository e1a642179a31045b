package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// inboxRecorder is a Receiver that keeps each (channel, message id) once,
// as the conversations' service does.
type inboxRecorder struct {
	mu   sync.Mutex
	got  []inbox.Inbound
	seen map[string]bool
}

func (r *inboxRecorder) Receive(_ context.Context, in inbox.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if key := in.Channel + "\x00" + in.MessageID; !r.seen[key] {
		r.seen[key] = true
		r.got = append(r.got, in)
	}
	return nil
}

func (r *inboxRecorder) messages() []inbox.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]inbox.Inbound(nil), r.got...)
}

// shopOrigin is the shop's own site, allowed to embed the widget.
const shopOrigin = "https://shop.example"

// contactEnv is a started App with an inbox recorder, the web handler on
// a human clock the test moves, and the widget allowed on shopOrigin.
type contactEnv struct {
	*env
	inbox *inboxRecorder
	human *clock.Fake
}

func newContactEnv(t testing.TB, engine store.Engine, origins ...string) *contactEnv {
	t.Helper()
	origins = append([]string{shopOrigin + "/"}, origins...)
	a, clk := apptest.New(t, engine, false, "channels:", "  web:", "    widget_origins: ["+strings.Join(origins, ", ")+"]")
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := &inboxRecorder{}
	human := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(web.New(a, web.WithHumanClock(human), web.WithInboxReceiver(rec)))
	t.Cleanup(srv.Close)
	return &contactEnv{env: &env{app: a, clock: clk, srv: srv}, inbox: rec, human: human}
}

// do sends a request with a body and headers (name: value) without
// following redirects.
func (e *contactEnv) do(t testing.TB, method, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	client := *e.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

const formType = "Content-Type: application/x-www-form-urlencoded"

// TestContactFormOnTrackingPage: the tracking page's form, prefilled with
// the customer's name, hands the message to the inbox as the order's
// customer's, about the order, in their language, then shows the
// confirmation; a wrong form is shown again with what to correct and
// leaves nothing; a form from another site, or a robot's, leaves nothing.
func TestContactFormOnTrackingPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newContactEnv(t, engine)
			tok := placeOrders(t, e.env)
			o, err := order.GetByTrackingToken(context.Background(), e.app.DB.Read(), tok.making)
			if err != nil {
				t.Fatal(err)
			}
			path := "/t/" + tok.making
			status, _, page := e.get(t, "GET", path)
			if status != 200 || !strings.Contains(page, `<form method="post" class="contact-form">`) || !strings.Contains(page, `value="Андрей"`) ||
				!strings.Contains(page, i18n.Text(i18n.RU, "tracking.contact.intro_tracking", nil)) || strings.Contains(page, "t.me/") {
				t.Fatalf("tracking page without the form (or with a Telegram link and no bot):\n%s", page)
			}

			bad := []struct {
				name, body string
				status     int
				want       string
			}{
				{"no message", form("name", "Андрей", "message", "  "), 422, i18n.Text(i18n.RU, "tracking.contact.error.message_required", nil)},
				{"bad e-mail", form("message", "Где заказ?", "email", "andrei@"), 422, i18n.Text(i18n.RU, "tracking.contact.error.email", nil)},
				{"bad phone", form("message", "Где заказ?", "phone", "call me"), 422, i18n.Text(i18n.RU, "tracking.contact.error.phone", nil)},
				{"too long", form("message", strings.Repeat("ж", 4001)), 422, "4000"},
				{"control character", form("message", "Где\x00заказ?"), 422, i18n.Text(i18n.RU, "tracking.contact.error.text", nil)},
				{"name over the limit", form("message", "?", "name", strings.Repeat("a", 201)), 422, "200"},
			}
			for _, b := range bad {
				status, _, page := e.do(t, "POST", path, b.body, formType)
				if status != b.status || !strings.Contains(page, b.want) {
					t.Errorf("%s: %d, want %d with %q", b.name, status, b.status, b.want)
				}
			}
			if status, _, _ := e.do(t, "POST", path, form("message", "x"), formType,
				"Origin: https://evil.example", "Sec-Fetch-Site: cross-site"); status != http.StatusForbidden {
				t.Errorf("a form from another site: %d, want 403", status)
			}
			if status, _, _ := e.do(t, "POST", "/t/"+strings.Repeat("A", 43), form("message", "x"), formType); status != 404 {
				t.Errorf("an unknown token: %d, want 404", status)
			}
			if status, hd, _ := e.do(t, "POST", path, form("message", "Купите виагру", "website", "http://spam.example"), formType); status != 303 ||
				!strings.Contains(hd.Get("Location"), "contact=sent") {
				t.Errorf("honeypot: %d %s, want the same answer as a person gets", status, hd.Get("Location"))
			}
			if got := e.inbox.messages(); len(got) != 0 {
				t.Fatalf("refused forms reached the inbox: %+v", got)
			}

			for range 2 { // a double click: the page has no script, the server knows it by its text
				status, hd, _ := e.do(t, "POST", path, form("name", "Андрей", "message", "Можно доставить\r\nпосле 18:00?"), formType)
				if status != 303 || hd.Get("Location") != path+"?contact=sent#contact" {
					t.Fatalf("send: %d → %q", status, hd.Get("Location"))
				}
			}
			got := e.inbox.messages()
			if len(got) != 1 {
				t.Fatalf("inbox got %d messages, want 1: %+v", len(got), got)
			}
			want := inbox.Inbound{Channel: inbox.ChannelWeb, From: "andrei@example.com", FromName: "Андрей",
				Text: "Можно доставить\nпосле 18:00?", Visible: "Можно доставить\nпосле 18:00?",
				Language: "ru", CustomerID: o.Customer.ID, OrderID: o.ID}
			if g := got[0]; g.Channel != want.Channel || g.From != want.From || g.FromName != want.FromName || g.Text != want.Text ||
				g.Visible != want.Visible || !strings.HasPrefix(g.MessageID, "web:") || len(g.MessageID) < 20 || g.Language != want.Language ||
				g.CustomerID != want.CustomerID || g.OrderID != want.OrderID {
				t.Errorf("inbound %+v, want %+v", g, want)
			}
			_, _, page = e.get(t, "GET", path+"?contact=sent")
			if !strings.Contains(page, i18n.Text(i18n.RU, "tracking.contact.sent", nil)) {
				t.Errorf("no confirmation on the page")
			}
		})
	}
}

// widgetPost posts a JSON message to /contact from origin.
func (e *contactEnv) widgetPost(t testing.TB, origin string, body map[string]string, header ...string) (int, http.Header, map[string]any) {
	t.Helper()
	data, _ := json.Marshal(body)
	h := append([]string{"Content-Type: application/json"}, header...)
	if origin != "" {
		h = append(h, "Origin: "+origin)
	}
	status, hd, text := e.do(t, "POST", "/contact", string(data), h...)
	var ans map[string]any
	if err := json.Unmarshal([]byte(text), &ans); err != nil {
		t.Fatalf("answer %d is not JSON: %q", status, text)
	}
	return status, hd, ans
}

// TestContactWidget: the widget's script comes with its texts; the shop's
// site passes the CORS preflight and posts, another site does not; the
// answers are in the visitor's language; 4xx leaves nothing.
func TestContactWidget(t *testing.T) {
	t.Parallel()
	e := newContactEnv(t, store.SQLite)

	status, hd, js := e.get(t, "GET", "/widget.js")
	if status != 200 || !strings.HasPrefix(hd.Get("Content-Type"), "text/javascript") || strings.Contains(js, "/*TEXTS*/") ||
		!strings.Contains(js, "Написать нам") || !strings.Contains(js, "Rakstiet mums") || hd.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Fatalf("widget.js: %d %v", status, hd)
	}

	status, hd, _ = e.do(t, "OPTIONS", "/contact", "", "Origin: "+shopOrigin, "Access-Control-Request-Method: POST",
		"Access-Control-Request-Headers: content-type")
	if status != 204 || hd.Get("Access-Control-Allow-Origin") != shopOrigin || !strings.Contains(hd.Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Errorf("preflight from the shop: %d %v", status, hd)
	}
	status, hd, _ = e.do(t, "OPTIONS", "/contact", "", "Origin: https://evil.example", "Access-Control-Request-Method: POST")
	if status != 403 || hd.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another site: %d %v", status, hd)
	}

	msg := map[string]string{"name": "Līga", "email": "Liga@Example.lv", "message": "Vai varat piegādāt uz Liepāju?", "lang": "lv",
		"id": "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"}
	tests := []struct {
		name   string
		origin string
		change map[string]string
		header []string
		status int
		field  string
		text   string
	}{
		// Refused before the body is read: in the browser's language, else the shop's.
		{"another site", "https://evil.example", nil, nil, 403, "", i18n.Text(i18n.RU, "tracking.contact.error.origin", map[string]any{"Shop": "shopcare"})},
		{"no way to answer", shopOrigin, map[string]string{"email": ""}, nil, 422, "email", i18n.Text(i18n.LV, "tracking.contact.error.contact_required", nil)},
		{"no message", shopOrigin, map[string]string{"message": ""}, nil, 422, "message", i18n.Text(i18n.LV, "tracking.contact.error.message_required", nil)},
		{"bad e-mail", shopOrigin, map[string]string{"email": "liga at example"}, nil, 422, "email", i18n.Text(i18n.LV, "tracking.contact.error.email", nil)},
		{"too long, in Russian by the browser", shopOrigin, map[string]string{"message": strings.Repeat("ā", 4001), "lang": ""},
			[]string{"Accept-Language: ru-RU,ru;q=0.9"}, 422, "message", i18n.Text(i18n.RU, "tracking.contact.error.too_long", map[string]any{"Max": 4000})},
		{"honeypot", shopOrigin, map[string]string{"website": "http://spam.example"}, nil, 200, "", i18n.Text(i18n.LV, "tracking.contact.sent", nil)},
	}
	for _, tt := range tests {
		body := map[string]string{}
		for k, v := range msg {
			body[k] = v
		}
		for k, v := range tt.change {
			body[k] = v
		}
		status, _, ans := e.widgetPost(t, tt.origin, body, tt.header...)
		if status != tt.status || ans["message"] != tt.text || tt.field != "" && ans["field"] != tt.field {
			t.Errorf("%s: %d %v, want %d %q (%s)", tt.name, status, ans, tt.status, tt.text, tt.field)
		}
	}
	for _, raw := range []struct{ ct, body string }{{"application/json", `{"message":`}, {"application/json", `{"message":"a"} {}`},
		{"text/csv", "a,b"}} {
		if status, _, _ := e.do(t, "POST", "/contact", raw.body, "Content-Type: "+raw.ct, "Origin: "+shopOrigin); status != 400 {
			t.Errorf("%s %q: %d, want 400", raw.ct, raw.body, status)
		}
	}
	if status, _, _ := e.do(t, "POST", "/contact", `{"message":"`+strings.Repeat("a", 70<<10)+`"}`, "Content-Type: application/json"); status != 413 {
		t.Errorf("a body over the cap: %d, want 413", status)
	}
	if got := e.inbox.messages(); len(got) != 0 {
		t.Fatalf("refused posts reached the inbox: %+v", got)
	}

	status, hd, ans := e.widgetPost(t, shopOrigin, msg)
	if status != 200 || ans["ok"] != true || ans["message"] != i18n.Text(i18n.LV, "tracking.contact.sent", nil) ||
		hd.Get("Access-Control-Allow-Origin") != shopOrigin {
		t.Fatalf("post from the shop: %d %v %v", status, ans, hd)
	}
	status, _, _ = e.do(t, "POST", "/contact", form("name", "Sam", "phone", "+44 20 7946 0958", "message", "Hi there"), formType,
		"Accept-Language: en-GB")
	if status != 200 {
		t.Fatalf("form post: %d", status)
	}
	got := e.inbox.messages()
	if len(got) != 2 {
		t.Fatalf("inbox got %+v", got)
	}
	if g := got[0]; g.Channel != inbox.ChannelWeb || g.From != "liga@example.lv" || g.FromName != "Līga" || g.Language != "lv" ||
		g.MessageID != "web:"+msg["id"] || g.Text != msg["message"] || g.CustomerID != 0 || g.OrderID != 0 {
		t.Errorf("widget message %+v", g)
	}
	if g := got[1]; g.From != "+44 20 7946 0958" || g.Language != "en" || !strings.HasPrefix(g.MessageID, "web:") || len(g.MessageID) < 20 {
		t.Errorf("form message %+v", g)
	}
}

// TestContactRateLimit: five messages from one e-mail go through, the
// sixth waits (429 with Retry-After) until the human clock passes the
// wait; ten from one address with different e-mails go through, the
// eleventh waits. The shop's clock has nothing to do with it.
func TestContactRateLimit(t *testing.T) {
	t.Parallel()
	e := newContactEnv(t, store.SQLite)
	post := func(email string) (int, http.Header) {
		t.Helper()
		status, hd, _ := e.widgetPost(t, shopOrigin, map[string]string{"email": email, "message": "Sveiki", "lang": "en"})
		return status, hd
	}
	for i := range 5 {
		if status, _ := post("same@example.lv"); status != 200 {
			t.Fatalf("message %d: %d", i+1, status)
		}
	}
	status, hd := post("same@example.lv")
	if status != 429 || hd.Get("Retry-After") != "30" {
		t.Fatalf("sixth message: %d, Retry-After %q; want 429 and 30", status, hd.Get("Retry-After"))
	}
	e.clock.Advance(time.Hour) // the shop's clock does not lift it
	if status, _ := post("same@example.lv"); status != 429 {
		t.Errorf("after the shop's clock moved: %d, want still 429", status)
	}
	e.human.Advance(31 * time.Second)
	if status, _ := post("same@example.lv"); status != 200 {
		t.Errorf("after the wait: %d", status)
	}
	// The address has sent 6 of its 10 free; four more e-mails pass, the
	// next is held by the address's count.
	for i := range 4 {
		if status, _ := post("other" + string(rune('a'+i)) + "@example.lv"); status != 200 {
			t.Fatalf("other e-mail %d: %d", i, status)
		}
	}
	if status, _ := post("fresh@example.lv"); status != 429 {
		t.Errorf("eleventh message from one address: %d, want 429", status)
	}
	if got := len(e.inbox.messages()); got != 10 {
		t.Errorf("inbox got %d messages, want 10", got)
	}
}

// TestTelegramHookOff: without a receiving bot the hook's address does
// not exist.
func TestTelegramHookOff(t *testing.T) {
	t.Parallel()
	e := newContactEnv(t, store.SQLite)
	if status, _, _ := e.do(t, "POST", "/hooks/telegram", `{"update_id":1}`, "Content-Type: application/json"); status != 404 {
		t.Errorf("POST /hooks/telegram: %d, want 404", status)
	}
}
