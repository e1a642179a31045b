// Package sms holds what the SMS providers' adapters (sms/smsc,
// sms/twilio) share: the checks a message passes before it costs a
// request, and the reading of their HTTP answers.
package sms

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/notify"
)

// MaxRetryAfter caps what a Retry-After header can ask for.
const MaxRetryAfter = 24 * time.Hour

// Check refuses a message before it costs a request: no recipient or text,
// a text over maxChars characters (ErrInvalidMessage), or a recipient that
// is not an E.164 number (a PermanentError: the address is bad).
func Check(m notify.Message, maxChars int) error {
	switch {
	case m.To == "":
		return fmt.Errorf("%w: to: required", notify.ErrInvalidMessage)
	case m.Text == "":
		return fmt.Errorf("%w: text: required", notify.ErrInvalidMessage)
	case utf8.RuneCountInString(m.Text) > maxChars:
		return fmt.Errorf("%w: text: longer than %d characters", notify.ErrInvalidMessage, maxChars)
	case !ValidE164(m.To):
		return &notify.PermanentError{Err: fmt.Errorf("to %q: not an E.164 phone number", m.To)}
	}
	return nil
}

// ValidE164 reports whether s is "+" and 7 to 15 digits, the first not 0.
func ValidE164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 7 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// RetryAfter reads the Retry-After header (RFC 9110, section 10.2.3):
// seconds, or an HTTP date taken relative to the answer's own Date header so
// that the two clocks need not agree. It returns notify.DefaultRetryAfter
// when the header is missing or unusable, and at least one second, so that a
// caller that honours it cannot spin.
func RetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return notify.DefaultRetryAfter
	}
	var d time.Duration
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		d = time.Duration(n) * time.Second
	} else {
		at, err1 := http.ParseTime(v)
		now, err2 := http.ParseTime(h.Get("Date"))
		if err1 != nil || err2 != nil {
			return notify.DefaultRetryAfter
		}
		d = at.Sub(now)
	}
	return min(max(d, time.Second), MaxRetryAfter)
}

// Snippet quotes the start of a body that was not what was expected.
func Snippet(body []byte) string {
	const limit = 200
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit], "") + "…"
	}
	if s == "" {
		return "empty answer"
	}
	return strconv.Quote(s)
}
