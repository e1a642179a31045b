package mailin

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/shopcare/shopcare/internal/inbox"
)

// startListener serves a Listener for shop.lv on 127.0.0.1 until the test
// ends and returns its address.
func startListener(t *testing.T, r inbox.Receiver, maxBytes int64) string {
	t.Helper()
	l, err := NewListener(ListenerConfig{Domains: []string{"Shop.lv", "mail.shop.lv"}, MaxBytes: maxBytes, Receiver: r,
		Hostname: "mx.shop.lv", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// send delivers raw over SMTP as a mail server does and returns the
// error of the first step the listener refused.
func send(t *testing.T, addr, from string, to []string, raw string) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mx.gmail.test"); err != nil {
		return err
	}
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(raw)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// TestListenerRoundTrip sends real clients' messages over SMTP: each is
// parsed and handed on, To being the shop's address it was sent to.
func TestListenerRoundTrip(t *testing.T) {
	t.Parallel()
	r := newRecorder()
	addr := startListener(t, r, 0)
	for _, name := range []string{"gmail_ru_reply.eml", "thunderbird_ru_koi8r.eml", "postfix_dsn.eml"} {
		raw := string(fixture(t, name))
		if err := send(t, addr, "sender@example.lv", []string{"Hello@Shop.lv"}, raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	got := r.all()
	if len(got) != 3 {
		t.Fatalf("stored %d messages, want 3", len(got))
	}
	if got[0].Subject != "Re: Ваш заказ №1042 отправлен" || got[0].To != "hello@shop.lv" || got[0].From != "anna.petrova@gmail.com" ||
		!strings.HasPrefix(got[0].Visible, "Добрый день!") {
		t.Errorf("gmail message %+v", got[0])
	}
	if got[1].Subject != "Re: Заказ 9090 на таможне" {
		t.Errorf("KOI8-R subject %q", got[1].Subject)
	}
	if got[2].Auto != inbox.Bounce || got[2].Bounce == nil || got[2].Bounce.Recipient != "no.such.user@inbox.lv" {
		t.Errorf("bounce %+v", got[2])
	}
}

// TestListenerRefusesForeignRecipients: the listener is no open relay.
func TestListenerRefusesForeignRecipients(t *testing.T) {
	t.Parallel()
	r := newRecorder()
	addr := startListener(t, r, 0)
	raw := testMail("relay@example.lv")
	for _, to := range []string{"someone@gmail.com", "hello@shop.lv.evil.test", "hello@notshop.lv"} {
		if err := send(t, addr, "spammer@example.test", []string{to}, raw); smtpCode(err) != 550 {
			t.Errorf("RCPT %q: %v, want 550", to, err)
		}
	}
	// One good recipient among foreign ones: the good one is served.
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("a@example.lv", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("x@gmail.com", nil); smtpCode(err) != 550 {
		t.Errorf("foreign rcpt: %v", err)
	}
	if err := c.Rcpt("orders@mail.shop.lv", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(raw))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(r.all()) != 1 || r.all()[0].To != "orders@mail.shop.lv" {
		t.Errorf("stored %+v", r.all())
	}
}

// TestListenerReceiverFails: when the Receiver fails the sender is told
// 451 and keeps the message; its retry is stored, once.
func TestListenerReceiverFails(t *testing.T) {
	t.Parallel()
	r := newRecorder()
	r.fail = func(_ context.Context, _ inbox.Inbound, call int) error {
		if call == 1 {
			return errors.New("database is locked")
		}
		return nil
	}
	addr := startListener(t, r, 0)
	raw := testMail("retry@example.lv")
	if err := send(t, addr, "a@example.lv", []string{"hello@shop.lv"}, raw); smtpCode(err) != 451 {
		t.Fatalf("first try: %v, want 451", err)
	}
	if len(r.all()) != 0 {
		t.Fatal("stored although the receiver failed")
	}
	for range 2 { // the retry, and a duplicate the sender sends by mistake
		if err := send(t, addr, "a@example.lv", []string{"hello@shop.lv"}, raw); err != nil {
			t.Fatalf("retry: %v", err)
		}
	}
	if len(r.all()) != 1 || r.callsOf("retry@example.lv") != 3 {
		t.Errorf("stored %d, calls %d", len(r.all()), r.callsOf("retry@example.lv"))
	}
}

// TestListenerLimits: a message over the size limit is refused (552) and
// one that is no e-mail at all is refused for good (554); a message
// without Message-ID gets one from its content, the same on a retry.
func TestListenerLimits(t *testing.T) {
	t.Parallel()
	r := newRecorder()
	addr := startListener(t, r, 4096)
	big := testMail("big@example.lv") + strings.Repeat("Lielais pielikums.\r\n", 400)
	if err := send(t, addr, "a@example.lv", []string{"hello@shop.lv"}, big); smtpCode(err) != 552 {
		t.Errorf("big message: %v, want 552", err)
	}
	if err := send(t, addr, "a@example.lv", []string{"hello@shop.lv"}, "just some words\r\n"); smtpCode(err) != 554 {
		t.Errorf("not mail: %v, want 554", err)
	}
	noID := "From: a@example.lv\r\nTo: hello@shop.lv\r\nSubject: no id\r\n\r\nHello\r\n"
	for range 2 {
		if err := send(t, addr, "a@example.lv", []string{"hello@shop.lv"}, noID); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.all()) != 1 || !strings.HasPrefix(r.all()[0].MessageID, "sha256-") {
		t.Errorf("stored %+v", r.all())
	}
}

func TestNewListenerChecks(t *testing.T) {
	t.Parallel()
	if _, err := NewListener(ListenerConfig{Receiver: newRecorder()}); err == nil {
		t.Error("a listener for no domain was made")
	}
	if _, err := NewListener(ListenerConfig{Domains: []string{"shop.lv"}}); err == nil {
		t.Error("a listener without a receiver was made")
	}
}

// TestListenerStartTLS: with a certificate the listener offers STARTTLS
// and takes mail over it.
func TestListenerStartTLS(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := testCert(t)
	r := newRecorder()
	l, err := NewListener(ListenerConfig{Domains: []string{"shop.lv"}, Receiver: r, TLSConfig: serverTLS, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	c, err := smtp.DialStartTLS(ln.Addr().String(), clientTLS)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail("a@example.lv", []string{"hello@shop.lv"}, strings.NewReader(testMail("tls@example.lv"))); err != nil {
		t.Fatal(err)
	}
	if got := r.all(); len(got) != 1 || got[0].MessageID != "tls@example.lv" {
		t.Errorf("stored %+v", got)
	}
}

// TestListenerShutdown: a message in hand when shopcare stops is
// answered 451, so the sender keeps it for later.
func TestListenerShutdown(t *testing.T) {
	t.Parallel()
	r := newRecorder()
	inHand := make(chan struct{})
	r.fail = func(ctx context.Context, _ inbox.Inbound, _ int) error {
		close(inHand)
		<-ctx.Done()
		return ctx.Err()
	}
	l, err := NewListener(ListenerConfig{Domains: []string{"shop.lv"}, Receiver: r, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	sent := make(chan error, 1)
	go func() { sent <- sendQuiet(ln.Addr().String(), testMail("stopping@example.lv")) }()
	<-inHand
	cancel()
	if err := <-sent; smtpCode(err) != 451 {
		t.Errorf("message in hand at shutdown: %v, want 451", err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if len(r.all()) != 0 {
		t.Error("stored although the receiver never finished")
	}
}

// sendQuiet is send without a *testing.T, for a goroutine.
func sendQuiet(addr, raw string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail("a@example.lv", nil); err != nil {
		return err
	}
	if err := c.Rcpt("hello@shop.lv", nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(raw)); err != nil {
		return err
	}
	return w.Close()
}
