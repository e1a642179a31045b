package campaign

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/notify/sms"
)

// ErrNoChannel is a test send on a channel the shop has not configured
// (or on paper, which is printed, not sent).
var ErrNoChannel = errors.New("campaigns: the campaign's channel is not configured")

// Preview renders campaign id's variant for a real customer in lang, as
// they would get it (nothing is sent or counted). lang "" is the
// customer's own; customerID 0 is a sample customer.
func (s *Service) Preview(ctx context.Context, id, customerID int64, lang, variant string) (Rendered, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return Rendered{}, err
	}
	r := sampleRecipient
	if customerID != 0 {
		cu, err := customer.Get(ctx, s.db.Read(), customerID)
		if err != nil {
			return Rendered{}, fmt.Errorf("preview campaign %d for customer %d: %w", id, customerID, err)
		}
		r = Recipient{CustomerID: cu.ID, Name: cu.Name, Language: cu.Language, Email: cu.Email, Phone: cu.Phone}
	} else {
		r.Name = i18n.Text(i18n.Pick(lang, s.shopLang()), "campaign_content.sample_customer", nil)
	}
	if lang != "" {
		r.Language = lang
	}
	k, err := s.compile(c)
	if err != nil {
		return Rendered{}, err
	}
	if variant == "" {
		variant = VariantA
	}
	return k.Render(variant, r)
}

// shopLang is the shop's first language.
func (s *Service) shopLang() i18n.Lang {
	if langs := s.deps.Settings.Shop.Languages; len(langs) > 0 {
		return i18n.Pick(langs[0], i18n.EN)
	}
	return i18n.EN
}

// TestSend sends campaign id's variant in lang to the address to (an
// e-mail, a phone, a Telegram chat by the campaign's channel), marked as a
// test; nothing is counted.
func (s *Service) TestSend(ctx context.Context, id int64, to, lang, variant string) error {
	c, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	to = strings.TrimSpace(to)
	if err := checkAddress(c.Channel, to); err != nil {
		return err
	}
	ch := s.channels[c.Channel]
	if ch == nil {
		return fmt.Errorf("test send of campaign %d on %s: %w", id, c.Channel, ErrNoChannel)
	}
	l := i18n.Pick(lang, s.shopLang())
	r := Recipient{Name: i18n.Text(l, "campaign_content.sample_customer", nil), Language: string(l)}
	switch c.Channel {
	case Email:
		r.Email = to
	case SMS:
		r.Phone = to
	case Telegram:
		r.Telegram = to
	}
	k, err := s.compile(c)
	if err != nil {
		return err
	}
	if variant == "" {
		variant = VariantA
	}
	out, err := k.Render(variant, r)
	if err != nil {
		return err
	}
	mark := i18n.Text(l, "campaign_content.test_mark", nil)
	subject := mark + " " + out.Subject
	text := out.Text
	if c.Channel != Email {
		text = mark + " " + text
	}
	m := notify.Message{ID: fmt.Sprintf("k%d-test-%d", id, s.deps.Clock.Now().UnixNano()), To: to, Subject: subject,
		Text: text, HTML: out.HTML, Transactional: false, Unsubscribe: out.Unsubscribe}
	if err := ch.Send(ctx, m); err != nil {
		return fmt.Errorf("test send of campaign %d to %s: %w", id, to, err)
	}
	return nil
}

// checkAddress checks a test send's address for the channel: an e-mail
// address, an E.164 phone, a Telegram chat id.
func checkAddress(channel, to string) error {
	bad := false
	switch channel {
	case Email:
		a, err := mail.ParseAddress(to)
		bad = err != nil || a.Address != to
	case SMS:
		bad = !sms.ValidE164(to)
	case Telegram:
		_, err := strconv.ParseInt(to, 10, 64)
		bad = err != nil
	case Paper:
		return invalid.Field("to", "invalid", "a paper campaign is printed, not sent: print its letters instead")
	}
	if to == "" {
		return invalid.Field("to", "required", "say where to send the test")
	}
	if bad {
		return invalid.Field("to", "invalid", "%q is not an address on %s", to, channel)
	}
	return nil
}
