package insider

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"testing"
	"time"
)

// FuzzVerify: no token panics verify, and what it accepts is exactly
// what sign made of the same fields.
func FuzzVerify(f *testing.F) {
	key := bytes.Repeat([]byte{7}, 32)
	mac := func(b []byte) []byte {
		m := hmac.New(sha256.New, key)
		m.Write(b)
		return m.Sum(nil)
	}
	f.Add(sign(mac, 1, 2, time.Unix(1<<31, 0)))
	f.Add("")
	f.Add("AQAAAAAAAAABAAAAAAAAAAIAAAAAgAAAAA")
	f.Fuzz(func(t *testing.T, token string) {
		inv, ok := verify(mac, token)
		if !ok {
			return
		}
		if again := sign(mac, inv.CustomerID, inv.ProjectID, inv.Expires); again != token {
			t.Errorf("verify accepted %q, which signs as %q", token, again)
		}
	})
}
