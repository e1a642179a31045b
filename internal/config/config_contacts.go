package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Contacts are how customers reach the shop, beside shop.phone: its
// e-mail and its messengers. The tracking page shows them with the
// working hours.
type Contacts struct {
	// Email is the shop's address for customers ("hello@example.com").
	Email ContactEmail `yaml:"email"`
	// Messengers are the chats the shop answers in:
	// {telegram: "@kastryulya", whatsapp: "+79161234567"}.
	Messengers Messengers `yaml:"messengers"`
	// Address is where customers find the shop, to pick up or bring back
	// an order ("Rīga, Brīvības iela 40"); one line, shown with the
	// contacts on the tracking page and the customer's help page.
	Address string `yaml:"address"`
}

// ContactEmail is an e-mail address customers write to.
type ContactEmail string

// UnmarshalYAML reads one bare address and refuses anything else.
func (e *ContactEmail) UnmarshalYAML(n *yaml.Node) error {
	v := strings.TrimSpace(n.Value)
	if v == "" {
		*e = ""
		return nil
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v {
		return fmt.Errorf("line %d: %q is not an e-mail address like hello@example.com", n.Line, n.Value)
	}
	*e = ContactEmail(v)
	return nil
}

// The messengers a shop can name, in the order they are shown.
const (
	MessengerTelegram = "telegram"
	MessengerWhatsApp = "whatsapp"
	MessengerViber    = "viber"
)

// messengerKinds lists the messengers shown, in order.
var messengerKinds = []string{MessengerTelegram, MessengerWhatsApp, MessengerViber}

// Messengers maps a messenger (telegram, whatsapp, viber) to the shop's
// handle on it: a Telegram @name, a WhatsApp or Viber phone number.
type Messengers map[string]string

// UnmarshalYAML reads {telegram: "@name", whatsapp: "+371…"} and refuses
// an unknown messenger or a handle that cannot make a link.
func (m *Messengers) UnmarshalYAML(n *yaml.Node) error {
	var raw map[string]string
	if err := n.Decode(&raw); err != nil {
		return fmt.Errorf("line %d: messengers are a map like {telegram: \"@shop\", whatsapp: \"+37120000000\"}", n.Line)
	}
	out := make(Messengers, len(raw))
	for kind, handle := range raw {
		k, h := strings.ToLower(strings.TrimSpace(kind)), strings.TrimSpace(handle)
		if _, ok := messengerLink(k, h); !ok {
			return fmt.Errorf("line %d: messenger %q with %q: want telegram (@name) or whatsapp/viber (a phone number like +37120000000)",
				n.Line, kind, handle)
		}
		out[k] = h
	}
	*m = out
	return nil
}

// Messenger is one of the shop's messengers, ready to show.
type Messenger struct {
	Kind   string // telegram, whatsapp or viber
	Name   string // its brand name: Telegram
	Handle string // as the shop wrote it: @kastryulya
	URL    string // the link that opens the chat
}

// List returns the messengers in their fixed order, each with its link.
func (m Messengers) List() []Messenger {
	var out []Messenger
	for _, k := range messengerKinds {
		h, ok := m[k]
		if !ok {
			continue
		}
		if u, ok := messengerLink(k, h); ok {
			out = append(out, Messenger{Kind: k, Name: map[string]string{MessengerTelegram: "Telegram",
				MessengerWhatsApp: "WhatsApp", MessengerViber: "Viber"}[k], Handle: h, URL: u})
		}
	}
	return out
}

// messengerLink is the chat link of a handle on a messenger; false when
// the messenger is unknown or the handle is not one.
func messengerLink(kind, handle string) (string, bool) {
	switch kind {
	case MessengerTelegram:
		name := strings.TrimPrefix(handle, "@")
		if len(name) < 4 || len(name) > 32 || strings.IndexFunc(name, func(r rune) bool {
			return r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
		}) >= 0 {
			return "", false
		}
		return "https://t.me/" + name, true
	case MessengerWhatsApp, MessengerViber:
		digits := strings.Map(func(r rune) rune {
			switch {
			case r >= '0' && r <= '9':
				return r
			case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')':
				return -1
			}
			return 'x'
		}, handle)
		if strings.Contains(digits, "x") || len(digits) < 7 || len(digits) > 15 {
			return "", false
		}
		if kind == MessengerWhatsApp {
			return "https://wa.me/" + digits, true
		}
		return "viber://chat?number=" + url.QueryEscape("+"+digits), true
	}
	return "", false
}
