package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// TelegramIn is the receiving half of the Telegram channel
// (channels.telegram): the shop's bot takes customers' messages into the
// support inbox. It is off unless asked for, because a bot token may be
// shared with other software, and whoever calls getUpdates or setWebhook
// takes the bot's messages away from it.
type TelegramIn struct {
	// Receive turns receiving on: shopcare long-polls the Bot API
	// (getUpdates) for the bot's messages, or, with WebhookSecret set,
	// lets Telegram deliver them to POST /hooks/telegram.
	Receive bool `yaml:"receive"`
	// WebhookSecret, when set, switches receiving to the webhook: shopcare
	// calls setWebhook with shop.public_url + /hooks/telegram at start, and
	// Telegram sends this secret in X-Telegram-Bot-Api-Secret-Token with
	// every update (env SHOPCARE_TELEGRAM_WEBHOOK_SECRET).
	WebhookSecret string `yaml:"webhook_secret"`
}

// Receiving reports whether the bot's incoming messages come to shopcare.
func (t Telegram) Receiving() bool {
	return t.BotToken != "" && (t.Receive || t.WebhookSecret != "")
}

// Web is the web channel's settings: the contact form on the tracking
// page and the widget a shop puts on its own site.
type Web struct {
	// WidgetOrigins are the shop's own sites that may embed the contact
	// widget (GET /widget.js) and post its form to POST /contact, as
	// origins: "https://shop.example". The origin of shop.public_url is
	// always allowed. The browser enforces it for the widget's JSON
	// request (CORS), and shopcare refuses a form posted from any other
	// origin.
	WidgetOrigins []string `yaml:"widget_origins"`
}

// telegramSecret is the shape Telegram takes for secret_token: 1–256
// characters A–Z, a–z, 0–9, _ and -.
var telegramSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// telegramInSecrets adds the receiving half's secret to the environment's
// map, so that it is read from SHOPCARE_TELEGRAM_WEBHOOK_SECRET and kept
// out of the export.
func (s *Settings) telegramInSecrets(m map[string]*string) {
	m["SHOPCARE_TELEGRAM_WEBHOOK_SECRET"] = &s.Channels.Telegram.WebhookSecret
}

// validateChannelsIn checks the receiving halves of the channels.
func (s *Settings) validateChannelsIn(errs *invalid.List) {
	tg := s.Channels.Telegram
	if (tg.Receive || tg.WebhookSecret != "") && strings.TrimSpace(tg.BotToken) == "" {
		errs.Add("channels.telegram.bot_token", "required", "must be set to receive Telegram messages")
	}
	if w := tg.WebhookSecret; w != "" {
		switch {
		case !telegramSecret.MatchString(w):
			// The secret is not repeated: it is a secret.
			errs.Add("channels.telegram.webhook_secret", "invalid", "must be letters, digits, _ and - only, at most 256 of them (Telegram's rule)")
		case len(w) < 16:
			errs.Add("channels.telegram.webhook_secret", "invalid", "must be at least 16 characters: it is all that guards the webhook address")
		}
		if u, err := url.Parse(s.Shop.PublicURL); err != nil || u.Scheme != "https" {
			errs.Add("channels.telegram.webhook_secret", "invalid", "needs shop.public_url on https: Telegram delivers webhooks only there (or leave it empty to poll)")
		}
	}
	for i, o := range s.Channels.Web.WidgetOrigins {
		n, ok := NormalizeOrigin(o)
		if !ok {
			errs.Add(fmt.Sprintf("channels.web.widget_origins[%d]", i), "invalid", "%q is not an origin such as https://shop.example (scheme and host, no path)", o)
			continue
		}
		s.Channels.Web.WidgetOrigins[i] = n
	}
}

// NormalizeOrigin returns an origin as browsers send it in the Origin
// header ("https://shop.example", lower-case, no default port, no path),
// or false when s is not one.
func NormalizeOrigin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return strings.ToLower(u.Scheme) + "://" + host, true
}

// WidgetOrigins returns the origins that may post the contact widget's
// form: channels.web.widget_origins and the origin of shop.public_url.
func (s Settings) WidgetOrigins() []string {
	var out []string
	if o, ok := NormalizeOrigin(originOf(s.Shop.PublicURL)); ok {
		out = append(out, o)
	}
	for _, o := range s.Channels.Web.WidgetOrigins {
		if n, ok := NormalizeOrigin(o); ok {
			out = append(out, n)
		}
	}
	return out
}

// originOf cuts a URL down to its scheme and host.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
