package message

import (
	"net"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/notify"
)

// The keys of the notices RaiseNotices raises.
const (
	NoticeNoChannel     = "messaging.no_channel"
	NoticePublicURLHTTP = "messaging.public_url_http"
	NoticePublicURLHost = "messaging.public_url_local"
)

// RaiseNotices tells the owner, on b, about settings that make a whole
// class of messages fail or lose a part, so that none does so silently:
// no channel at all (no customer hears anything), a public address
// customers cannot open (every tracking and unsubscribe link is dead), an
// http one (marketing mail goes without one-click unsubscribe, which needs
// https). Each is logged once as a warning when raised, so serve warns at
// start, and the admin shows it above every owner page. The demo (demo
// true) serves invented customers from this computer over http by
// design, so its address is no notice.
func RaiseNotices(b *notice.Board, s config.Settings, channels []notify.Sender, demo bool) {
	if len(channels) == 0 {
		b.Add(notice.Notice{Key: NoticeNoChannel, Message: "messaging.notice.no_channel"})
	}
	u, err := url.Parse(s.Shop.PublicURL)
	switch {
	case demo:
	case s.Shop.PublicURL == "" || err != nil || u.Host == "" || local(u.Hostname()):
		b.Add(notice.Notice{Key: NoticePublicURLHost, Message: "messaging.notice.public_url_local",
			Args: map[string]any{"URL": s.Shop.PublicURL}})
	case u.Scheme != "https":
		b.Add(notice.Notice{Key: NoticePublicURLHTTP, Message: "messaging.notice.public_url_http",
			Args: map[string]any{"URL": s.Shop.PublicURL}})
	}
}

// local reports whether host names this computer, which a customer's
// phone cannot reach.
func local(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
