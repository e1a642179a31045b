// Package custom connects any other platform, or a shop's own site, to
// shopcare: the connector's mapping (config.Mapping) says where in the
// platform's JSON each of the order's fields is, by JSON pointer, and
// what its events, statuses and payment methods mean in shopcare's
// words. Deliveries are checked with an HMAC signature the mapping
// describes, or, for a site that does not sign, with the secret in the
// address. The platform has no API shopcare knows, so there is no
// backfill, registration or write-back.
package custom

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
)

// New returns the custom platform's adapter: its Webhook reads
// deliveries through o.Mapping; API, Registrar and Writer are nil.
func New(o connector.Options) connector.Adapter {
	return connector.Adapter{Webhook: NewWebhook(o)}
}

// Webhook checks and reads a custom platform's deliveries.
type Webhook struct {
	secret string
	// m is the mapping; nil when the connector has none, and then every
	// delivery is refused.
	m *config.Mapping
	// statuses are the mapping's statuses over the connector's own.
	statuses map[string]string
	loc      *time.Location
}

// NewWebhook returns the Webhook of a connector's options.
func NewWebhook(o connector.Options) *Webhook {
	w := &Webhook{secret: o.WebhookSecret, m: o.Mapping, loc: time.UTC, statuses: map[string]string{}}
	for k, v := range o.Statuses {
		w.statuses[k] = v
	}
	if o.Mapping == nil {
		return w
	}
	for k, v := range o.Mapping.Statuses {
		w.statuses[k] = v
	}
	if o.Mapping.TimeZone != "" {
		if loc, err := time.LoadLocation(o.Mapping.TimeZone); err == nil {
			w.loc = loc
		}
	}
	return w
}

// Verify checks the delivery's signature when the mapping describes one
// (an HMAC of the raw body with the webhook secret, in its header, after
// its prefix), else the secret in the address: /hooks/{name}/{secret}
// or ?secret=. Both are compared in constant time; a connector without a
// webhook secret refuses everything.
func (w *Webhook) Verify(r connector.Request) error {
	if w.secret == "" {
		return fmt.Errorf("%w: the connector has no webhook_secret", connector.ErrUnauthorized)
	}
	if w.m != nil && w.m.Signature != nil {
		return w.verifySignature(r)
	}
	given := r.PathSecret
	if given == "" {
		given = r.Query.Get("secret")
	}
	if given == "" {
		return fmt.Errorf("%w: no secret in the address", connector.ErrUnauthorized)
	}
	// Digests first, so that the comparison takes as long whatever the
	// length of the secret given.
	a, b := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(w.secret))
	if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		return fmt.Errorf("%w: the secret in the address is wrong", connector.ErrUnauthorized)
	}
	return nil
}

func (w *Webhook) verifySignature(r connector.Request) error {
	s := w.m.Signature
	got := strings.TrimSpace(r.Header.Get(s.Header))
	if got == "" {
		return fmt.Errorf("%w: no %s header", connector.ErrUnauthorized, s.Header)
	}
	if p := s.Prefix; p != "" {
		if len(got) < len(p) || !strings.EqualFold(got[:len(p)], p) {
			return fmt.Errorf("%w: the %s header does not start with %q", connector.ErrUnauthorized, s.Header, p)
		}
		got = got[len(p):]
	}
	sig, err := decodeSignature(got, s.Encoding)
	if err != nil {
		return fmt.Errorf("%w: the %s header is not %s", connector.ErrUnauthorized, s.Header, encodingName(s.Encoding))
	}
	mac := hmac.New(hashOf(s.Algorithm), []byte(w.secret))
	mac.Write(r.Body)
	if !hmac.Equal(mac.Sum(nil), sig) {
		return fmt.Errorf("%w: the %s signature does not match the body", connector.ErrUnauthorized, s.Header)
	}
	return nil
}

// hashOf returns the hash of a signature's algorithm (hmac-sha256 when
// not set).
func hashOf(algorithm string) func() hash.Hash {
	switch algorithm {
	case "hmac-sha512":
		return sha512.New
	case "hmac-sha1":
		return sha1.New
	default:
		return sha256.New
	}
}

func encodingName(e string) string {
	if e == "" {
		return "hex"
	}
	return e
}

// decodeSignature reads a signature in hex (either case) or base64
// (standard or URL alphabet, padded or not).
func decodeSignature(s, encoding string) ([]byte, error) {
	if encoding == "base64" {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(s); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("not base64")
	}
	return hex.DecodeString(s)
}
