package secret

import (
	"strings"
	"testing"
)

func TestTokenIsPlausibleAndUnique(t *testing.T) {
	t.Parallel()
	a, b := Token(), Token()
	if !Plausible(a) || !Plausible(b) || a == b {
		t.Fatalf("tokens %q, %q", a, b)
	}
}

func TestPlausible(t *testing.T) {
	t.Parallel()
	good := strings.Repeat("aZ0-_", 8) + "abc"
	for s, want := range map[string]bool{
		good:                          true,
		good[:42]:                     false,
		good + "a":                    false,
		strings.Repeat("A", 42) + "=": false,
		strings.Repeat("A", 42) + "/": false,
		"\x00" + good[1:]:             false,
		strings.Repeat("я", 21) + "a": false,
	} {
		if got := Plausible(s); got != want {
			t.Errorf("Plausible(%q) = %v", s, got)
		}
	}
}
