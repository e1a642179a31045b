package campaign

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// ErrUnknownToken is a link token that is not a campaign's (or is
// forged): the web surface tries the journey's messages' tokens next.
var ErrUnknownToken = errors.New("campaigns: unknown link token")

const (
	unsubscribePurpose = "campaign-unsubscribe"
	unsubscribeMAC     = 12 // bytes of the HMAC a link carries
	// unsubscribePrefix starts a campaign's unsubscribe token, so /u/
	// tells it from a journey message's at a glance.
	unsubscribePrefix = "k"
)

// UnsubscribeURL is the one-click unsubscribe link of campaign
// campaignID's message to customerID: /u/{token}, signed and stateless
// (the campaign and the customer, under the shop's key), so a message
// needs no row of its own to carry it.
func (s *Service) UnsubscribeURL(campaignID, customerID int64) string {
	return s.deps.Settings.Shop.PublicURL + "/u/" + s.unsubscribeToken(campaignID, customerID)
}

func (s *Service) unsubscribeToken(campaignID, customerID int64) string {
	var buf [2*binary.MaxVarintLen64 + 32]byte
	b := binary.AppendUvarint(buf[:0], uint64(campaignID))
	b = binary.AppendUvarint(b, uint64(customerID))
	b = append(b, s.signer.Sign(unsubscribePurpose, b)[:unsubscribeMAC]...)
	return unsubscribePrefix + base64.RawURLEncoding.EncodeToString(b)
}

// parseUnsubscribe reads a campaign's unsubscribe token; a token that is
// not one, or whose MAC does not match, is ErrUnknownToken.
func (s *Service) parseUnsubscribe(token string) (campaignID, customerID int64, err error) {
	rest, ok := strings.CutPrefix(token, unsubscribePrefix)
	if !ok || len(rest) > 64 {
		return 0, 0, ErrUnknownToken
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil || len(b) <= unsubscribeMAC {
		return 0, 0, ErrUnknownToken
	}
	payload, sum := b[:len(b)-unsubscribeMAC], b[len(b)-unsubscribeMAC:]
	c, n := binary.Uvarint(payload)
	if n <= 0 {
		return 0, 0, ErrUnknownToken
	}
	u, m := binary.Uvarint(payload[n:])
	if m <= 0 || n+m != len(payload) || c == 0 || u == 0 || c > 1<<62 || u > 1<<62 {
		return 0, 0, ErrUnknownToken
	}
	if !s.signer.Verify(unsubscribePurpose, payload, sum) {
		return 0, 0, ErrUnknownToken
	}
	return int64(c), int64(u), nil
}

// UnsubscribeCustomer tells whose a campaign's unsubscribe token is and
// their language, changing nothing: the page a GET of the link shows
// (mail scanners follow links; only the POST unsubscribes).
func (s *Service) UnsubscribeCustomer(ctx context.Context, token string) (customerID int64, language string, err error) {
	_, customerID, err = s.parseUnsubscribe(token)
	if err != nil {
		return 0, "", err
	}
	c, err := customer.Get(ctx, s.db.Read(), customerID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, "", ErrUnknownToken
	} else if err != nil {
		return 0, "", err
	}
	return customerID, c.Language, nil
}

// Unsubscribe stops marketing to the customer of a campaign's
// unsubscribe token, on every channel (order news keeps coming), and
// marks their campaign_recipients row unsubscribed: the link's page and
// the one-click POST of RFC 8058. Following it twice keeps the first
// time. A token not of a campaign is ErrUnknownToken.
func (s *Service) Unsubscribe(ctx context.Context, token string) (customerID int64, err error) {
	return s.unsubscribe(ctx, token, false)
}

// StopAll is Unsubscribe and, besides, the customer's stop of every
// message on every channel, order news included: the unsubscribe page's
// explicit second choice.
func (s *Service) StopAll(ctx context.Context, token string) (customerID int64, err error) {
	return s.unsubscribe(ctx, token, true)
}

func (s *Service) unsubscribe(ctx context.Context, token string, all bool) (int64, error) {
	campaignID, customerID, err := s.parseUnsubscribe(token)
	if err != nil {
		return 0, err
	}
	now := s.deps.Clock.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := customer.Get(ctx, tx, customerID); errors.Is(err, store.ErrNotFound) {
			return ErrUnknownToken
		} else if err != nil {
			return err
		}
		if err := message.OptOutMarketing(ctx, tx, customerID, now); err != nil {
			return err
		}
		if all {
			for _, ch := range []string{Email, SMS, Telegram} {
				if err := message.SetStanding(ctx, tx, customerID, ch, false, now); err != nil {
					return err
				}
			}
		}
		_, err := tx.Exec(ctx, `UPDATE campaign_recipients SET unsubscribed_at = $1
			WHERE campaign_id = $2 AND customer_id = $3 AND unsubscribed_at IS NULL`, now, campaignID, customerID)
		if err != nil {
			return fmt.Errorf("mark customer %d unsubscribed from campaign %d: %w", customerID, campaignID, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return customerID, nil
}
