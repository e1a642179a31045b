package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// The TLS modes of PollerConfig.TLS.
const (
	TLSImplicit = "implicit"
	TLSStartTLS = "starttls"
	TLSNone     = "none"
)

// PollerConfig says which mailbox a Poller reads and how.
type PollerConfig struct {
	// Addr is the IMAP server's host:port; Username and Password log in.
	Addr, Username, Password string
	// Mailbox is the folder read; INBOX when empty.
	Mailbox string
	// TLS is TLSImplicit (the default), TLSStartTLS or TLSNone.
	TLS string
	// TLSConfig replaces the default (the system's roots, the server
	// name from Addr): a test server's certificate.
	TLSConfig *tls.Config
	// MarkSeen flags each message \Seen once the Receiver took it.
	MarkSeen bool
	// PollInterval is how long to wait for new mail before asking again
	// (a server without IDLE), and how long one IDLE lasts at most
	// (servers drop idle clients after 30 minutes). Default 1 minute.
	PollInterval time.Duration
	// FirstDays is how far back the first reading of a mailbox goes: a
	// shop's mailbox may hold years of mail nobody wants as new
	// conversations. Default 14 days.
	FirstDays int
	// DB holds the mailboxes table; Receiver takes the messages.
	DB       *store.DB
	Receiver inbox.Receiver
	// Parser reads the messages (the package's caps when zero).
	Parser Parser
	// Log is where reconnects and skipped messages are told; slog's
	// default when nil.
	Log *slog.Logger
	// Wait sleeps between reconnects and polls: a timer by default; tests
	// pass one that returns at once.
	Wait func(ctx context.Context, d time.Duration) error
	// Now is the time of the mailbox's reading (time.Now by default): the
	// mail servers' dates are the real world's, not a scaled demo clock.
	Now func() time.Time
	// DialTimeout bounds connecting and logging in (30 s by default).
	DialTimeout time.Duration
	// Taken, when set, is told of each message once the Receiver took it
	// and its UID was stored: for metrics, and for tests to know a message
	// is done with.
	Taken func(in inbox.Inbound, uid uint32)
}

// Poller reads new mail from one IMAP mailbox and hands each message to
// the Receiver, once: it fetches by UID past the last one stored, and
// stores a UID only after the Receiver took its message, so a crash
// between fetching and storing fetches the message again (the Receiver
// is idempotent by Message-ID). It waits with IDLE where the server
// offers it, polls otherwise, and reconnects with backoff.
type Poller struct {
	cfg PollerConfig
	key string
	log *slog.Logger
}

// NewPoller checks the configuration and fills its defaults.
func NewPoller(cfg PollerConfig) (*Poller, error) {
	switch {
	case cfg.Addr == "":
		return nil, errors.New("imap poller: no server address")
	case cfg.Username == "":
		return nil, errors.New("imap poller: no username")
	case cfg.DB == nil || cfg.Receiver == nil:
		return nil, errors.New("imap poller: a database and a receiver are required")
	}
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return nil, fmt.Errorf("imap poller: address %q: %w", cfg.Addr, err)
	}
	if cfg.Mailbox == "" {
		cfg.Mailbox = "INBOX"
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSImplicit
	case TLSImplicit, TLSStartTLS, TLSNone:
	default:
		return nil, fmt.Errorf("imap poller: tls %q is not implicit, starttls or none", cfg.TLS)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Minute
	}
	if cfg.FirstDays <= 0 {
		cfg.FirstDays = 14
	}
	if cfg.Wait == nil {
		cfg.Wait = sleep
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 30 * time.Second
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	key := cfg.Username + "@" + cfg.Addr + "/" + cfg.Mailbox
	return &Poller{cfg: cfg, key: key, log: log.With("mailbox", key)}, nil
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Backoff between reconnects: doubled after each failed session, from
// minBackoff up to maxBackoff; a session that read the mailbox resets it.
const (
	minBackoff = time.Second
	maxBackoff = 5 * time.Minute
)

// Run reads the mailbox until ctx is done, reconnecting after every
// failure (the server gone, a Receiver's error). It returns nil when ctx
// ends it.
func (p *Poller) Run(ctx context.Context) error {
	backoff := minBackoff
	for !stopped(ctx) {
		synced, err := p.session(ctx)
		if stopped(ctx) {
			break
		}
		if synced {
			backoff = minBackoff
		}
		p.log.Warn("imap: reconnecting", "after", backoff, "err", err)
		_ = p.cfg.Wait(ctx, backoff) // it fails only when ctx is done, which ends the loop
		backoff = min(backoff*2, maxBackoff)
	}
	return nil
}

// stopped reports whether ctx is done: the end of a Run, not a failure.
func stopped(ctx context.Context) bool { return ctx.Err() != nil }

// session connects, reads what is new, then waits for more and reads
// again until the connection fails. synced tells whether it got as far
// as reading the mailbox once.
func (p *Poller) session(ctx context.Context) (synced bool, err error) {
	c, err := p.dial(ctx)
	if err != nil {
		return false, err
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Terminate() })
	defer stop()
	defer func() { _ = c.Terminate() }()

	wake := make(chan struct{}, 1)
	updates := make(chan client.Update, 16)
	c.Updates = updates
	go func() { // the client blocks on a full Updates: drain it while it lives
		for {
			select {
			case u := <-updates:
				if _, ok := u.(*client.MailboxUpdate); ok {
					select {
					case wake <- struct{}{}:
					default:
					}
				}
			case <-c.LoggedOut():
				return
			}
		}
	}()

	status, err := c.Select(p.cfg.Mailbox, !p.cfg.MarkSeen) // EXAMINE when the mailbox is to be left as it is
	if err != nil {
		return false, fmt.Errorf("select %s: %w", p.cfg.Mailbox, err)
	}
	idle, err := c.Support("IDLE")
	if err != nil {
		return false, fmt.Errorf("capabilities: %w", err)
	}
	for {
		if err := p.sync(ctx, c, status); err != nil {
			return synced, err
		}
		synced = true
		if err := p.waitForMail(ctx, c, idle, wake); err != nil {
			return synced, err
		}
	}
}

// dial connects and logs in, with TLS as configured.
func (p *Poller) dial(ctx context.Context) (*client.Client, error) {
	dialer := &net.Dialer{Timeout: p.cfg.DialTimeout}
	conn, err := dialer.DialContext(ctx, "tcp", p.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", p.cfg.Addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(p.cfg.DialTimeout))
	if p.cfg.TLS == TLSImplicit {
		tc := tls.Client(conn, p.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("tls with %s: %w", p.cfg.Addr, err)
		}
		conn = tc
	}
	c, err := client.New(conn)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("greeting of %s: %w", p.cfg.Addr, err)
	}
	c.ErrorLog = clientLog{p.log}
	c.Timeout = p.cfg.DialTimeout
	if p.cfg.TLS == TLSStartTLS {
		if err := c.StartTLS(p.tlsConfig()); err != nil {
			_ = c.Terminate()
			return nil, fmt.Errorf("starttls with %s: %w", p.cfg.Addr, err)
		}
	}
	if err := c.Login(p.cfg.Username, p.cfg.Password); err != nil {
		_ = c.Terminate()
		return nil, fmt.Errorf("login to %s as %s: %w", p.cfg.Addr, p.cfg.Username, err)
	}
	// Commands from here on may wait for a whole IDLE.
	c.Timeout = p.cfg.PollInterval + p.cfg.DialTimeout
	return c, nil
}

func (p *Poller) tlsConfig() *tls.Config {
	if p.cfg.TLSConfig != nil {
		return p.cfg.TLSConfig.Clone()
	}
	host, _, _ := net.SplitHostPort(p.cfg.Addr)
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}

// waitForMail returns when the server says new mail came (IDLE), when
// the poll interval is over, or with an error when the connection broke.
func (p *Poller) waitForMail(ctx context.Context, c *client.Client, idle bool, wake <-chan struct{}) error {
	if !idle {
		if err := p.cfg.Wait(ctx, p.cfg.PollInterval); err != nil {
			return err
		}
		return c.Noop()
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- c.Idle(stop, &client.IdleOptions{LogoutTimeout: -1}) }()
	t := time.NewTimer(p.cfg.PollInterval)
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
	case <-ctx.Done():
	case err := <-done: // the connection broke while idling
		if err == nil {
			err = errors.New("idle ended by the server")
		}
		return fmt.Errorf("idle: %w", err)
	}
	close(stop)
	if err := <-done; err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return ctx.Err()
}

// fetchBatch is how many messages are fetched at once: their bodies are
// held in memory until each is handed on.
const fetchBatch = 10

// sync hands every message past the stored UID to the Receiver, in UID
// order, storing each UID after its message was taken.
func (p *Poller) sync(ctx context.Context, c *client.Client, status *imap.MailboxStatus) error {
	cur, found, err := mailboxGet(ctx, p.cfg.DB.Read(), p.key)
	if err != nil {
		return err
	}
	now := p.cfg.Now()
	crit := imap.NewSearchCriteria()
	switch {
	case !found:
		crit.Since = now.AddDate(0, 0, -p.cfg.FirstDays)
		cur = cursor{UIDValidity: status.UidValidity}
	case cur.UIDValidity != status.UidValidity:
		// The server renumbered the folder: the stored UID means nothing
		// now. Read again what came since shortly before the last reading;
		// what was taken before is taken again and stored once.
		p.log.Warn("imap: UIDVALIDITY changed, reading the recent mail again",
			"was", cur.UIDValidity, "now", status.UidValidity, "since", cur.UpdatedAt)
		crit.Since = cur.UpdatedAt.AddDate(0, 0, -2)
		cur = cursor{UIDValidity: status.UidValidity}
	default:
		crit.Uid = new(imap.SeqSet)
		crit.Uid.AddRange(cur.LastUID+1, 0) // LastUID+1:*
	}
	uids, err := c.UidSearch(crit)
	if err != nil {
		return fmt.Errorf("search %s: %w", p.cfg.Mailbox, err)
	}
	// "n:*" holds the last message even when its UID is below n.
	uids = slices.DeleteFunc(uids, func(u uint32) bool { return u <= cur.LastUID })
	slices.Sort(uids)
	if len(uids) == 0 && (!found || cur.LastUID == 0) && status.UidNext > 1 {
		// Nothing recent: start after what the folder holds now.
		cur.LastUID, cur.UpdatedAt = status.UidNext-1, now
		return mailboxSave(ctx, p.cfg.DB, p.key, cur)
	}
	for batch := range slices.Chunk(uids, fetchBatch) {
		msgs, err := p.fetch(c, batch)
		if err != nil {
			return err
		}
		for _, uid := range batch {
			in, ok, err := p.take(ctx, c, uid, msgs[uid])
			if err != nil {
				return err
			}
			cur.LastUID, cur.UpdatedAt = uid, p.cfg.Now()
			if err := mailboxSave(ctx, p.cfg.DB, p.key, cur); err != nil {
				return err
			}
			if ok && p.cfg.Taken != nil {
				p.cfg.Taken(in, uid)
			}
		}
	}
	return nil
}

// fetch reads the raw messages of uids, keyed by UID, without setting
// \Seen.
func (p *Poller) fetch(c *client.Client, uids []uint32) (map[uint32][]byte, error) {
	set := new(imap.SeqSet)
	set.AddNum(uids...)
	section := &imap.BodySectionName{Peek: true}
	ch := make(chan *imap.Message, len(uids))
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(set, []imap.FetchItem{imap.FetchUid, section.FetchItem()}, ch) }()
	out := make(map[uint32][]byte, len(uids))
	var readErr error
	for m := range ch {
		body := m.GetBody(section)
		if body == nil {
			continue
		}
		raw, err := io.ReadAll(body)
		if err != nil && readErr == nil {
			readErr = err
		}
		out[m.Uid] = raw
	}
	if err := <-done; err != nil {
		return nil, fmt.Errorf("fetch uids %v: %w", uids, err)
	}
	if readErr != nil {
		return nil, fmt.Errorf("read fetched message: %w", readErr)
	}
	return out, nil
}

// take hands one message to the Receiver and marks it \Seen. A message
// that is gone (expunged meanwhile) or not an e-mail at all is skipped
// with a log line: it would otherwise stop the mailbox for good.
func (p *Poller) take(ctx context.Context, c *client.Client, uid uint32, raw []byte) (in inbox.Inbound, ok bool, err error) {
	if raw == nil {
		p.log.Info("imap: message gone before it was read", "uid", uid)
		return in, false, nil
	}
	in, err = p.cfg.Parser.Parse(raw)
	if err != nil {
		p.log.Warn("imap: skipping a message that does not read as e-mail", "uid", uid, "err", err)
		return in, false, nil
	}
	if in.MessageID == "" {
		in.MessageID = contentID(raw, "imap."+p.cfg.Addr)
	}
	if err := p.cfg.Receiver.Receive(ctx, in); err != nil {
		return in, false, fmt.Errorf("receive uid %d (%s): %w", uid, in.MessageID, err)
	}
	if p.cfg.MarkSeen {
		set := new(imap.SeqSet)
		set.AddNum(uid)
		if err := c.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.SeenFlag}, nil); err != nil {
			return in, false, fmt.Errorf("mark uid %d seen: %w", uid, err)
		}
	}
	return in, true, nil
}

// clientLog takes go-imap's own complaints (a read on a connection that
// was closed) into the poller's log at debug level: the poller reports
// the errors that matter itself.
type clientLog struct{ log *slog.Logger }

func (l clientLog) Printf(format string, v ...any) {
	l.log.Debug("imap client: " + fmt.Sprintf(format, v...))
}
func (l clientLog) Println(v ...any) { l.log.Debug("imap client: " + fmt.Sprint(v...)) }
