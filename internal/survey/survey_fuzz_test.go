package survey_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/survey"
)

// keySigner signs with a fixed key, as signin.Service does with the
// shop's.
type keySigner []byte

func (k keySigner) Sign(purpose string, payload []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(purpose + "\x00"))
	m.Write(payload)
	return m.Sum(nil)
}

func (k keySigner) Verify(purpose string, payload, sum []byte) bool {
	full := k.Sign(purpose, payload)
	return len(sum) >= 12 && len(sum) <= len(full) && hmac.Equal(full[:len(sum)], sum)
}

// FuzzParse: no token makes Parse panic; what it accepts is exactly what
// Token signed, and it round-trips.
func FuzzParse(f *testing.F) {
	s := survey.New(service.Deps{}, survey.Params{Signer: keySigner("0123456789abcdef0123456789abcdef")})
	good := s.Token(survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: 42, CustomerID: 7,
		AskedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)})
	for _, seed := range []string{good, "", "AAAA", good[:57] + "B", good + "=", "====================================================------"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		a, err := s.Parse(token)
		if err != nil {
			if !errors.Is(err, survey.ErrUnknown) {
				t.Fatalf("%q: %v", token, err)
			}
			return
		}
		if s.Token(a) != token {
			t.Fatalf("%q parsed to %+v, which signs as %q", token, a, s.Token(a))
		}
	})
}
