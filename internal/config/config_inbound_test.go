package config_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
)

// TestInboundEmail reads channels.email's inbound keys with their
// defaults, and the IMAP password from the environment, which the export
// leaves out.
func TestInboundEmail(t *testing.T) {
	t.Setenv("SHOPCARE_IMAP_PASSWORD", "s3cret-from-env")
	s, err := config.Parse([]byte(`
shop: {email: hello@Shop.lv}
channels:
  email:
    from: "Shop <orders@mail.shop.lv>"
    imap: {addr: "imap.example.lv:993", username: hello@shop.lv}
    inbound_addr: ":2525"
`))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Channels.Email.IMAP
	if m.Password != "s3cret-from-env" || m.Mailbox != "INBOX" || m.TLS != config.IMAPTLSImplicit ||
		time.Duration(m.PollInterval) != time.Minute || !m.SeenAfterTaking() || !m.Enabled() {
		t.Errorf("imap = %+v", m)
	}
	if got, want := s.InboundDomains(), []string{"shop.lv", "mail.shop.lv"}; !slices.Equal(got, want) {
		t.Errorf("inbound domains %v, want %v", got, want)
	}
	doc, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "s3cret") || !strings.Contains(string(doc), "imap.example.lv:993") {
		t.Errorf("export:\n%s", doc)
	}
	back, err := config.Parse(doc)
	if err != nil || back.Channels.Email.IMAP.Addr != m.Addr || back.Channels.Email.InboundAddr != ":2525" {
		t.Errorf("export does not read back: %v", err)
	}
}

func TestInboundEmailErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ yaml, field string }{
		{`channels: {email: {imap: {addr: "imap.example.lv", username: u, password: p}}}`, "channels.email.imap.addr"},
		{`channels: {email: {imap: {addr: "imap.example.lv:993", password: p}}}`, "channels.email.imap.username"},
		{`channels: {email: {imap: {addr: "imap.example.lv:993", username: u, password: p, tls: ssl}}}`, "channels.email.imap.tls"},
		{`channels: {email: {imap: {addr: "imap.example.lv:993", username: u, password: p, poll_interval: 1s}}}`, "channels.email.imap.poll_interval"},
		{`channels: {email: {inbound_addr: "2525", inbound_domains: [shop.lv]}}`, "channels.email.inbound_addr"},
		{`channels: {email: {inbound_addr: ":2525"}}`, "channels.email.inbound_domains"},
		{`channels: {email: {inbound_addr: ":2525", inbound_domains: [shop.lv, "a@b.lv"]}}`, "channels.email.inbound_domains[1]"},
		{`channels: {email: {inbound_max_mb: 500}}`, "channels.email.inbound_max_mb"},
	} {
		_, err := config.Parse([]byte(tc.yaml))
		var list invalid.List
		if !errors.As(err, &list) || !slices.ContainsFunc(list, func(e *invalid.Error) bool { return e.Field == tc.field }) {
			t.Errorf("%s: %v, want an error naming %s", tc.yaml, err, tc.field)
		}
	}
}
