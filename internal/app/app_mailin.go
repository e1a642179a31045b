package app

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/inbox/mailin"
	"github.com/shopcare/shopcare/internal/service"
)

// Runner is a long-running part that serve starts beside the HTTP
// server: it runs until ctx is done and returns nil then.
type Runner func(ctx context.Context) error

// MailIn builds the e-mail channels in that the settings configure: the
// IMAP poller of channels.email.imap and the SMTP listener of
// channels.email.inbound_addr, each handing customers' mail to r (the
// conversations' service). None when neither is set.
func MailIn(d service.Deps, r inbox.Receiver) ([]Runner, error) {
	s, db, log := d.Settings, d.DB, d.Log
	var out []Runner
	e := s.Channels.Email
	parser := mailin.Parser{Lang: i18n.EN} // notes for the operator, in the shop's first language
	if len(s.Shop.Languages) > 0 {
		parser.Lang = i18n.Pick(s.Shop.Languages[0], i18n.EN)
	}
	if m := e.IMAP; m.Enabled() {
		p, err := mailin.NewPoller(mailin.PollerConfig{
			Addr: m.Addr, Username: m.Username, Password: m.Password, Mailbox: m.Mailbox, TLS: m.TLS,
			MarkSeen: m.SeenAfterTaking(), PollInterval: time.Duration(m.PollInterval),
			DB: db, Receiver: r, Parser: parser, Log: log.With("channel", "imap"),
		})
		if err != nil {
			return nil, err
		}
		out = append(out, p.Run)
	}
	if e.InboundAddr != "" {
		l, err := mailin.NewListener(mailin.ListenerConfig{
			Addr: e.InboundAddr, Domains: s.InboundDomains(), MaxBytes: int64(e.InboundMaxMB) << 20,
			Receiver: r, Parser: parser, Log: log.With("channel", "smtp-in"),
		})
		if err != nil {
			return nil, err
		}
		out = append(out, l.Run)
	}
	return out, nil
}
