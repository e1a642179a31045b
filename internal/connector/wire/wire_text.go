package wire

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/order"
)

// SecretMatches compares a secret from a delivery with the configured one
// in constant time (over their digests, so the length leaks nothing
// either); an empty configured secret matches nothing.
func SecretMatches(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// cashWords are what payment methods paid on delivery are called on the
// platforms' checkouts in Russian, Latvian and English.
var cashWords = []string{
	"налич", "при получении", "наложенн", "курьеру", "cash", "on delivery",
	"skaidr", "pēcmaks", "pie saņemšanas",
}

// PaymentMethod is "cod" when the platform's payment method's name says
// the customer pays on delivery (or is the word COD), otherwise
// "prepaid".
func PaymentMethod(name string) string {
	n := strings.ToLower(name)
	for _, w := range cashWords {
		if strings.Contains(n, w) {
			return "cod"
		}
	}
	for _, f := range strings.FieldsFunc(n, func(r rune) bool { return r < 'a' || r > 'z' }) {
		if f == "cod" {
			return "cod"
		}
	}
	return "prepaid"
}

// MappedStatus looks a platform's status up in the connector's own
// statuses map (custom statuses a shop added); ok is false when it is not
// there. A mapping to a name shopcare does not know is an error naming
// the setting.
func MappedStatus(statuses map[string]string, names ...string) (order.Status, bool, error) {
	for _, n := range names {
		if n == "" {
			continue
		}
		to, ok := statuses[n]
		if !ok {
			for k, v := range statuses {
				if strings.EqualFold(k, n) {
					to, ok = v, true
					break
				}
			}
		}
		if !ok {
			continue
		}
		st, valid := order.ParseStatus(strings.TrimSpace(to))
		if !valid {
			return "", false, fmt.Errorf("statuses[%q]: %q is not a shopcare status (%s)", n, to, order.StatusNames())
		}
		return st, true, nil
	}
	return "", false, nil
}

// Join puts the non-empty parts on one line, comma separated.
func Join(parts ...string) string { return JoinWith(", ", parts...) }

// ID is a platform's id that may come as a JSON number or a string.
type ID string

// UnmarshalJSON takes a number, a string or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*id = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want an id, got %s", short(b))
		}
		*id = ID(n)
	}
	return nil
}

// FirstOf returns the first value that is not blank, trimmed.
func FirstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// JoinWith joins the values that are not blank with sep, each trimmed.
func JoinWith(sep string, vs ...string) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, sep)
}

// SiteURL is a shop's address as its settings give it, with https://
// added when the owner pasted only the host ("myshop.myshopify.com") and
// no trailing slash.
func SiteURL(raw string) string {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	return raw
}
