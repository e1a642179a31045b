package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// SignedBase64 tells whether signature (a header's value) is the base64
// HMAC-SHA256 of body keyed with secret, as Shopify and WooCommerce sign
// their webhooks, comparing in constant time. Without a secret nothing
// is signed right.
func SignedBase64(signature, secret string, body []byte) bool {
	if secret == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
