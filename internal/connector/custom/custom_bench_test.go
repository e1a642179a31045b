package custom

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// BenchmarkVerifyParse checks and reads the PHP site's delivery, as the
// intake does for every webhook of a flash sale.
func BenchmarkVerifyParse(b *testing.B) {
	w := webhook(b, phpMapping)
	body := fixture(b, "php_site_order.json")
	req := signedRequest(body, "X-Signature", "sha256="+hex.EncodeToString(sign(sha256.New, secret, body)))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := w.Verify(req); err != nil {
			b.Fatal(err)
		}
		if _, err := w.Parse(req); err != nil {
			b.Fatal(err)
		}
	}
}
