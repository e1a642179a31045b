// Package email is the e-mail channel: messages over SMTP (STARTTLS or TLS,
// AUTH PLAIN), text with an HTML alternative, one-click unsubscribe headers
// on marketing mail, through a small pool of reused connections.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
)

// DefaultConnections is how many SMTP connections a Client keeps open
// when Config.Connections is zero.
const DefaultConnections = 4

// Config configures the e-mail channel.
type Config struct {
	// URL is smtp://user:pass@host:587 (STARTTLS when the server offers it;
	// add ?tls=required to refuse a server that does not) or
	// smtps://user:pass@host:465 (TLS from the first byte). The port defaults
	// to 587 and 465. With a user, AUTH PLAIN is used, and go-mail refuses to
	// send the password over an unencrypted connection except to localhost.
	URL string
	// From is the sender, "Name <addr>" or a bare address.
	From string
	// Connections is the most SMTP connections open at once; 0 means 4.
	Connections int
	// InsecureSkipVerify accepts any server certificate. Tests only.
	InsecureSkipVerify bool
	// Clock stamps the Date header; nil means the system clock.
	Clock clock.Clock
	// UnsubscribeMailto, when set, is an address marketing mail names in
	// List-Unsubscribe beside its link (RFC 2369), for mail programs that
	// unsubscribe by mail: the shop reads what arrives there.
	UnsubscribeMailto string
}

// Client sends messages over SMTP through a small pool of connections that
// are reused across sends. It is safe for concurrent use.
type Client struct {
	client *mail.Client // settings and dialer; connections live in idle
	from   *netmail.Address
	clock  clock.Clock
	// mailto is Config.UnsubscribeMailto, checked.
	mailto string

	slots chan struct{} // one token per connection in use

	mu     sync.Mutex
	idle   []*smtp.Client
	closed bool
}

var _ notify.Sender = (*Client)(nil)

// New checks cfg and returns a Client. It does not connect: the first
// Send does.
func New(cfg Config) (*Client, error) {
	opts, err := parseOptions(cfg)
	if err != nil {
		return nil, err
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, invalid.Field("channels.email.from", "invalid", "must look like \"Shop <shop@example.com>\": %v", err)
	}
	conns := cfg.Connections
	if conns < 0 {
		return nil, invalid.Field("channels.email.connections", "invalid", "must not be negative")
	}
	if conns == 0 {
		conns = DefaultConnections
	}
	mailto := ""
	if cfg.UnsubscribeMailto != "" {
		a, err := netmail.ParseAddress(cfg.UnsubscribeMailto)
		if err != nil || a.Address != cfg.UnsubscribeMailto {
			return nil, invalid.Field("channels.email.unsubscribe_mailto", "invalid", "must be a bare address such as unsubscribe@example.com")
		}
		mailto = a.Address
	}
	host := opts.host
	client, err := mail.NewClient(host, opts.list...)
	if err != nil {
		return nil, invalid.Field("channels.email.smtp_url", "invalid", "%v", err)
	}
	clk := cfg.Clock
	if clk == nil {
		clk = clock.System{}
	}
	return &Client{
		client: client,
		from:   from,
		clock:  clk,
		mailto: mailto,
		slots:  make(chan struct{}, conns),
	}, nil
}

type options struct {
	host string
	list []mail.Option
}

// parseOptions turns the URL into go-mail client options.
func parseOptions(cfg Config) (options, error) {
	const key = "channels.email.smtp_url"
	bad := func(format string, args ...any) (options, error) {
		return options{}, invalid.Field(key, "invalid",
			"must look like smtp://user:pass@host:587 or smtps://host:465: "+format, args...)
	}
	if cfg.URL == "" {
		return options{}, invalid.Field(key, "required", "must be set to send e-mail")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		// url.Error repeats the URL, and with it the password: leave it out.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return bad("%v", err)
	}
	host := u.Hostname()
	if host == "" {
		return bad("no host")
	}
	if u.Path != "" && u.Path != "/" {
		return bad("unexpected path %q", u.Path)
	}

	var o options
	o.host = host
	port := 0
	switch u.Scheme {
	case "smtp":
		port = mail.DefaultPortTLS
		policy := mail.TLSOpportunistic
		for name, values := range u.Query() {
			switch {
			case name == "tls" && len(values) == 1 && values[0] == "required":
				policy = mail.TLSMandatory
			case name == "tls" && len(values) == 1 && values[0] == "opportunistic":
			case name == "tls":
				return bad("tls must be required or opportunistic")
			default:
				return bad("unknown option %q", name)
			}
		}
		o.list = append(o.list, mail.WithTLSPolicy(policy))
	case "smtps":
		port = mail.DefaultPortSSL
		if u.RawQuery != "" {
			return bad("smtps takes no options")
		}
		o.list = append(o.list, mail.WithSSL())
	default:
		return bad("scheme %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("port %q", p)
		}
		port = n
	}
	o.list = append(o.list, mail.WithPort(port))

	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if cfg.InsecureSkipVerify {
		tlsConfig.InsecureSkipVerify = true //nolint:gosec // tests only, documented on the field
	}
	o.list = append(o.list, mail.WithTLSConfig(tlsConfig))

	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		o.list = append(o.list,
			mail.WithSMTPAuth(mail.SMTPAuthPlain),
			mail.WithUsername(u.User.Username()),
			mail.WithPassword(pass))
	}
	// A pooled connection is checked by the send itself (see Send), not by a
	// NOOP round trip each time; the RSET after a delivered message is
	// skipped because DATA already ended the transaction, and a failed RSET
	// would otherwise report a delivered message as failed.
	o.list = append(o.list, mail.WithoutNoop(), mail.WithoutRset())
	return o, nil
}

// Channel returns "email".
func (e *Client) Channel() string { return "email" }

// Send renders m and hands it to the SMTP server. A 421/450/451/452/454
// answer gives a notify.ThrottledError, a 5xx answer to RCPT or a malformed address
// a notify.PermanentError; a message that breaks the rules (no ID, no text, a
// marketing message without an unsubscribe link) wraps notify.ErrInvalidMessage and
// is refused before connecting. A marketing message names its unsubscribe
// link in List-Unsubscribe; an https link is also RFC 8058's one-click
// (List-Unsubscribe-Post), which needs https, so an http link goes
// without it rather than the message failing.
func (e *Client) Send(ctx context.Context, m notify.Message) error {
	msg, err := e.render(m)
	if err != nil {
		return fmt.Errorf("send e-mail %s: %w", m.ID, err)
	}
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("send e-mail %s: %w", m.ID, ctx.Err())
	}
	defer func() { <-e.slots }()

	conn, reused, err := e.get(ctx)
	if err != nil {
		return fmt.Errorf("send e-mail %s: connect: %w", m.ID, classify(err))
	}
	err = e.client.SendWithSMTPClient(conn, msg)
	if err != nil && reused && stale(err) {
		// The pooled connection died while idle (the server timed it out)
		// before MAIL FROM was accepted, so nothing was sent: dial once more.
		e.discard(conn)
		conn, err = e.dial(ctx)
		if err != nil {
			return fmt.Errorf("send e-mail %s: reconnect: %w", m.ID, classify(err))
		}
		err = e.client.SendWithSMTPClient(conn, msg)
	}
	if err != nil && !reusable(err) {
		e.discard(conn)
	} else {
		e.put(conn)
	}
	if err != nil {
		return fmt.Errorf("send e-mail %s: %w", m.ID, classify(err))
	}
	return nil
}

// render checks m and builds the MIME message.
func (e *Client) render(m notify.Message) (*mail.Msg, error) {
	if !validMessageID(m.ID) {
		return nil, fmt.Errorf("%w: id %q: must be non-empty letters, digits and .-_", notify.ErrInvalidMessage, m.ID)
	}
	if m.Text == "" {
		return nil, fmt.Errorf("%w: text: required", notify.ErrInvalidMessage)
	}
	if !m.Transactional && m.Unsubscribe == "" {
		return nil, fmt.Errorf("%w: unsubscribe: required for a non-transactional e-mail", notify.ErrInvalidMessage)
	}
	oneClick := false
	if m.Unsubscribe != "" {
		u, err := url.Parse(m.Unsubscribe)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("%w: unsubscribe %q: must be an http(s) URL", notify.ErrInvalidMessage, m.Unsubscribe)
		}
		// RFC 8058: one-click unsubscribe is an HTTPS URI the mailbox
		// provider POSTs to.
		oneClick = u.Scheme == "https"
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil || to.Address != m.To {
		return nil, &notify.PermanentError{Err: fmt.Errorf("to %q: not an e-mail address", m.To)}
	}

	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	msg.FromMailAddress(e.from)
	msg.ToMailAddress(&netmail.Address{Name: m.ToName, Address: to.Address})
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID + "@shopcare")
	msg.SetDateWithValue(e.clock.Now())
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	if id := threadID(m.InReplyTo); id != "" {
		msg.SetGenHeader(mail.HeaderInReplyTo, id)
		refs := make([]string, 0, len(m.References)+1)
		for _, r := range m.References {
			if r := threadID(r); r != "" && r != id {
				refs = append(refs, r)
			}
		}
		msg.SetGenHeader(mail.HeaderReferences, strings.Join(append(refs, id), " "))
	}
	if m.AutoReply {
		msg.SetGenHeader("Auto-Submitted", "auto-replied")
		msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	}
	if m.Unsubscribe != "" {
		list := "<" + m.Unsubscribe + ">"
		if e.mailto != "" {
			list = "<mailto:" + e.mailto + "?subject=unsubscribe>, " + list
		}
		msg.SetGenHeader(mail.HeaderListUnsubscribe, list)
		if oneClick {
			msg.SetGenHeader(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
		}
	}
	return msg, nil
}

// threadID returns a message id as In-Reply-To and References write it,
// in angle brackets, or "" for one that cannot stand there (spaces,
// brackets or line breaks from a hostile sender).
func threadID(id string) string {
	id = strings.Trim(strings.TrimSpace(id), "<>")
	if id == "" || len(id) > 250 || strings.ContainsAny(id, "<> \t\r\n\"") {
		return ""
	}
	return "<" + id + ">"
}

// validMessageID reports whether id can stand left of the @ in a Message-ID
// without quoting.
func validMessageID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '.' || r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return !strings.HasPrefix(id, ".") && !strings.HasSuffix(id, ".") && !strings.Contains(id, "..")
}

// get returns an idle connection, or dials a new one. The caller holds a slot.
func (e *Client) get(ctx context.Context) (conn *smtp.Client, reused bool, err error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, false, errors.New("e-mail channel closed")
	}
	if n := len(e.idle); n > 0 {
		conn = e.idle[n-1]
		e.idle = e.idle[:n-1]
		e.mu.Unlock()
		return conn, true, nil
	}
	e.mu.Unlock()
	conn, err = e.dial(ctx)
	return conn, false, err
}

func (e *Client) dial(ctx context.Context) (*smtp.Client, error) {
	return e.client.DialToSMTPClientWithContext(ctx)
}

// put returns a healthy connection to the pool, or closes it after Close.
func (e *Client) put(conn *smtp.Client) {
	e.mu.Lock()
	if !e.closed {
		e.idle = append(e.idle, conn)
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	_ = e.client.CloseWithSMTPClient(conn)
}

// discard drops a connection whose state is unknown.
func (e *Client) discard(conn *smtp.Client) {
	_ = conn.Close()
}

// Close says QUIT on the idle connections; connections in use are closed
// when their send ends. Send fails after Close.
func (e *Client) Close() error {
	e.mu.Lock()
	idle := e.idle
	e.idle = nil
	e.closed = true
	e.mu.Unlock()
	var errs []error
	for _, conn := range idle {
		if err := e.client.CloseWithSMTPClient(conn); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// stale reports whether a send on a pooled connection failed before the
// server accepted MAIL FROM, so that nothing was sent and a fresh connection
// may try again.
func stale(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	return se.Reason == mail.ErrConnCheck || se.Reason == mail.ErrSMTPMailFrom
}

// reusable reports whether the connection is in a known state after err: the
// server answered MAIL FROM or RCPT with an error (go-mail then sent RSET)
// and did not announce it is closing (421).
func reusable(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	return code != 0 && code != 421 &&
		(se.Reason == mail.ErrSMTPMailFrom || se.Reason == mail.ErrSMTPRcptTo)
}

// classify wraps an SMTP failure as notify.ThrottledError or notify.PermanentError where
// the reply code says so, and returns other errors as they are (temporary).
func classify(err error) error {
	code := 0
	rcpt := false
	var se *mail.SendError
	var te *textproto.Error
	switch {
	case errors.As(err, &se):
		code = se.ErrorCode()
		rcpt = se.Reason == mail.ErrSMTPRcptTo
	case errors.As(err, &te):
		code = te.Code
	}
	switch {
	case code == 421 || code == 450 || code == 451 || code == 452 || code == 454:
		return &notify.ThrottledError{RetryAfter: notify.DefaultRetryAfter, Err: err}
	case code >= 500 && code < 600 && rcpt:
		return &notify.PermanentError{Err: err}
	}
	return err
}

// Connections is the most SMTP connections the Client keeps open at once:
// how many messages a bulk sender may hand it in parallel.
func (e *Client) Connections() int { return cap(e.slots) }
