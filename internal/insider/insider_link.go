package insider

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
	"github.com/shopcare/shopcare/internal/store"
)

// LinkTTL is how long an invitation link in a message asks its customer
// to join: two months, the life of a campaign's message.
const LinkTTL = 60 * 24 * time.Hour

// An invitation token is base64url of version, customer id, project id,
// expiry (Unix seconds) and the first 16 bytes of their HMAC-SHA256 under
// the shop's one key (Signer): 44 characters, made and read without the
// database.
const (
	linkVersion = 1
	linkPayload = 1 + 8 + 8 + 8
	linkMAC     = 16
)

// ErrLink is a token that is not an invitation shopcare made, or one
// past its time.
var ErrLink = errors.New("not a valid invitation link")

// Invitation is what a valid token names.
type Invitation struct {
	CustomerID, ProjectID int64
	Expires               time.Time
}

// Token returns the signed token inviting customerID to projectID until
// expires.
func (s *Service) Token(ctx context.Context, customerID, projectID int64, expires time.Time) (string, error) {
	if s.signer == nil {
		return "", errors.New("invitation links: the service has no signer")
	}
	return sign(s.mac, customerID, projectID, expires), nil
}

// mac is the HMAC of an invitation's payload b under the shop's key.
func (s *Service) mac(b []byte) []byte { return s.signer.Sign(linkPurpose, b) }

// linkPurpose keeps the invitations' MACs apart from every other signed
// link's.
const linkPurpose = "insider-invitation"

// URL returns the invitation's address (public_url + /i/ + token), valid
// LinkTTL from now.
func (s *Service) URL(ctx context.Context, customerID, projectID int64, now time.Time) (string, error) {
	tok, err := s.Token(ctx, customerID, projectID, now.Add(LinkTTL))
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s.deps.Settings.Shop.PublicURL, "/") + "/i/" + tok, nil
}

// Verify reads an invitation token at now: ErrLink when it is malformed,
// forged or expired.
func (s *Service) Verify(ctx context.Context, token string, now time.Time) (Invitation, error) {
	if s.signer == nil {
		return Invitation{}, ErrLink
	}
	inv, ok := verify(s.mac, token)
	if !ok || !now.Before(inv.Expires) {
		return Invitation{}, ErrLink
	}
	return inv, nil
}

// sign makes a token whose MAC mac makes.
func sign(mac func([]byte) []byte, customerID, projectID int64, expires time.Time) string {
	b := make([]byte, linkPayload, linkPayload+linkMAC)
	b[0] = linkVersion
	binary.BigEndian.PutUint64(b[1:], uint64(customerID))
	binary.BigEndian.PutUint64(b[9:], uint64(projectID))
	binary.BigEndian.PutUint64(b[17:], uint64(expires.Unix()))
	b = append(b, mac(b)[:linkMAC]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// verify reads a token whose MAC mac makes, whatever its expiry; ok
// false when it is not one.
func verify(mac func([]byte) []byte, token string) (Invitation, bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(linkPayload+linkMAC) {
		return Invitation{}, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != linkPayload+linkMAC || b[0] != linkVersion {
		return Invitation{}, false
	}
	if !hmac.Equal(mac(b[:linkPayload])[:linkMAC], b[linkPayload:]) {
		return Invitation{}, false
	}
	inv := Invitation{CustomerID: int64(binary.BigEndian.Uint64(b[1:])), ProjectID: int64(binary.BigEndian.Uint64(b[9:])),
		Expires: time.Unix(int64(binary.BigEndian.Uint64(b[17:])), 0)}
	if inv.CustomerID <= 0 || inv.ProjectID <= 0 {
		return Invitation{}, false
	}
	return inv, true
}

// Invited is what an invitation page shows: the project, whether its
// customer is in it already, and the customer's language.
type Invited struct {
	Invitation
	Project  Project
	Member   bool
	Language string
}

// Invited reads an invitation token at now for its page: ErrLink when
// the token is not valid or its customer was erased, store.ErrNotFound
// when its project is gone.
func (s *Service) Invited(ctx context.Context, token string, now time.Time) (Invited, error) {
	inv, err := s.Verify(ctx, token, now)
	if err != nil {
		return Invited{}, err
	}
	q := s.db.Read()
	c, err := customer.Get(ctx, q, inv.CustomerID)
	if errors.Is(err, store.ErrNotFound) {
		return Invited{}, ErrLink
	}
	if err != nil {
		return Invited{}, err
	}
	if erased, err := customer.IsErased(ctx, q, inv.CustomerID); err != nil || erased {
		if err == nil {
			err = ErrLink
		}
		return Invited{}, err
	}
	p, err := projectGet(ctx, q, inv.ProjectID)
	if err != nil {
		return Invited{}, err
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM insider_members WHERE project_id = $1 AND customer_id = $2
		AND left_at IS NULL`, inv.ProjectID, inv.CustomerID).Scan(&n); err != nil {
		return Invited{}, fmt.Errorf("membership of customer %d in insider project %d: %w", inv.CustomerID, inv.ProjectID, err)
	}
	return Invited{Invitation: inv, Project: p, Member: n > 0, Language: c.Language}, nil
}
