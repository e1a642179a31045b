package signin

import "crypto/hmac"

// Sign returns the HMAC-SHA256 of payload under the shop's key, for
// purpose: other packages sign their own stateless links with it (the
// survey links), so one key made once is shared by every node and no
// package keeps a secret of its own. Different purposes never give the
// same MAC for the same payload.
func (s *Service) Sign(purpose string, payload []byte) []byte {
	return mac(s.key, "sign:"+purpose, string(payload))
}

// Verify tells whether sum is Sign(purpose, payload) or a prefix of it at
// least 12 bytes long (links carry a short MAC), in constant time.
func (s *Service) Verify(purpose string, payload, sum []byte) bool {
	if len(sum) < 12 {
		return false
	}
	full := s.Sign(purpose, payload)
	if len(sum) > len(full) {
		return false
	}
	return hmac.Equal(full[:len(sum)], sum)
}
