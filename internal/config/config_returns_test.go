package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

func TestReturnsSettings(t *testing.T) {
	t.Parallel()
	s, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Returns.WindowDays != 14 || !slices.Equal(s.Returns.Reasons, config.ReturnReasons) {
		t.Fatalf("defaults: %+v", s.Returns)
	}
	s, err = config.Parse([]byte("returns:\n  window_days: 30\n  reasons: [damaged, ' other ']\n"))
	if err != nil || s.Returns.WindowDays != 30 || !slices.Equal(s.Returns.Reasons, []string{"damaged", "other"}) {
		t.Fatalf("set: %+v %v", s.Returns, err)
	}
	s, err = config.Parse([]byte("returns:\n  window_days: 0\n  reasons: []\n"))
	if err != nil || s.Returns.WindowDays != 0 || !slices.Equal(s.Returns.Reasons, config.ReturnReasons) {
		t.Fatalf("off, every reason: %+v %v", s.Returns, err)
	}
	for _, tc := range []struct{ yaml, field string }{
		{"returns:\n  window_days: -1\n", "returns.window_days"},
		{"returns:\n  window_days: 366\n", "returns.window_days"},
		{"returns:\n  reasons: [damaged, broken]\n", "returns.reasons[1]"},
		{"returns:\n  reasons: [other, other]\n", "returns.reasons[1]"},
	} {
		if _, err := config.Parse([]byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%q: %v, want an error naming %s", tc.yaml, err, tc.field)
		}
	}
}
