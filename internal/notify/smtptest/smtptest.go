// Package smtptest runs a real SMTP server (go-smtp) inside a test process:
// it records every message it is given, and can refuse recipients or
// throttle, as a real mail server does. It is imported by tests and
// benchmarks only.
package smtptest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the server took.
type Mail struct {
	From string
	To   []string
	Data []byte
	// At is when the server had the whole message (wall clock), for
	// latency figures.
	At time.Time
}

// Header returns the value of a header of the message, unfolded ("" if
// none).
func (m Mail) Header(name string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return msg.Header.Get(name)
}

// Server is a real SMTP server on 127.0.0.1.
type Server struct {
	// Addr is host:port.
	Addr string
	// Keep records message data; a benchmark turns it off.
	Keep bool

	mu        sync.Mutex
	mails     []Mail
	count     int
	arrived   *sync.Cond
	rcpt      map[string]*smtp.SMTPError
	throttles int // how many next MAIL commands answer 421
	// OnMail, when set, is called for every message taken (outside the
	// lock).
	OnMail func(Mail)
}

// Start starts a server that keeps what it is given, stopped when the test
// ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{Keep: true, rcpt: map[string]*smtp.SMTPError{}}
	s.arrived = sync.NewCond(&s.mu)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxRecipients = 10
	s.Addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the smtp:// address of the server for the settings.
func (s *Server) URL() string { return "smtp://" + s.Addr }

// Refuse makes the server answer RCPT TO:<addr> with code (550: no such
// mailbox, 452: try later).
func (s *Server) Refuse(addr string, code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpt[addr] = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: text}
}

// Throttle makes the next n MAIL FROM commands answer 421, as a provider
// over its rate does.
func (s *Server) Throttle(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttles = n
}

// Mails returns the messages taken so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Count is how many messages the server took.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Wait blocks until the server has taken n messages in all and returns
// them; it fails the test after timeout, a safety net only.
func (s *Server) Wait(tb testing.TB, n int, timeout time.Duration) []Mail {
	tb.Helper()
	done := make(chan struct{})
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		close(done)
		s.arrived.Broadcast()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.count < n {
		select {
		case <-done:
			tb.Fatalf("SMTP server took %d messages, want %d", s.count, n)
		default:
		}
		s.arrived.Wait()
	}
	return append([]Mail(nil), s.mails...)
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.throttles > 0 {
		ss.s.throttles--
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Too many messages, slow down"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	reply := ss.s.rcpt[to]
	ss.s.mu.Unlock()
	if reply != nil {
		return reply
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	var data []byte
	var err error
	if ss.s.Keep {
		data, err = io.ReadAll(r)
	} else {
		_, err = io.Copy(io.Discard, r)
	}
	if err != nil {
		return err
	}
	m := Mail{From: ss.from, To: ss.to, Data: data, At: time.Now()}
	ss.s.mu.Lock()
	if ss.s.Keep {
		ss.s.mails = append(ss.s.mails, m)
	}
	ss.s.count++
	on := ss.s.OnMail
	ss.s.arrived.Broadcast()
	ss.s.mu.Unlock()
	if on != nil {
		on(m)
	}
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// Subject returns the decoded Subject header.
func (m Mail) Subject() string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return msg.Header.Get("Subject")
	}
	return s
}

// Text returns the decoded text/plain part of the message ("" if none).
func (m Mail) Text() string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return textPart(textproto.MIMEHeader(msg.Header), msg.Body)
}

func textPart(h textproto.MIMEHeader, body io.Reader) string {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err != nil {
				return ""
			}
			if t := textPart(p.Header, p); t != "" {
				return t
			}
		}
	}
	if mediaType != "text/plain" {
		return ""
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, _ := io.ReadAll(body)
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}
