package loyalty

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// codeAlphabet has no 0/O, 1/I/L: codes are read aloud and typed by hand.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// randomCode returns n characters of codeAlphabet from crypto/rand.
func randomCode(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	for i := range b {
		// 31 symbols: the modulo bias of a byte is under 1 %, and the
		// code's strength is its length (12 symbols ≈ 59 bits).
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode upper-cases a code a person typed and drops spaces and
// dashes, so "ab12-cd34" finds AB12CD34.
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}

// ReferralCode returns a customer's personal referral code, making one the
// first time.
func (s *Service) ReferralCode(ctx context.Context, customerID int64) (string, error) {
	codes, err := s.ReferralCodes(ctx, []int64{customerID})
	return codes[customerID], err
}

// ReferralCodes returns the customers' personal referral codes, read
// together (a sweep's batch of loyalty news asks for them at once), making
// those they lack one customer a transaction: a transaction that opened
// accounts and set codes for several customers could wait, holding some
// of them, on the journal's loyalty handler, which takes the same rows in
// an order of its own.
func (s *Service) ReferralCodes(ctx context.Context, customerIDs []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(customerIDs))
	scan := func(r store.Rows) error {
		var id int64
		var code string
		if err := r.Scan(&id, &code); err != nil {
			return err
		}
		out[id] = code
		return nil
	}
	const read = `SELECT customer_id, referral_code FROM loyalty_accounts
		WHERE referral_code IS NOT NULL AND customer_id IN (IN_LIST)`
	if err := store.QueryIn(ctx, s.db.Read(), read, nil, customerIDs, scan); err != nil {
		return nil, fmt.Errorf("referral codes of %d customers: %w", len(customerIDs), err)
	}
	for _, id := range customerIDs {
		if _, ok := out[id]; ok {
			continue
		}
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := s.accounts(ctx, tx, []int64{id}, s.clock.Now()); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE loyalty_accounts SET referral_code = $2 WHERE customer_id = $1 AND referral_code IS NULL`,
				id, randomCode(8))
			if err != nil {
				return fmt.Errorf("referral code of customer %d: %w", id, err)
			}
			return store.QueryIn(ctx, tx, read, nil, []int64{id}, scan)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReferralLink is the personal link a customer shares: the shop's
// /r/CODE, which sends the friend on to the shop (ReferralLanding).
func (s *Service) ReferralLink(code string) string {
	return s.settings.Shop.PublicURL + "/r/" + url.PathEscape(code)
}

// ReferralLanding is where a personal link sends the friend: the shop's
// landing page with ?ref=CODE, for the shop to hand back with the order
// (referral_code), or false when no customer has the code.
func (s *Service) ReferralLanding(ctx context.Context, code string) (string, bool, error) {
	if !PlausibleCode(code) {
		return "", false, nil
	}
	code = NormalizeCode(code)
	var id int64
	err := s.db.Read().QueryRow(ctx, `SELECT customer_id FROM loyalty_accounts WHERE referral_code = $1`, code).Scan(&id)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("referral code: %w", err)
	}
	base := s.settings.Loyalty.Referral.LandingURL
	if base == "" {
		base = s.settings.Shop.PublicURL + "/"
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", false, fmt.Errorf("loyalty.referral.landing_url: %w", err)
	}
	q := u.Query()
	q.Set("ref", code)
	u.RawQuery = q.Encode()
	return u.String(), true, nil
}

// linkReferral records who brought a new customer: the order carries a
// referral code, it is the customer's first order, the code is another
// customer's, and nobody is recorded yet. Anything else is ignored (a
// code of one's own, an old customer, a mistyped code): the order stands.
func (s *Service) linkReferral(ctx context.Context, tx *store.Tx, f orderFacts) error {
	if !PlausibleCode(f.referralCode) {
		return nil
	}
	code := NormalizeCode(f.referralCode)
	var referrer int64
	err := tx.QueryRow(ctx, `SELECT customer_id FROM loyalty_accounts WHERE referral_code = $1`, code).Scan(&referrer)
	if errors.Is(err, store.ErrNotFound) || err == nil && referrer == f.customerID {
		return nil
	}
	if err != nil {
		return fmt.Errorf("loyalty: referral code of order %d: %w", f.id, err)
	}
	earlier, err := order.CountPlacedBy(ctx, tx, f.customerID, f.id, f.placedAt)
	if err != nil {
		return fmt.Errorf("loyalty: earlier orders of customer %d: %w", f.customerID, err)
	}
	if earlier > 0 {
		return nil
	}
	if _, err := s.accounts(ctx, tx, []int64{f.customerID}, s.clock.Now()); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE loyalty_accounts SET referred_by = $2 WHERE customer_id = $1 AND referred_by IS NULL`,
		f.customerID, referrer)
	if err != nil {
		return fmt.Errorf("loyalty: link referral of customer %d: %w", f.customerID, err)
	}
	return nil
}
