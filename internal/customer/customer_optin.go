package customer

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Signer makes and checks the HMAC of a signed link's payload for a
// purpose (signin.Service: the shop's one key).
type Signer interface {
	Sign(purpose string, payload []byte) []byte
	Verify(purpose string, payload, sum []byte) bool
}

// optInPurpose is the purpose the confirmation links are signed for.
const optInPurpose = "marketing-optin"

// optInMAC is how many bytes of the HMAC an opt-in link carries.
const optInMAC = 16

// OptIn is what a confirmation link (/optin/{token}) stands for: the
// customer's marketing consent on Channel requested at Requested. The
// link is stateless; a newer request (or a withdrawal) voids it, as the
// pending consent it names is no longer there.
type OptIn struct {
	CustomerID int64
	Channel    string
	Requested  time.Time
}

// ErrBadOptIn is returned for a token that is not a confirmation link of
// this shop.
var ErrBadOptIn = errors.New("not a confirmation link")

// payload is the signed bytes: id, requested (Unix seconds), channel.
func (o OptIn) payload() ([]byte, bool) {
	ch := slices.Index(config.ChannelNames, o.Channel)
	if ch < 0 || o.CustomerID <= 0 {
		return nil, false
	}
	b := make([]byte, 17)
	binary.BigEndian.PutUint64(b, uint64(o.CustomerID))
	binary.BigEndian.PutUint64(b[8:], uint64(o.Requested.Unix()))
	b[16] = byte(ch)
	return b, true
}

// OptInToken returns the token of the confirmation link of o, "" for an
// o no link can stand for.
func OptInToken(s Signer, o OptIn) string {
	p, ok := o.payload()
	if !ok {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(append(p, s.Sign(optInPurpose, p)[:optInMAC]...))
}

// ParseOptIn checks a confirmation link's token and returns what it
// stands for, or ErrBadOptIn.
func ParseOptIn(s Signer, token string) (OptIn, error) {
	if len(token) > 64 {
		return OptIn{}, ErrBadOptIn
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != 17+optInMAC {
		return OptIn{}, ErrBadOptIn
	}
	p, sum := b[:17], b[17:]
	if !s.Verify(optInPurpose, p, sum) {
		return OptIn{}, ErrBadOptIn
	}
	id, unix := int64(binary.BigEndian.Uint64(p)), int64(binary.BigEndian.Uint64(p[8:]))
	if id <= 0 || int(p[16]) >= len(config.ChannelNames) {
		return OptIn{}, ErrBadOptIn
	}
	return OptIn{CustomerID: id, Channel: config.ChannelNames[p[16]], Requested: time.Unix(unix, 0).UTC()}, nil
}

// OptInSource is the source of the customer.changed event a confirmation
// journals.
const OptInSource = "optin"

// ConfirmOptIn records the consent a confirmation link stands for, at
// now, in its own transaction with a customer.changed event
// ("consent.email.marketing"); see ConfirmMarketing. It reports whether
// the consent was newly recorded (false: confirmed before).
func (s *Service) ConfirmOptIn(ctx context.Context, o OptIn, now time.Time) (bool, error) {
	var newly bool
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		newly, err = ConfirmMarketing(ctx, tx, o.CustomerID, o.Channel, o.Requested, now)
		if err != nil || !newly {
			return err
		}
		return s.journal.Append(ctx, tx, journal.Event{Kind: journal.CustomerChanged, CustomerID: o.CustomerID, OccurredAt: now,
			Payload: journal.MustPayload(event.CustomerChangedPayload{Fields: []string{"consent." + o.Channel + ".marketing"}, Source: OptInSource})})
	})
	if err != nil {
		return false, fmt.Errorf("confirm marketing consent of customer %d: %w", o.CustomerID, err)
	}
	return newly, nil
}

// OptInPending tells whether the request o stands for still waits for its
// confirmation (false: confirmed, withdrawn, or replaced by a newer one).
func (s *Service) OptInPending(ctx context.Context, o OptIn) (bool, error) {
	p, err := GetPendingMarketing(ctx, s.db.Read(), o.CustomerID, o.Channel)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return p.At.Unix() == o.Requested.Unix(), nil
}
