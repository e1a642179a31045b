package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// soakSMTP is the soak's mail server: a real SMTP server on a fixed
// loopback port that the fault injector stops (new connections are
// refused, sessions under way finish) and starts again on the same port.
// It keeps every copy of every message by Message-ID, with when it came.
type soakSMTP struct {
	addr string

	mu     sync.Mutex
	srv    *smtp.Server // nil while stopped
	copies map[string][]time.Time
	total  int
}

func startSoakSMTP() (*soakSMTP, error) {
	s := &soakSMTP{copies: map[string][]time.Time{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the SMTP server: %w", err)
	}
	s.addr = l.Addr().String()
	s.serve(l)
	return s, nil
}

func (s *soakSMTP) serve(l net.Listener) {
	srv := smtp.NewServer(soakBackend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// stop closes the listener (the port refuses connections from now on) and
// lets the sessions under way end, cutting them after a few seconds.
func (s *soakSMTP) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
}

// start listens on the same port again; the port may take a moment to be
// free, so it tries for up to ten seconds.
func (s *soakSMTP) start(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, err := net.Listen("tcp", s.addr)
		if err == nil {
			s.serve(l)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("start the SMTP server again on %s: %w", s.addr, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *soakSMTP) close() { s.stop() }

func (s *soakSMTP) took(id string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	s.copies[id] = append(s.copies[id], now)
}

// arrivals returns, per Message-ID, when each copy came.
func (s *soakSMTP) arrivals() (map[string][]time.Time, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]time.Time, len(s.copies))
	for id, at := range s.copies {
		out[id] = append([]time.Time(nil), at...)
	}
	return out, s.total
}

type soakBackend struct{ s *soakSMTP }

// NewSession starts an SMTP session.
func (b soakBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return soakSession(b), nil }

type soakSession struct{ s *soakSMTP }

func (soakSession) Mail(string, *smtp.MailOptions) error { return nil }
func (soakSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (soakSession) Reset()                               {}
func (soakSession) Logout() error                        { return nil }

// Data reads the message's Message-ID and drains the body.
func (c soakSession) Data(r io.Reader) error {
	id, err := messageID(r)
	if err != nil {
		return err
	}
	c.s.took(id)
	return nil
}
