package stock

import (
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/shopcare/shopcare/internal/customer"
)

// cancelPurpose is the purpose the cancel links of requests are signed
// for, so that no other signed link of the shop opens one.
const cancelPurpose = "stock-waitlist-cancel"

// cancelMAC is how many bytes of the HMAC a cancel link carries.
const cancelMAC = 16

// ErrBadCancel is returned for a token that is not a cancel link of this
// shop.
var ErrBadCancel = errors.New("not a cancel link")

// CancelToken returns the token of a request's cancel link
// (/stock/cancel/{token}): its id, signed. It does not expire: a customer
// may stop waiting whenever they like, and once the request is told or
// cancelled the link has nothing left to do.
func CancelToken(s customer.Signer, requestID int64) string {
	if requestID <= 0 || s == nil {
		return ""
	}
	p := binary.BigEndian.AppendUint64(nil, uint64(requestID))
	return base64.RawURLEncoding.EncodeToString(append(p, s.Sign(cancelPurpose, p)[:cancelMAC]...))
}

// ParseCancelToken checks a cancel link's token and returns the request's
// id, or ErrBadCancel.
func ParseCancelToken(s customer.Signer, token string) (int64, error) {
	if len(token) > 64 || s == nil {
		return 0, ErrBadCancel
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != 8+cancelMAC {
		return 0, ErrBadCancel
	}
	if !s.Verify(cancelPurpose, b[:8], b[8:]) {
		return 0, ErrBadCancel
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	if id <= 0 {
		return 0, ErrBadCancel
	}
	return id, nil
}
