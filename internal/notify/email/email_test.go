package email

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
)

// testServer is a real SMTP server on 127.0.0.1 that records what it is given.
type testServer struct {
	addr string
	user string // AUTH PLAIN user the server accepts; "" = no AUTH offered
	pass string
	keep bool // record DATA; false for benchmarks

	mu        sync.Mutex
	rcptReply map[string]*smtp.SMTPError // RCPT answers by address
	received  []received
	auths     []string // "user:pass" of each successful AUTH
	tlsSeen   []bool   // whether each delivered message came over TLS
	conns     []*smtp.Conn
	active    int
	maxActive int
	sessions  int
}

type received struct {
	from string
	to   []string
	data []byte
}

type testSession struct {
	srv  *testServer
	conn *smtp.Conn
	from string
	to   []string
}

func (s *testServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active++
	s.sessions++
	s.maxActive = max(s.maxActive, s.active)
	s.conns = append(s.conns, c)
	return &testSession{srv: s, conn: c}, nil
}

func (ss *testSession) AuthMechanisms() []string {
	if ss.srv.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *testSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.srv.user || pass != ss.srv.pass {
			return smtp.ErrAuthFailed
		}
		ss.srv.mu.Lock()
		ss.srv.auths = append(ss.srv.auths, user+":"+pass)
		ss.srv.mu.Unlock()
		return nil
	}), nil
}

func (ss *testSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.srv.mu.Lock()
	reply := ss.srv.rcptReply[to]
	ss.srv.mu.Unlock()
	if reply != nil {
		return reply
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *testSession) Data(r io.Reader) error {
	var data []byte
	if ss.srv.keep {
		var err error
		if data, err = io.ReadAll(r); err != nil {
			return err
		}
	} else if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.srv.mu.Lock()
	ss.srv.received = append(ss.srv.received, received{from: ss.from, to: ss.to, data: data})
	ss.srv.tlsSeen = append(ss.srv.tlsSeen, isTLS)
	ss.srv.mu.Unlock()
	return nil
}

func (ss *testSession) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *testSession) Logout() error {
	ss.srv.mu.Lock()
	ss.srv.active--
	ss.srv.mu.Unlock()
	return nil
}

// startServer starts srv on 127.0.0.1:0 and stops it when the test ends.
func startServer(tb testing.TB, srv *testServer, tlsConfig *tls.Config) *testServer {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.TLSConfig = tlsConfig
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	srv.addr = l.Addr().String()
	go func() { _ = s.Serve(l) }()
	tb.Cleanup(func() { _ = s.Close() })
	return srv
}

func (s *testServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func newTestEmail(tb testing.TB, cfg Config) *Client {
	tb.Helper()
	if cfg.From == "" {
		cfg.From = "Магазин Берёзка <shop@example.com>"
	}
	e, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = e.Close() })
	return e
}

// parsedMail is a received message taken apart the way a mail reader would.
type parsedMail struct {
	header mail.Header
	text   string
	html   string
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	p := parsedMail{header: msg.Header}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		p.text = decodeBody(t, msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		return p
	}
	if mediaType != "multipart/alternative" {
		t.Fatalf("content type %q, want multipart/alternative", mediaType)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		// NextRawPart leaves the transfer encoding to us, so the test
		// checks what was really on the wire.
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		ct, ctParams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part content type: %v", err)
		}
		if cs := strings.ToLower(ctParams["charset"]); cs != "utf-8" {
			t.Errorf("part %s charset %q, want utf-8", ct, cs)
		}
		body := decodeBody(t, part.Header.Get("Content-Transfer-Encoding"), part)
		switch ct {
		case "text/plain":
			p.text = body
		case "text/html":
			p.html = body
		default:
			t.Errorf("unexpected part %q", ct)
		}
	}
	return p
}

func decodeBody(t *testing.T, encoding string, r io.Reader) string {
	t.Helper()
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	case "", "7bit", "8bit":
	default:
		t.Fatalf("unexpected transfer encoding %q", encoding)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s body: %v", encoding, err)
	}
	// Mail lines end in CRLF on the wire; the message was written with LF.
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func TestEmailSendRussianAndLatvianRoundTrip(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{user: "shop", pass: "s3cr&t", keep: true}, nil)
	sent := time.Date(2026, 11, 3, 14, 5, 0, 0, time.UTC)
	e := newTestEmail(t, Config{
		URL:   "smtp://shop:s3cr%26t@" + srv.addr,
		Clock: clock.NewFake(sent),
	})
	m := notify.Message{
		ID:            "order-1001.shipped",
		To:            "andrey@example.ru",
		ToName:        "Андрей Петров",
		Subject:       "Ваш заказ 1001 отправлен",
		Text:          "Здравствуйте, Андрей!\nВаш заказ 1001 отправлен. Jūsu pasūtījums ir nosūtīts — ceļā.\n",
		HTML:          "<p>Здравствуйте, Андрей!</p><p>Jūsu pasūtījums ir nosūtīts — <b>ceļā</b>.</p>",
		Transactional: true,
	}
	if err := e.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}

	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if got[0].from != "shop@example.com" || len(got[0].to) != 1 || got[0].to[0] != "andrey@example.ru" {
		t.Errorf("envelope = %q → %q", got[0].from, got[0].to)
	}
	if len(srv.auths) != 1 || srv.auths[0] != "shop:s3cr&t" {
		t.Errorf("AUTH PLAIN seen = %q, want [shop:s3cr&t]", srv.auths)
	}

	p := parseMail(t, got[0].data)
	subject, err := new(mime.WordDecoder).DecodeHeader(p.header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != m.Subject {
		t.Errorf("subject = %q, want %q", subject, m.Subject)
	}
	if raw := p.header.Get("Subject"); !strings.HasPrefix(raw, "=?") {
		t.Errorf("raw subject %q is not RFC 2047 encoded", raw)
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Андрей Петров" || to[0].Address != m.To {
		t.Errorf("To = %v (%v), want Андрей Петров <%s>", to, err, m.To)
	}
	from, err := p.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Магазин Берёзка" || from[0].Address != "shop@example.com" {
		t.Errorf("From = %v (%v)", from, err)
	}
	if id := p.header.Get("Message-ID"); id != "<order-1001.shipped@shopcare>" {
		t.Errorf("Message-ID = %q", id)
	}
	if date, err := p.header.Date(); err != nil || !date.Equal(sent) {
		t.Errorf("Date = %v (%v), want %v", date, err, sent)
	}
	if p.text != m.Text {
		t.Errorf("text = %q, want %q", p.text, m.Text)
	}
	if p.html != m.HTML {
		t.Errorf("html = %q, want %q", p.html, m.HTML)
	}
	if p.header.Get("List-Unsubscribe") != "" {
		t.Error("transactional message carries List-Unsubscribe")
	}
}

func TestEmailUnsubscribeHeaders(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{keep: true}, nil)
	e := newTestEmail(t, Config{URL: "smtp://" + srv.addr})
	ctx := context.Background()

	marketing := notify.Message{
		ID: "promo-1", To: "anna@example.lv", Subject: "Atlaides", Text: "Atlaides līdz 30%",
		Unsubscribe: "https://shop.example/u/abc123",
	}
	if err := e.Send(ctx, marketing); err != nil {
		t.Fatal(err)
	}
	transactional := notify.Message{ID: "order-7", To: "anna@example.lv", Subject: "Pasūtījums", Text: "Paldies", Transactional: true}
	if err := e.Send(ctx, transactional); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want 2", len(got))
	}
	pm := parseMail(t, got[0].data)
	if h := pm.header.Get("List-Unsubscribe"); h != "<https://shop.example/u/abc123>" {
		t.Errorf("List-Unsubscribe = %q", h)
	}
	if h := pm.header.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", h)
	}
	pt := parseMail(t, got[1].data)
	if pt.header.Get("List-Unsubscribe") != "" || pt.header.Get("List-Unsubscribe-Post") != "" {
		t.Error("transactional message carries List-Unsubscribe headers")
	}
	// A single-part body ends with the line break that ends its last line.
	if pt.html != "" || pt.text != "Paldies\n" {
		t.Errorf("text-only message: text %q html %q", pt.text, pt.html)
	}
}

// TestEmailUnsubscribeOverHTTP (issue 17.10): with an http public address
// a marketing message still goes, naming its link (and the mailto address
// when one is set) in List-Unsubscribe but without RFC 8058's one-click
// header, which needs https.
func TestEmailUnsubscribeOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{keep: true}, nil)
	tests := []struct {
		name, mailto, want string
	}{
		{"link only", "", "<http://shop.example/u/abc123>"},
		{"mailto and link", "unsubscribe@shop.example", "<mailto:unsubscribe@shop.example?subject=unsubscribe>, <http://shop.example/u/abc123>"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEmail(t, Config{URL: "smtp://" + srv.addr, UnsubscribeMailto: tt.mailto})
			m := notify.Message{ID: fmt.Sprintf("promo-%d", i), To: "anna@example.lv", Subject: "Atlaides", Text: "Atlaides",
				Unsubscribe: "http://shop.example/u/abc123"}
			if err := e.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			got := srv.messages()
			pm := parseMail(t, got[len(got)-1].data)
			if h := pm.header.Get("List-Unsubscribe"); h != tt.want {
				t.Errorf("List-Unsubscribe = %q, want %q", h, tt.want)
			}
			if h := pm.header.Get("List-Unsubscribe-Post"); h != "" {
				t.Errorf("List-Unsubscribe-Post = %q over http, want none", h)
			}
		})
	}
	if _, err := New(Config{URL: "smtp://" + srv.addr, From: "shop@example.com", UnsubscribeMailto: "not an address"}); err == nil ||
		!strings.Contains(err.Error(), "unsubscribe_mailto") {
		t.Errorf("a bad mailto address: %v", err)
	}
}

func TestEmailRefusesBeforeDialing(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{keep: true}, nil)
	e := newTestEmail(t, Config{URL: "smtp://" + srv.addr})
	ok := notify.Message{ID: "m-1", To: "a@example.com", Subject: "s", Text: "t", Unsubscribe: "https://x.example/u"}
	tests := []struct {
		name      string
		edit      func(*notify.Message)
		invalid   bool // wraps notify.ErrInvalidMessage
		permanent bool
	}{
		{"marketing without unsubscribe", func(m *notify.Message) { m.Unsubscribe = "" }, true, false},
		{"unsubscribe not http(s)", func(m *notify.Message) { m.Unsubscribe = "ftp://x.example/u" }, true, false},
		{"no id", func(m *notify.Message) { m.ID = "" }, true, false},
		{"id with brackets", func(m *notify.Message) { m.ID = "a>b" }, true, false},
		{"no text", func(m *notify.Message) { m.Text = "" }, true, false},
		{"malformed address", func(m *notify.Message) { m.To = "not an address" }, false, true},
		{"address with a name", func(m *notify.Message) { m.To = "A <a@example.com>" }, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			err := e.Send(context.Background(), m)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if errors.Is(err, notify.ErrInvalidMessage) != tt.invalid || notify.IsPermanent(err) != tt.permanent {
				t.Errorf("err = %v: invalid %v permanent %v, want %v %v",
					err, errors.Is(err, notify.ErrInvalidMessage), notify.IsPermanent(err), tt.invalid, tt.permanent)
			}
		})
	}
	if n := srv.sessions; n != 0 {
		t.Errorf("server saw %d connections, want 0", n)
	}
	if err := e.Send(context.Background(), notify.Message{ID: "m-2", To: "a@example.com", Text: "t"}); !strings.Contains(fmt.Sprint(err), "unsubscribe") {
		t.Errorf("refusal does not name the field: %v", err)
	}
}

func TestEmailRcptReplies(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{keep: true, rcptReply: map[string]*smtp.SMTPError{}}, nil)
	e := newTestEmail(t, Config{URL: "smtp://" + srv.addr, Connections: 1})
	tests := []struct {
		code      int
		throttled bool
		permanent bool
	}{
		{450, true, false},
		{421, true, false},
		{451, true, false},
		{452, true, false},
		{454, true, false},
		{550, false, true},
		{553, false, true},
		{501, false, true},
		{441, false, false}, // other 4xx: temporary
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			to := fmt.Sprintf("r%d@example.com", tt.code)
			srv.mu.Lock()
			srv.rcptReply[to] = &smtp.SMTPError{Code: tt.code, Message: "no"}
			srv.mu.Unlock()
			before := len(srv.messages())
			err := e.Send(context.Background(), notify.Message{ID: fmt.Sprint("m", tt.code), To: to, Text: "t", Transactional: true})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			wait, throttled := notify.IsThrottled(err)
			if throttled != tt.throttled || notify.IsPermanent(err) != tt.permanent {
				t.Errorf("err = %v: throttled %v permanent %v, want %v %v",
					err, throttled, notify.IsPermanent(err), tt.throttled, tt.permanent)
			}
			if throttled && wait != notify.DefaultRetryAfter {
				t.Errorf("RetryAfter = %v", wait)
			}
			if n := len(srv.messages()); n != before {
				t.Errorf("message recorded as delivered")
			}
		})
	}
	// The connection stays usable after refused recipients.
	if err := e.Send(context.Background(), notify.Message{ID: "after", To: "ok@example.com", Text: "t", Transactional: true}); err != nil {
		t.Fatalf("send after refusals: %v", err)
	}
}

func TestEmailConcurrentSendsShareThePool(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{keep: true}, nil)
	e := newTestEmail(t, Config{URL: "smtp://" + srv.addr, Connections: 4})
	const total, workers = 50, 8
	jobs := make(chan int)
	errs := make(chan error, total)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				errs <- e.Send(context.Background(), notify.Message{
					ID: fmt.Sprint("bulk-", i), To: fmt.Sprintf("c%d@example.com", i),
					Subject: fmt.Sprint("Заказ ", i), Text: "Jūsu pasūtījums", Transactional: true,
				})
			}
		})
	}
	for i := range total {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got := srv.messages()
	ids := map[string]bool{}
	for _, r := range got {
		msg, err := mail.ReadMessage(bytes.NewReader(r.data))
		if err != nil {
			t.Fatal(err)
		}
		ids[msg.Header.Get("Message-ID")] = true
	}
	if len(got) != total || len(ids) != total {
		t.Errorf("received %d messages with %d distinct ids, want %d", len(got), len(ids), total)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.maxActive > 4 {
		t.Errorf("server saw %d concurrent connections, want at most 4", srv.maxActive)
	}
	t.Logf("%d connections opened, at most %d at once", srv.sessions, srv.maxActive)
}

func TestEmailRedialsDroppedConnection(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{keep: true}, nil)
	e := newTestEmail(t, Config{URL: "smtp://" + srv.addr, Connections: 1})
	send := func(id string) error {
		return e.Send(context.Background(), notify.Message{ID: id, To: "a@example.com", Text: "t", Transactional: true})
	}
	if err := send("first"); err != nil {
		t.Fatal(err)
	}
	// The server drops the idle pooled connection, as one does after its
	// idle timeout.
	// Close outside srv.mu: closing calls Logout, which takes it.
	srv.mu.Lock()
	conns := append([]*smtp.Conn(nil), srv.conns...)
	srv.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
	if err := send("second"); err != nil {
		t.Fatalf("send after the server dropped the connection: %v", err)
	}
	if n := len(srv.messages()); n != 2 {
		t.Errorf("received %d messages, want 2", n)
	}
}

func TestEmailSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := startServer(t, &testServer{user: "shop", pass: "pw", keep: true}, selfSignedTLS(t))
	e := newTestEmail(t, Config{URL: "smtp://shop:pw@" + srv.addr + "?tls=required", InsecureSkipVerify: true})
	if err := e.Send(context.Background(), notify.Message{ID: "tls-1", To: "a@example.com", Text: "t", Transactional: true}); err != nil {
		t.Fatal(err)
	}
	if len(srv.tlsSeen) != 1 || !srv.tlsSeen[0] {
		t.Errorf("message did not arrive over TLS: %v", srv.tlsSeen)
	}

	// tls=required refuses a server without STARTTLS, and sends nothing.
	plain := startServer(t, &testServer{keep: true}, nil)
	e = newTestEmail(t, Config{URL: "smtp://" + plain.addr + "?tls=required"})
	if err := e.Send(context.Background(), notify.Message{ID: "tls-2", To: "a@example.com", Text: "t", Transactional: true}); err == nil {
		t.Error("tls=required sent over a server without STARTTLS")
	}
	if n := len(plain.messages()); n != 0 {
		t.Errorf("plain server received %d messages", n)
	}
}

func selfSignedTLS(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
}

func TestNewEmailConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"http scheme", Config{URL: "http://x", From: "a@example.com"}, "channels.email.smtp_url"},
		{"no host", Config{URL: "smtp://", From: "a@example.com"}, "channels.email.smtp_url"},
		{"empty", Config{URL: "", From: "a@example.com"}, "channels.email.smtp_url"},
		{"bad port", Config{URL: "smtp://h:99999", From: "a@example.com"}, "channels.email.smtp_url"},
		{"bad tls option", Config{URL: "smtp://h?tls=maybe", From: "a@example.com"}, "channels.email.smtp_url"},
		{"unknown option", Config{URL: "smtp://h?foo=1", From: "a@example.com"}, "channels.email.smtp_url"},
		{"bad from", Config{URL: "smtp://h", From: "Shop shop.example.com"}, "channels.email.from"},
		{"empty from", Config{URL: "smtps://h", From: ""}, "channels.email.from"},
		{"negative connections", Config{URL: "smtp://h", From: "a@example.com", Connections: -1}, "channels.email.connections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil {
				t.Fatal("New accepted the config")
			}
			ie, ok := invalid.First(err)
			if !ok || ie.Field != tt.field || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("err = %v, want one naming %s", err, tt.field)
			}
		})
	}
	// The password never appears in an error.
	_, err := New(Config{URL: "smtp://u:hunter2@h:99999", From: "a@example.com"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v", err)
	}
}

func TestThrottledAndPermanentHelpers(t *testing.T) {
	t.Parallel()
	base := errors.New("x")
	wrapped := fmt.Errorf("send: %w", &notify.ThrottledError{RetryAfter: time.Minute, Err: base})
	if d, ok := notify.IsThrottled(wrapped); !ok || d != time.Minute || !errors.Is(wrapped, base) {
		t.Errorf("IsThrottled = %v %v", d, ok)
	}
	if notify.IsPermanent(wrapped) {
		t.Error("throttled error is permanent")
	}
	perm := fmt.Errorf("send: %w", &notify.PermanentError{Err: base})
	if !notify.IsPermanent(perm) || !errors.Is(perm, base) {
		t.Error("IsPermanent false")
	}
	if _, ok := notify.IsThrottled(base); ok || notify.IsPermanent(base) {
		t.Error("plain error classified")
	}
}

func BenchmarkEmailSend(b *testing.B) {
	srv := startServer(b, &testServer{}, nil)
	e := newTestEmail(b, Config{URL: "smtp://" + srv.addr, Connections: 4})
	var seq atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			err := e.Send(context.Background(), notify.Message{
				ID: fmt.Sprint("bench-", i), To: "andrey@example.ru", ToName: "Андрей Петров",
				Subject: "Ваш заказ 1001 отправлен", Text: "Jūsu pasūtījums ir nosūtīts.\nСпасибо за заказ!",
				HTML: "<p>Jūsu pasūtījums ir nosūtīts.</p><p>Спасибо за заказ!</p>", Transactional: true,
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
