package review

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
)

// LinkTTL is how long a review link in a message works: half a year, as
// Judge.me's verified-buyer tokens do.
const LinkTTL = 180 * 24 * time.Hour

// A link's token is base64url of version, order id, customer id, expiry
// (Unix seconds) and the first 16 bytes of their HMAC under the shop's
// stored key (signin.Service.Sign, purpose "review").
const (
	tokenVersion = 1
	tokenPayload = 1 + 8 + 8 + 8
	tokenMAC     = 16
)

// Signer makes the HMAC of signed links (signin.Service).
type Signer interface {
	Sign(purpose string, payload []byte) []byte
}

// Token returns the signed token of order orderID's review page for its
// customer, valid until expires. "" when the service has no signer.
func (s *Service) Token(customerID, orderID int64, expires time.Time) string {
	if s.signer == nil {
		return ""
	}
	b := make([]byte, tokenPayload, tokenPayload+tokenMAC)
	b[0] = tokenVersion
	binary.BigEndian.PutUint64(b[1:], uint64(orderID))
	binary.BigEndian.PutUint64(b[9:], uint64(customerID))
	binary.BigEndian.PutUint64(b[17:], uint64(expires.Unix()))
	b = append(b, s.signer.Sign("review", b)[:tokenMAC]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// WriteURL returns the address where customerID writes the reviews of
// orderID's products, without signing in: a link verified by the order
// (its token says which order it came from), valid LinkTTL from now.
// Empty when the shop has no public_url or the service no signer.
func (s *Service) WriteURL(customerID, orderID int64, now time.Time) string {
	base := strings.TrimRight(s.deps.Settings.Shop.PublicURL, "/")
	tok := s.Token(customerID, orderID, now.Add(LinkTTL))
	if base == "" || tok == "" {
		return ""
	}
	return base + "/rv/" + tok
}

// Verify reads a token: the order and customer it was made for, or
// ErrToken when it is not one of ours or expired at now.
func (s *Service) Verify(token string, now time.Time) (customerID, orderID int64, err error) {
	if s.signer == nil || len(token) > 128 {
		return 0, 0, ErrToken
	}
	b, derr := base64.RawURLEncoding.Strict().DecodeString(token)
	if derr != nil || len(b) != tokenPayload+tokenMAC || b[0] != tokenVersion {
		return 0, 0, ErrToken
	}
	if !hmac.Equal(s.signer.Sign("review", b[:tokenPayload])[:tokenMAC], b[tokenPayload:]) {
		return 0, 0, ErrToken
	}
	orderID = int64(binary.BigEndian.Uint64(b[1:]))
	customerID = int64(binary.BigEndian.Uint64(b[9:]))
	exp := time.Unix(int64(binary.BigEndian.Uint64(b[17:])), 0)
	if orderID <= 0 || customerID <= 0 || !now.Before(exp) {
		return 0, 0, ErrToken
	}
	return customerID, orderID, nil
}
