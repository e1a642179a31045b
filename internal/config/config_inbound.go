package config

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// EmailInbound is how customers' e-mail reaches shopcare (issue 20): the
// shop's existing mailbox read over IMAP, and an SMTP listener for shops
// that point a domain's MX or a forwarding rule at shopcare. Both are off
// when left empty. Its keys sit under channels.email beside the sending
// ones.
type EmailInbound struct {
	// IMAP is the shop's mailbox shopcare reads (channels.email.imap).
	IMAP IMAP `yaml:"imap,omitempty"`
	// InboundAddr is where the SMTP listener listens (":2525").
	InboundAddr string `yaml:"inbound_addr,omitempty"`
	// InboundDomains are the domains the listener takes mail for; empty
	// means the domains of shop.email and channels.email.from. Mail for
	// anyone else is refused (550), so shopcare is no open relay.
	InboundDomains []string `yaml:"inbound_domains,omitempty"`
	// InboundMaxMB caps the size of one message the listener takes
	// (default 35 MB: 25 MB of attachments, base64-encoded).
	InboundMaxMB int `yaml:"inbound_max_mb,omitempty"`
}

// IMAP is a mailbox shopcare polls for customers' mail.
type IMAP struct {
	// Addr is the server's host:port ("imap.example.lv:993").
	Addr string `yaml:"addr,omitempty"`
	// Username and Password log in (env SHOPCARE_IMAP_PASSWORD).
	Username string `yaml:"username,omitempty"`
	Password string `yaml:"password,omitempty"`
	// Mailbox is the folder read (default INBOX).
	Mailbox string `yaml:"mailbox,omitempty"`
	// TLS is implicit (port 993, the default), starttls or none (only
	// for a server on the same host).
	TLS string `yaml:"tls,omitempty"`
	// MarkSeen marks each message taken \Seen (default true); false
	// leaves the mailbox as it was for people who also read it.
	MarkSeen *bool `yaml:"mark_seen,omitempty"`
	// PollInterval is how often a server without IDLE is asked for new
	// mail (default 1m), and how often IDLE is renewed at the latest.
	PollInterval Duration `yaml:"poll_interval,omitempty"`
}

// The IMAP TLS modes.
const (
	IMAPTLSImplicit = "implicit"
	IMAPTLSStartTLS = "starttls"
	IMAPTLSNone     = "none"
)

// Enabled reports whether an IMAP mailbox is configured.
func (m IMAP) Enabled() bool { return m.Addr != "" }

// SeenAfterTaking reports whether a taken message is marked \Seen.
func (m IMAP) SeenAfterTaking() bool { return m.MarkSeen == nil || *m.MarkSeen }

// InboundDomains returns the domains the SMTP listener takes mail for:
// inbound_domains, else those of shop.email and channels.email.from.
func (s Settings) InboundDomains() []string {
	if len(s.Channels.Email.InboundDomains) > 0 {
		return s.Channels.Email.InboundDomains
	}
	var out []string
	for _, a := range []string{string(s.Shop.Email), s.Channels.Email.From} {
		if _, d, ok := strings.Cut(a, "@"); ok {
			d = strings.ToLower(strings.Trim(d, "> \t"))
			if d != "" && !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// inboundSecrets adds the IMAP password to the environment's map.
func (s *Settings) inboundSecrets(m map[string]*string) {
	m["SHOPCARE_IMAP_PASSWORD"] = &s.Channels.Email.IMAP.Password
}

// validateInbound checks channels.email's inbound keys and fills their
// defaults.
func (s *Settings) validateInbound(errs *invalid.List) {
	e := &s.Channels.Email.EmailInbound
	m := &e.IMAP
	const key = "channels.email.imap"
	if m.Addr != "" || m.Username != "" {
		if err := hostPort(m.Addr); err != nil {
			errs.Add(key+".addr", "invalid", "must be host:port such as imap.example.lv:993 (%v)", err)
		}
		if m.Username == "" {
			errs.Add(key+".username", "required", "the mailbox's login is required")
		}
		if m.Password == "" {
			errs.Add(key+".password", "required", "the mailbox's password is required (or SHOPCARE_IMAP_PASSWORD)")
		}
		if m.Mailbox == "" {
			m.Mailbox = "INBOX"
		}
		switch m.TLS {
		case "":
			m.TLS = IMAPTLSImplicit
		case IMAPTLSImplicit, IMAPTLSStartTLS, IMAPTLSNone:
		default:
			errs.Add(key+".tls", "invalid", "%q is not one of implicit, starttls, none", m.TLS)
		}
		if m.PollInterval == 0 {
			m.PollInterval = Duration(time.Minute)
		}
		if m.PollInterval < Duration(10*time.Second) {
			errs.Add(key+".poll_interval", "invalid", "must be at least 10s: a mail server blocks clients that ask more often")
		}
	}
	if e.InboundAddr != "" {
		if err := hostPort(e.InboundAddr); err != nil {
			errs.Add("channels.email.inbound_addr", "invalid", "must be [host]:port such as :2525 (%v)", err)
		}
		if len(s.InboundDomains()) == 0 {
			errs.Add("channels.email.inbound_domains", "required", "name the domains to take mail for (or set shop.email): the listener refuses everyone else")
		}
	}
	for i, d := range e.InboundDomains {
		if d = strings.ToLower(strings.TrimSpace(d)); d == "" || strings.ContainsAny(d, "@ <>") || !strings.Contains(d, ".") {
			errs.Add(fmt.Sprintf("channels.email.inbound_domains[%d]", i), "invalid", "%q is not a domain such as shop.lv", e.InboundDomains[i])
			continue
		}
		e.InboundDomains[i] = strings.ToLower(strings.TrimSpace(d))
	}
	if e.InboundMaxMB < 0 || e.InboundMaxMB > 100 {
		errs.Add("channels.email.inbound_max_mb", "invalid", "must be between 1 and 100 (0 for the default, 35)")
	}
}

// hostPort checks a [host]:port address.
func hostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	return nil
}
