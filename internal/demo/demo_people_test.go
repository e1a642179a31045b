package demo

import (
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestPhonesAreValidMobiles(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, country := range []string{"LV", "RU", "GB", "IE", "DE", "EE", "LT"} {
		for range 200 {
			p := phone(rnd, country)
			n, err := phonenumbers.Parse(p, country)
			if err != nil || !phonenumbers.IsValidNumber(n) || phonenumbers.GetRegionCodeForNumber(n) != country {
				t.Fatalf("%s: %q is not a valid number of the country (%v)", country, p, err)
			}
			if typ := phonenumbers.GetNumberType(n); typ != phonenumbers.MOBILE && typ != phonenumbers.FIXED_LINE_OR_MOBILE {
				t.Fatalf("%s: %q is not a mobile number (%v)", country, p, typ)
			}
		}
	}
}

func TestLatin(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Bērziņa": "berzina", "Krišjānis": "krisjanis", "Ķēniņš": "kenins", "Žagare": "zagare",
		"Фёдорова": "fedorova", "Щукин": "shchukin", "Юлия": "yuliya", "O'Brien": "obrien", "Артём": "artem",
	}
	for in, want := range tests {
		if got := latin(in); got != want {
			t.Errorf("latin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestS10CheckDigit(t *testing.T) {
	t.Parallel()
	// The UPU's own example: 47312482 has the check digit 9.
	if got := s10(47312482, "GB"); got != "RR473124829GB" {
		t.Errorf("s10 = %q", got)
	}
	if got := s10(0, "LV"); got != "RR000000005LV" { // 11 - 0 → 5
		t.Errorf("s10 = %q", got)
	}
}
