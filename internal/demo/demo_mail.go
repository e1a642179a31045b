package demo

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// MailSink is a real SMTP server on 127.0.0.1 that takes every message
// and keeps none: the demo's e-mail channel sends to it over SMTP when no
// mail server is configured, so messages go out the way they would in a
// shop and land in the messages table, which the admin's outbox shows.
type MailSink struct {
	srv      *smtp.Server
	addr     string
	log      *slog.Logger
	received atomic.Int64
}

// StartMailSink starts a MailSink on a free port of 127.0.0.1. Close
// stops it.
func StartMailSink(log *slog.Logger) (*MailSink, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo mail server: listen: %w", err)
	}
	m := &MailSink{addr: ln.Addr().String(), log: log}
	m.srv = smtp.NewServer(sinkBackend{m})
	m.srv.Domain = "localhost"
	m.srv.ReadTimeout = 30 * time.Second
	m.srv.WriteTimeout = 30 * time.Second
	m.srv.MaxMessageBytes = 10 << 20
	m.srv.MaxRecipients = 50
	go func() {
		if err := m.srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			log.Error("demo mail server stopped", "err", err)
		}
	}()
	return m, nil
}

// URL is the server's address for the e-mail channel's settings.
func (m *MailSink) URL() string { return "smtp://" + m.addr }

// Received is how many messages the server has taken.
func (m *MailSink) Received() int64 { return m.received.Load() }

// Close stops the server and drops its connections.
func (m *MailSink) Close() error { return m.srv.Close() }

type sinkBackend struct{ m *MailSink }

func (b sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{m: b.m}, nil }

// sinkSession takes one client's messages.
type sinkSession struct {
	m    *MailSink
	from string
	to   []string
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	s.m.received.Add(1)
	s.m.log.Debug("demo mail server took a message", "from", s.from, "to", s.to, "bytes", n)
	return nil
}

func (s *sinkSession) Reset() { s.from, s.to = "", nil }

func (s *sinkSession) Logout() error { return nil }
