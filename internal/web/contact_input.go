package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/mail"
	"strings"
	"unicode"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// maxContactBody bounds a contact form's body: a message of
// maxContactMessage characters in the widest UTF-8 is well under it.
const maxContactBody = 64 << 10

// maxContactMessage is the longest message the form takes, in characters.
const maxContactMessage = 4000

// contactInput is what a visitor sends through the tracking page's form
// or the widget.
type contactInput struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Phone   string `json:"phone"`
	Message string `json:"message"`
	// Website is the honeypot: hidden from people, filled in by robots.
	Website string `json:"website"`
	// Lang is the widget's language (its data-lang, else the page's).
	Lang string `json:"lang"`
	// ID is the form's own id for this message, so that sending it twice
	// (a double click, a retry after a lost answer) stores it once.
	ID string `json:"id"`
}

// contactProblem is what is wrong with a submission: the field, and the
// text id and data of what to tell the visitor.
type contactProblem struct {
	Field string
	Text  string
	Data  map[string]any
}

// normalize trims the input and checks it by the rules of internal/invalid;
// needContact asks for an e-mail or a phone (the widget's visitors are
// not known otherwise). It returns the first problem, nil when the
// message may be taken.
func (c *contactInput) normalize(needContact bool) *contactProblem {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	c.Phone = strings.TrimSpace(c.Phone)
	c.Message = strings.TrimSpace(strings.ReplaceAll(c.Message, "\r\n", "\n"))
	checks := []struct {
		field, value string
		max          int
		multiline    bool
	}{
		{"name", c.Name, invalid.MaxName, false},
		{"email", c.Email, invalid.MaxEmail, false},
		{"phone", c.Phone, invalid.MaxPhone, false},
		{"message", c.Message, maxContactMessage, true},
	}
	for _, ch := range checks {
		if e := invalid.TextMax(ch.field, ch.value, ch.max, ch.multiline); e != nil {
			if e.Code == "too_long" {
				return &contactProblem{Field: ch.field, Text: "tracking.contact.error.too_long", Data: map[string]any{"Max": ch.max}}
			}
			return &contactProblem{Field: ch.field, Text: "tracking.contact.error.text"}
		}
	}
	if c.Message == "" {
		return &contactProblem{Field: "message", Text: "tracking.contact.error.message_required"}
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || !strings.Contains(c.Email, ".") {
			return &contactProblem{Field: "email", Text: "tracking.contact.error.email"}
		}
	}
	if c.Phone != "" && !plausiblePhone(c.Phone) {
		return &contactProblem{Field: "phone", Text: "tracking.contact.error.phone"}
	}
	if needContact && c.Email == "" && c.Phone == "" {
		return &contactProblem{Field: "email", Text: "tracking.contact.error.contact_required"}
	}
	if !plausibleFormID(c.ID) {
		c.ID = newFormID()
	}
	return nil
}

// text is the problem in the visitor's language.
func (p *contactProblem) text(lang i18n.Lang) string {
	return i18n.Text(lang, p.Text, p.Data)
}

// plausiblePhone takes digits with the usual separators, 5 to 15 digits
// (E.164's most), an optional leading +.
func plausiblePhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case unicode.IsDigit(r) && r < 128:
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 15
}

// plausibleFormID takes a form's own id: 16 to 64 characters of
// base64url or a UUID.
func plausibleFormID(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// newFormID is a random id for a form that came without one.
func newFormID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand's documented promise)
	return base64.RawURLEncoding.EncodeToString(b)
}

// from is the sender's address for the inbox: the e-mail, else the phone.
func (c *contactInput) from() string {
	if c.Email != "" {
		return c.Email
	}
	return c.Phone
}

// limitKey is who the per-contact limit counts: the e-mail, else the
// phone's digits, else fallback (the order's customer).
func (c *contactInput) limitKey(fallback string) string {
	if c.Email != "" {
		return "email:" + c.Email
	}
	if c.Phone != "" {
		return "phone:" + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, c.Phone)
	}
	return fallback
}
