package config

import (
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Bounds of the campaign settings.
const (
	maxCampaignImage     = 10 << 20
	defaultCampaignImage = 1 << 20
	maxCampaignWindow    = 7 * 24 * time.Hour
	maxAttributionDays   = 90
)

// Campaigns is how the shop's campaigns and marketing flows are sent: the
// providers' pace, click tracking, attribution, consent.
type Campaigns struct {
	// EmailRate is the most campaign e-mails handed to the mail server a
	// second, over all recipients' domains; 0 (the default) goes as fast
	// as the server takes them, slowing down when it asks to (SMTP 421,
	// 450). Set it to the provider's limit.
	EmailRate int `yaml:"email_rate"`
	// DomainRate is the most campaign e-mails a second to each of the big
	// mailbox providers (gmail.com, yandex.ru, mail.ru, inbox.lv, …),
	// which throttle or junk a sudden flood; default 0: no limit per
	// domain.
	DomainRate int `yaml:"domain_rate"`
	// SMSRate is the most campaign SMS a second; default 10.
	SMSRate int `yaml:"sms_rate"`
	// TelegramRate is the most campaign Telegram messages a second;
	// default 25 (Telegram allows about 30 for broadcasts).
	TelegramRate int `yaml:"telegram_rate"`
	// MaxErrors pauses a campaign after that many failed sends in a row
	// (a mail server down, a wrong password), for the owner to look;
	// default 100.
	MaxErrors int `yaml:"max_errors"`
	// Window spreads a campaign sent at the customers' morning over that
	// long from their first contact hour; default 3h.
	Window Duration `yaml:"window"`
	// TrackClicks rewrites the links of campaigns and marketing flows to
	// count clicks (/c/…); default true. No open pixel is ever added.
	TrackClicks bool `yaml:"track_clicks"`
	// AttributionDays counts an order towards a campaign when the
	// customer placed it within that many days of a click on it, else
	// of its message; default 5.
	AttributionDays int `yaml:"attribution_days"`
	// DoubleOptIn asks a customer who gives marketing consent on e-mail
	// to confirm it by a link first; default false.
	DoubleOptIn bool `yaml:"double_opt_in"`
	// ImageMaxBytes is the largest image a campaign's content may carry,
	// in bytes; default 1048576 (1 MB), at most 10 MB.
	ImageMaxBytes int64 `yaml:"image_max_bytes"`
}

// defaultCampaigns is the campaigns of a shop that has not set its own.
func defaultCampaigns() Campaigns {
	return Campaigns{SMSRate: 10, TelegramRate: 25, MaxErrors: 100, Window: Duration(3 * time.Hour),
		TrackClicks: true, AttributionDays: 5, ImageMaxBytes: defaultCampaignImage}
}

// validateCampaigns checks the rates, the window and the caps.
func (s *Settings) validateCampaigns(errs *invalid.List) {
	c := s.Campaigns
	for _, r := range []struct {
		field string
		v     int
	}{{"campaigns.email_rate", c.EmailRate}, {"campaigns.domain_rate", c.DomainRate}, {"campaigns.sms_rate", c.SMSRate},
		{"campaigns.telegram_rate", c.TelegramRate}, {"campaigns.max_errors", c.MaxErrors}} {
		if r.v < 0 {
			errs.Add(r.field, "invalid", "must not be negative")
		}
	}
	if c.Window < 0 || time.Duration(c.Window) > maxCampaignWindow {
		errs.Add("campaigns.window", "invalid", "must be between 0 and %s", maxCampaignWindow)
	}
	if c.AttributionDays < 1 || c.AttributionDays > maxAttributionDays {
		errs.Add("campaigns.attribution_days", "invalid", "must be between 1 and %d", maxAttributionDays)
	}
	if c.ImageMaxBytes < 0 || c.ImageMaxBytes > maxCampaignImage {
		errs.Add("campaigns.image_max_bytes", "invalid", "must be between 0 (no images) and %d bytes", maxCampaignImage)
	}
}
