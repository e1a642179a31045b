package app

import (
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/notify/email"
	"github.com/shopcare/shopcare/internal/notify/sms/smsc"
	"github.com/shopcare/shopcare/internal/notify/sms/twilio"
	"github.com/shopcare/shopcare/internal/notify/telegram"
)

// Channels builds the customer channels the settings configure: e-mail
// when an SMTP server is set, SMS through the chosen provider, Telegram
// with a bot token. A channel left out is skipped for every customer, with
// the reason recorded on each message.
func Channels(s config.Settings, clk clock.Clock) ([]notify.Sender, error) {
	var out []notify.Sender
	if ch := s.Channels.Email; ch.SMTPURL != "" {
		c, err := email.New(email.Config{URL: ch.SMTPURL, From: ch.From, Clock: clk, UnsubscribeMailto: ch.UnsubscribeMailto})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	switch sms := s.Channels.SMS; sms.Provider {
	case "smsc":
		c, err := smsc.New(smsc.Config{Login: sms.Login, Password: sms.Password, Sender: sms.Sender, BaseURL: sms.APIURL})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	case "twilio":
		c, err := twilio.New(twilio.Config{AccountSID: sms.AccountSID, AuthToken: sms.AuthToken, From: sms.From,
			MessagingServiceSID: sms.MessagingServiceSID, BaseURL: sms.APIURL})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if tg := s.Channels.Telegram; tg.BotToken != "" {
		c, err := telegram.New(telegram.Config{Token: tg.BotToken, ServerURL: tg.APIURL})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
