package insider

import (
	"bytes"
	"testing"
	"time"
)

// FuzzVerify: no token panics verify, and what it accepts is exactly
// what sign made of the same fields.
func FuzzVerify(f *testing.F) {
	key := bytes.Repeat([]byte{7}, 32)
	f.Add(sign(key, 1, 2, time.Unix(1<<31, 0)))
	f.Add("")
	f.Add("AQAAAAAAAAABAAAAAAAAAAIAAAAAgAAAAA")
	f.Fuzz(func(t *testing.T, token string) {
		inv, ok := verify(key, token)
		if !ok {
			return
		}
		if again := sign(key, inv.CustomerID, inv.ProjectID, inv.Expires); again != token {
			t.Errorf("verify accepted %q, which signs as %q", token, again)
		}
	})
}
