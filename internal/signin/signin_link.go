package signin

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// LinkTTL is how long a signed link in a message or on a tracking page
// opens the customer's page: a month, as long as an order's news is read.
const LinkTTL = 30 * 24 * time.Hour

// A signed link's token is base64url of version, via, customer id,
// expiry (Unix seconds) and the first 16 bytes of their HMAC: 46
// characters, never the 43 of a one-time link's random token.
const (
	signedVersion = 1
	signedPayload = 1 + 1 + 8 + 8
	signedMAC     = 16
)

// signedVias are the ways a signed link is handed out, by their byte in
// the token.
var signedVias = map[byte]string{'m': ViaMessage, 't': ViaTracking}

// Link returns a signed token that opens customerID's page until
// expires, any number of times; via is ViaMessage or ViaTracking, for the
// list of sign-ins. It needs no database: the key was loaded at start.
func (s *Service) Link(customerID int64, via string, expires time.Time) string {
	b := make([]byte, signedPayload, signedPayload+signedMAC)
	b[0] = signedVersion
	b[1] = 'm'
	if via == ViaTracking {
		b[1] = 't'
	}
	binary.BigEndian.PutUint64(b[2:], uint64(customerID))
	binary.BigEndian.PutUint64(b[10:], uint64(expires.Unix()))
	b = append(b, mac(s.key, "signed", string(b))[:signedMAC]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// URL returns the address of customerID's page through a signed link
// (public_url + /my/in/ + token), valid LinkTTL from now.
func (s *Service) URL(customerID int64, via string, now time.Time) string {
	return strings.TrimRight(s.deps.Settings.Shop.PublicURL, "/") + "/my/in/" + s.Link(customerID, via, now.Add(LinkTTL))
}

// signed reads a signed token: its customer and via, or ok false when it
// is not one, its HMAC is wrong, or it expired at now.
func (s *Service) signed(token string, now time.Time) (customerID int64, via string, ok bool) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != signedPayload+signedMAC || b[0] != signedVersion {
		return 0, "", false
	}
	via, known := signedVias[b[1]]
	if !known || !hmac.Equal(mac(s.key, "signed", string(b[:signedPayload]))[:signedMAC], b[signedPayload:]) {
		return 0, "", false
	}
	id := int64(binary.BigEndian.Uint64(b[2:]))
	exp := time.Unix(int64(binary.BigEndian.Uint64(b[10:])), 0)
	if id <= 0 || !now.Before(exp) {
		return 0, "", false
	}
	return id, via, true
}

// LinkCheck tells whether a link's token would open a page at now,
// without spending it: the page a mail scanner GETs shows a Continue
// button, and only Enter (a POST) spends. ErrCode when it would not.
func (s *Service) LinkCheck(ctx context.Context, token string, now time.Time) error {
	if id, _, ok := s.signed(token, now); ok {
		erased, err := customer.IsErased(ctx, s.db.Read(), id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && erased) {
			return ErrCode
		}
		return err
	}
	if !secret.Plausible(token) {
		return ErrCode
	}
	var n int
	err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM signin_codes WHERE link_hash = $1 AND used_at IS NULL
		AND expires_at > $2 AND wrong < $3 AND customer_id IS NOT NULL`, keyed(s.key, "link", token), now, MaxWrong).Scan(&n)
	if err != nil {
		return fmt.Errorf("check sign-in link: %w", err)
	}
	if n == 0 {
		return ErrCode
	}
	return nil
}

// Enter opens a session by a link's token: a signed link (any number of
// times until it expires, unless its customer was erased since), or a
// one-time link, which it spends. ErrCode when the token opens nothing.
func (s *Service) Enter(ctx context.Context, token string, now time.Time) (Session, error) {
	var out Session
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if id, via, ok := s.signed(token, now); ok {
			erased, err := customer.IsErased(ctx, tx, id)
			if errors.Is(err, store.ErrNotFound) || (err == nil && erased) {
				return ErrCode
			}
			if err != nil {
				return err
			}
			out, err = sessionCreate(ctx, tx, id, via, now)
			return err
		}
		if !secret.Plausible(token) {
			return ErrCode
		}
		var customerID int64
		err := tx.QueryRow(ctx, `UPDATE signin_codes SET used_at = $1 WHERE link_hash = $2 AND used_at IS NULL
			AND expires_at > $1 AND wrong < $3 AND customer_id IS NOT NULL RETURNING customer_id`,
			now, keyed(s.key, "link", token), MaxWrong).Scan(&customerID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrCode
		}
		if err != nil {
			return fmt.Errorf("spend sign-in link: %w", err)
		}
		out, err = sessionCreate(ctx, tx, customerID, ViaLink, now)
		return err
	})
	return out, err
}
