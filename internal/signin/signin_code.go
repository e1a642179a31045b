package signin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// The kinds of contact a customer signs in with.
const (
	ContactEmail = "email"
	ContactPhone = "phone"
)

// Limits of the sign-in by code, in real time.
const (
	// CodeTTL is how long a code and its one-time link open the page.
	CodeTTL = 15 * time.Minute
	// ContactLimit is how many codes one contact may ask for in
	// ContactWindow, counted in the database so that every node agrees.
	ContactLimit  = 5
	ContactWindow = time.Hour
	// MaxWrong is how many mistyped codes kill a request: a guesser gets
	// 5 of a million tries per code asked for.
	MaxWrong = 5
	// codesKept is how long requests stay for the limits and the admin's
	// figures of the day; older ones go at the next request.
	codesKept = 48 * time.Hour
)

// ErrContact reports a contact that is neither an e-mail address nor a
// phone number.
var ErrContact = errors.New("not an e-mail address or a phone number")

// ErrCode reports a code or a one-time link that opens nothing: wrong,
// used, expired, tried too often, or of a contact no customer has. The
// customer is told only that, so nobody learns which.
var ErrCode = errors.New("sign-in code or link not valid")

// LimitError reports a contact that asked for too many codes; RetryAfter
// is when the oldest one counted leaves the window.
type LimitError struct {
	RetryAfter time.Duration
}

// Error says how long to wait.
func (e *LimitError) Error() string {
	return fmt.Sprintf("too many sign-in codes asked for, retry after %s", e.RetryAfter)
}

// Contact is what a customer typed to sign in, normalised as the
// customer package keeps it: an e-mail in lower case, a phone in E.164.
type Contact struct {
	Kind  string // ContactEmail or ContactPhone
	Value string
}

// ParseContact reads an e-mail address or a phone number; region is the
// shop's country, for numbers written without a country code. Anything
// else is ErrContact.
func ParseContact(raw, region string) (Contact, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 254 || !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) {
		return Contact{}, ErrContact
	}
	if strings.Contains(raw, "@") {
		in, err := customer.Normalize(customer.Input{Email: raw}, customer.Defaults{Country: region}, "")
		if err != nil || in.Email == "" {
			return Contact{}, ErrContact
		}
		return Contact{Kind: ContactEmail, Value: in.Email}, nil
	}
	in, err := customer.Normalize(customer.Input{Phone: raw}, customer.Defaults{Country: region}, "")
	if err != nil || in.Phone == "" {
		return Contact{}, ErrContact
	}
	return Contact{Kind: ContactPhone, Value: in.Phone}, nil
}

// Request records a customer's request for a code and, when a customer
// has the contact, sends the code (and, by e-mail, the one-time link)
// once the request is committed, off the caller's way. A contact no
// customer has is recorded the same way and sent nothing: the caller
// answers both alike. *LimitError when the contact asked too often.
// now is real time.
func (s *Service) Request(ctx context.Context, c Contact, now time.Time) error {
	contactHash := keyed(s.key, "contact", c.Kind, c.Value)
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM signin_codes WHERE created_at < $1`, now.Add(-codesKept)); err != nil {
			return fmt.Errorf("drop old sign-in codes: %w", err)
		}
		var recent []time.Time
		err := store.Each(ctx, tx, `SELECT created_at FROM signin_codes WHERE contact_hash = $1 AND created_at > $2
			ORDER BY created_at DESC LIMIT $3`, []any{contactHash, now.Add(-ContactWindow), ContactLimit},
			func(r store.Rows) error {
				var t time.Time
				if err := r.Scan(&t); err != nil {
					return err
				}
				recent = append(recent, t)
				return nil
			})
		if err != nil {
			return fmt.Errorf("count sign-in codes of a %s: %w", c.Kind, err)
		}
		if len(recent) >= ContactLimit {
			return &LimitError{RetryAfter: max(recent[len(recent)-1].Add(ContactWindow).Sub(now), time.Second)}
		}
		var customerID *int64
		cu, err := customer.FindByAddress(ctx, tx, c.Kind, c.Value, s.deps.Settings.Shop.Country)
		switch {
		case err == nil:
			customerID = &cu.ID
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("sign-in request: %w", err)
		}
		code, token := newCode(), secret.Token()
		linkHash := keyed(s.key, "link", token)
		_, err = tx.Exec(ctx, `INSERT INTO signin_codes (contact_kind, contact_hash, customer_id, code_hash, link_hash,
			created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.Kind, contactHash, customerID, keyed(s.key, "code", linkHash, code), linkHash, now, now.Add(CodeTTL))
		if err != nil {
			return fmt.Errorf("record sign-in request of a %s: %w", c.Kind, err)
		}
		if customerID != nil {
			out := delivery{customerID: *customerID, contact: c, code: code, token: token}
			tx.AfterCommit(func() { s.post(out) })
		}
		return nil
	})
}

// newCode returns six random digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail (Go 1.24+)
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// ValidCode reports whether code has the shape of a sign-in code: six
// digits (spaces the customer typed between them are dropped first by
// NormalizeCode).
func ValidCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NormalizeCode drops the spaces and dashes a customer may type inside a
// code ("123 456").
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' || r == '\t' {
			return -1
		}
		return r
	}, code)
}

// CodeSpend opens a session for the customer whose newest live request
// for contact has this code, and spends the request. A wrong code counts
// against the request (committed although the answer is ErrCode: the
// count is the defence); at MaxWrong it is dead. Only the newest request
// counts: a second code asked for replaces the first.
func (s *Service) CodeSpend(ctx context.Context, c Contact, code string, now time.Time) (Session, error) {
	contactHash := keyed(s.key, "contact", c.Kind, c.Value)
	var out Session
	wrong := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var (
			id                 int64
			customerID         *int64
			codeHash, linkHash string
			tries              int
		)
		err := tx.QueryRow(ctx, `SELECT id, customer_id, code_hash, link_hash, wrong FROM signin_codes
			WHERE contact_hash = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
			contactHash, now).Scan(&id, &customerID, &codeHash, &linkHash, &tries)
		if errors.Is(err, store.ErrNotFound) {
			wrong = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("load sign-in request of a %s: %w", c.Kind, err)
		}
		want, _ := hex.DecodeString(codeHash)
		if tries >= MaxWrong || customerID == nil || !ValidCode(code) || !hmac.Equal(mac(s.key, "code", linkHash, code), want) {
			wrong = true
			if _, err := tx.Exec(ctx, `UPDATE signin_codes SET wrong = wrong + 1 WHERE id = $1`, id); err != nil {
				return fmt.Errorf("count a wrong sign-in code of request %d: %w", id, err)
			}
			return nil
		}
		n, err := tx.Exec(ctx, `UPDATE signin_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, now, id)
		if err != nil {
			return fmt.Errorf("spend sign-in request %d: %w", id, err)
		}
		if n != 1 {
			wrong = true // spent by a parallel request
			return nil
		}
		out, err = sessionCreate(ctx, tx, *customerID, ViaCode, now)
		return err
	})
	if err != nil {
		return Session{}, err
	}
	if wrong {
		return Session{}, ErrCode
	}
	return out, nil
}
