package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The headers of every delivery.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256>".
	SignatureHeader = "Shopcare-Signature"
	// EventHeader names the event's kind ("order.created").
	EventHeader = "Shopcare-Event"
	// DeliveryHeader is the delivery's id: the same on every retry of one
	// delivery, so a receiver can drop repeats.
	DeliveryHeader = "Shopcare-Delivery"
	// UserAgent is the User-Agent of every delivery.
	UserAgent = "shopcare-webhooks"
)

// DefaultTolerance is how far a signature's timestamp may be from the
// receiver's clock when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify. Receivers answer all of them with a 4xx; the kinds
// differ only to say what went wrong.
var (
	ErrMalformedSignature = errors.New("webhook signature header is malformed")
	ErrStaleSignature     = errors.New("webhook signature timestamp is outside the tolerance")
	ErrBadSignature       = errors.New("webhook signature does not match")
)

// Sign returns the Shopcare-Signature header value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<unix>.<body>")>". The
// timestamp is signed with the body, so a receiver that checks it (Verify)
// rejects a delivery replayed later.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a Shopcare-Signature header against the raw request body:
// the signature must match secret (compared in constant time) and its
// timestamp be within tolerance of now (DefaultTolerance when tolerance is
// zero or less). Several v1 entries are allowed, any one may match: that
// leaves room for rotating a secret.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fmt.Errorf("%w: %q is not key=value", ErrMalformedSignature, part)
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				return fmt.Errorf("%w: v1 is not a hex SHA-256 digest", ErrMalformedSignature)
			}
			sigs = append(sigs, sig)
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: no t=<unix seconds>", ErrMalformedSignature)
	}
	if len(sigs) == 0 {
		return fmt.Errorf("%w: no v1 signature", ErrMalformedSignature)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed at %s, %s from now", ErrStaleSignature, time.Unix(unix, 0).UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			return nil
		}
	}
	return ErrBadSignature
}
