// Package secret makes the unguessable tokens of customer links: tracking
// pages and one-click unsubscribes.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// TokenLen is the length of a Token: 43 characters.
const TokenLen = 43

// Token returns 256 random bits, base64url without padding, so a link
// cannot be guessed or enumerated.
func Token() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Plausible reports whether s has a Token's shape (43 base64url
// characters), so a lookup can refuse anything else before it reaches the
// database.
func Plausible(s string) bool {
	if len(s) != TokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// Hash is what is stored of a Token that opens something (a session, an
// API token): its SHA-256 in hex, so a copy of the database opens
// nothing. A Token's 256 random bits need no key or salt.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
