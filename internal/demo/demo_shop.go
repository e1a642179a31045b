package demo

import (
	"embed"
	"fmt"
	"slices"

	"github.com/shopcare/shopcare/internal/config"
)

//go:embed shops/*.yaml
var shops embed.FS

// Shops are the demo shops ShopSettings knows: a Latvian shop selling in
// Latvian, Russian and English, and a Russian shop selling in Russian
// and English.
var Shops = []string{"lv", "ru"}

// ShopSettings returns the settings of a demo shop, "lv" or "ru", over
// the defaults, read and checked as a settings file is.
func ShopSettings(kind string) (config.Settings, error) {
	if !slices.Contains(Shops, kind) {
		return config.Settings{}, fmt.Errorf("demo shop %q: choose lv or ru", kind)
	}
	data, err := shops.ReadFile("shops/" + kind + ".yaml")
	if err != nil {
		return config.Settings{}, fmt.Errorf("demo shop %s: %w", kind, err)
	}
	s, err := config.Parse(data)
	if err != nil {
		return config.Settings{}, fmt.Errorf("demo shop %s: %w", kind, err)
	}
	return s, nil
}

// Channels points the settings' channels at what the demo may reach. With
// no SMTP server configured, e-mail goes to smtpURL (a MailSink) from the
// shop's address. SMS and Telegram are switched off: the demo's
// customers are invented, and a number made up for one may well be a
// real person's phone.
func Channels(s *config.Settings, smtpURL string) {
	if s.Channels.Email.SMTPURL == "" {
		s.Channels.Email.SMTPURL = smtpURL
	}
	if s.Channels.Email.From == "" {
		s.Channels.Email.From = fmt.Sprintf("%q <shop@demo.example>", s.Shop.Name)
	}
	s.Channels.SMS = config.SMS{}
	s.Channels.Telegram = config.Telegram{}
}
