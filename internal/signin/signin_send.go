package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/secret"
)

// The codes are sent by goroutines of the service, not by a River job
// and not through the messages table: a job's args and a message's body
// are stored, and the code must never be, in clear, anywhere. A code
// lost to a crash between the commit and the send costs the customer
// one more request, which is what they would do anyway. The goroutines
// are bounded: beyond maxSending in flight a request is recorded but its
// code is not sent (and logged), so a flood of requests cannot grow the
// process without end. They go at once, night or day, bypassing the
// quiet hours: the customer is waiting for it.
const (
	maxSending  = 64
	sendTimeout = 30 * time.Second
)

// delivery is a code to send, held only in memory.
type delivery struct {
	customerID int64
	contact    Contact
	code       string
	token      string
}

// post hands d to a goroutine of its own, unless maxSending are in flight.
func (s *Service) post(d delivery) {
	select {
	case s.sending <- struct{}{}:
	default:
		s.log().Warn("sign-in code not sent: too many sends in flight", "customer", d.customerID, "in_flight", maxSending)
		return
	}
	s.inFlight.Add(1)
	go func() {
		defer func() {
			<-s.sending
			s.inFlight.Done()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		if err := s.deliver(ctx, d); err != nil {
			s.log().Error("sign-in code not sent", "customer", d.customerID, "kind", d.contact.Kind, "err", err)
		}
	}()
}

// Wait returns when every code handed to a goroutine was sent or failed:
// the app waits at a stop, tests before they look for a mail.
func (s *Service) Wait() { s.inFlight.Wait() }

// deliver sends d's code: by e-mail with the one-time link, to a phone
// by Telegram when the customer has a chat with the shop's bot, else by
// SMS; in the customer's language.
func (s *Service) deliver(ctx context.Context, d delivery) error {
	r, err := customer.GetReach(ctx, s.db.Read(), d.customerID)
	if err != nil {
		return fmt.Errorf("load customer %d: %w", d.customerID, err)
	}
	shop := s.deps.Settings.Shop
	fallback := i18n.EN
	if len(shop.Languages) > 0 {
		fallback = i18n.Pick(shop.Languages[0], i18n.EN)
	}
	lang := i18n.Pick(r.Language, fallback)
	data := map[string]any{"Shop": shop.Name, "Code": d.code, "Name": firstName(r.Name),
		"Link": strings.TrimRight(shop.PublicURL, "/") + "/my/in/" + d.token, "Minutes": int(CodeTTL / time.Minute)}
	m := notify.Message{ID: "signin-" + secret.Token()[:16], To: d.contact.Value, ToName: r.Name, Transactional: true}
	channel := "email"
	switch {
	case d.contact.Kind == ContactEmail:
		m.Subject = i18n.Text(lang, "signin.mail.subject", data)
		m.Text = i18n.Text(lang, "signin.mail.text", data)
	case r.TelegramChat != nil && *r.TelegramChat != "" && s.channel("telegram") != nil:
		channel, m.To = "telegram", *r.TelegramChat
		m.Text = i18n.Text(lang, "signin.chat.text", data)
	default:
		channel = "sms"
		m.Text = i18n.Text(lang, "signin.sms.text", data)
	}
	ch := s.channel(channel)
	if ch == nil {
		return fmt.Errorf("send sign-in code by %s: %w", channel, errNoChannel)
	}
	if err := ch.Send(ctx, m); err != nil {
		return fmt.Errorf("send sign-in code by %s: %w", channel, err)
	}
	s.log().Info("sign-in code sent", "customer", d.customerID, "channel", channel)
	return nil
}

// errNoChannel reports a channel the shop has not set up.
var errNoChannel = errors.New("the channel is not set up")

// channel returns the sender of a channel, nil when there is none.
func (s *Service) channel(name string) notify.Sender {
	for _, ch := range s.channels {
		if ch.Channel() == name {
			return ch
		}
	}
	return nil
}

// firstName is the first word of a name, for the greeting.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}
