package signin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// keyLoad returns the shop's sign-in key, making it first when the
// database has none. INSERT … ON CONFLICT DO NOTHING then SELECT lets
// two nodes starting at once agree on the first one's key.
func keyLoad(ctx context.Context, db *store.DB, now time.Time) ([]byte, error) {
	var fresh [32]byte
	_, _ = rand.Read(fresh[:]) // never fails (crypto/rand, Go 1.24+)
	var hexKey string
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO signin_keys (id, secret, created_at) VALUES (1, $1, $2)
			ON CONFLICT (id) DO NOTHING`, hex.EncodeToString(fresh[:]), now); err != nil {
			return fmt.Errorf("make sign-in key: %w", err)
		}
		return tx.QueryRow(ctx, `SELECT secret FROM signin_keys WHERE id = 1`).Scan(&hexKey)
	})
	if err != nil {
		return nil, fmt.Errorf("load sign-in key: %w", err)
	}
	key, err := hex.DecodeString(hexKey)
	if err != nil || len(key) < 32 {
		return nil, errors.New("load sign-in key: the stored key is not 32 bytes of hex")
	}
	return key, nil
}

// mac is the HMAC-SHA256 of the parts under the key, each part ended by
// a zero byte so that ("ab","c") and ("a","bc") differ.
func mac(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// keyed is mac in hex, what the tables keep.
func keyed(key []byte, parts ...string) string {
	return hex.EncodeToString(mac(key, parts...))
}
