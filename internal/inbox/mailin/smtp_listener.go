package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/shopcare/shopcare/internal/inbox"
)

// DefaultMaxBytes is the largest message the Listener takes unless told:
// 25 MB of attachments grow by a third in base64.
const DefaultMaxBytes = 35 << 20

// ListenerConfig says where the Listener listens and for whom.
type ListenerConfig struct {
	// Addr is the address to listen on (":2525").
	Addr string
	// Domains are the shop's domains: mail to anyone else is refused
	// (550), so shopcare relays nothing.
	Domains []string
	// MaxBytes caps one message (DefaultMaxBytes when zero); a bigger one
	// is refused with 552 while it is being sent.
	MaxBytes int64
	// Hostname is the name the listener greets with ("shopcare" when
	// empty).
	Hostname string
	// TLSConfig, when set, offers STARTTLS.
	TLSConfig *tls.Config
	// Receiver takes the messages; Parser reads them (the package's caps
	// when zero).
	Receiver inbox.Receiver
	Parser   Parser
	// ReceiveTimeout bounds one Receive (1 minute by default): past it
	// the sender is told to try again later.
	ReceiveTimeout time.Duration
	// Log is where refused and failed messages are told; slog's default
	// when nil.
	Log *slog.Logger
}

// Listener is an SMTP server that takes customers' mail for the shop's
// domains, for shops that point an MX record or a forwarding rule at
// shopcare. A message is answered 250 only once the Receiver took it; a
// Receiver's failure is answered 451, so the sending server keeps the
// message and tries again, and none is lost.
type Listener struct {
	cfg     ListenerConfig
	domains []string
	log     *slog.Logger
}

// NewListener checks the configuration and fills its defaults.
func NewListener(cfg ListenerConfig) (*Listener, error) {
	if cfg.Receiver == nil {
		return nil, errors.New("smtp listener: a receiver is required")
	}
	var domains []string
	for _, d := range cfg.Domains {
		if d = strings.ToLower(strings.Trim(strings.TrimSpace(d), ".")); d != "" {
			domains = append(domains, d)
		}
	}
	if len(domains) == 0 {
		return nil, errors.New("smtp listener: no domains to take mail for")
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.Hostname == "" {
		cfg.Hostname = "shopcare"
	}
	if cfg.ReceiveTimeout <= 0 {
		cfg.ReceiveTimeout = time.Minute
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return &Listener{cfg: cfg, domains: domains, log: log.With("listener", cfg.Addr)}, nil
}

// Run listens on the configured address and serves until ctx is done.
func (l *Listener) Run(ctx context.Context) error {
	if stopped(ctx) {
		return nil
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", l.cfg.Addr)
	if err != nil {
		return fmt.Errorf("smtp listener on %s: %w", l.cfg.Addr, err)
	}
	return l.Serve(ctx, ln)
}

// Serve takes mail on ln until ctx is done; then it stops taking new
// connections and gives those under way a few seconds to finish.
func (l *Listener) Serve(ctx context.Context, ln net.Listener) error {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{l: l, ctx: ctx}, nil
	}))
	srv.Domain = l.cfg.Hostname
	srv.MaxMessageBytes = l.cfg.MaxBytes
	srv.MaxRecipients = 50
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = 5 * time.Minute
	srv.TLSConfig = l.cfg.TLSConfig
	srv.ErrorLog = smtpLog{l.log}
	stop := context.AfterFunc(ctx, func() {
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			_ = srv.Close()
		}
	})
	defer stop()
	err := srv.Serve(ln)
	if stopped(ctx) || errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("smtp listener: %w", err)
}

// accepts reports whether addr is at one of the shop's domains.
func (l *Listener) accepts(addr string) bool {
	a, err := mail.ParseAddress("<" + strings.Trim(addr, "<>") + ">")
	if err != nil {
		return false
	}
	_, domain, ok := strings.Cut(a.Address, "@")
	return ok && slices.Contains(l.domains, strings.ToLower(domain))
}

// SMTP answers of the listener.
var (
	errForeignRecipient = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such recipient here: this server takes mail for its shop only"}
	errNoRecipient = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "No valid recipients"}
	errNotMail     = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message is not readable e-mail"}
	errTryLater    = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary failure storing the message, please try again later"}
)

// session is one SMTP transaction at a time on one connection. It holds
// the listener's ctx because go-smtp's Session methods take none.
type session struct {
	l    *Listener
	ctx  context.Context
	from string
	rcpt []string
}

func (s *session) Reset() { s.from, s.rcpt = "", nil }

func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !s.l.accepts(to) {
		s.l.log.Info("smtp: refused a recipient of another domain", "to", to, "from", s.from)
		return errForeignRecipient
	}
	s.rcpt = append(s.rcpt, strings.ToLower(strings.Trim(to, "<>")))
	return nil
}

// Data reads the message, parses it and hands it to the Receiver,
// answering 250 only once the Receiver took it.
func (s *session) Data(r io.Reader) error {
	if len(s.rcpt) == 0 {
		return errNoRecipient
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // over MaxBytes: go-smtp's 552
	}
	in, err := s.l.cfg.Parser.Parse(raw)
	if err != nil {
		s.l.log.Info("smtp: refused a message that does not read as e-mail", "from", s.from, "err", err)
		return errNotMail
	}
	in.To = s.rcpt[0] // the shop's address it came to, whatever the header says
	if in.MessageID == "" {
		// The Receiver dedupes by Message-ID: one from the content keeps a
		// sender's retry of the same message one message.
		in.MessageID = contentID(raw, s.l.cfg.Hostname)
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.l.cfg.ReceiveTimeout)
	defer cancel()
	if err := s.l.cfg.Receiver.Receive(ctx, in); err != nil {
		s.l.log.Error("smtp: receiver failed, the sender was told to try again", "message_id", in.MessageID, "err", err)
		return errTryLater
	}
	return nil
}

// smtpLog takes go-smtp's own complaints into the listener's log.
type smtpLog struct{ log *slog.Logger }

func (l smtpLog) Printf(format string, v ...any) {
	l.log.Debug("smtp server: " + fmt.Sprintf(format, v...))
}
func (l smtpLog) Println(v ...any) { l.log.Debug("smtp server: " + fmt.Sprint(v...)) }
