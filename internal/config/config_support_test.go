package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
)

func TestSupportTargets(t *testing.T) {
	t.Parallel()
	s, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Support.FirstResponse != config.Duration(2*time.Hour) || s.Support.NextResponse != config.Duration(4*time.Hour) {
		t.Fatalf("defaults: %+v", s.Support)
	}
	s, err = config.Parse([]byte("support:\n  first_response: 90m\n  next_response: 1d\n"))
	if err != nil || s.Support.FirstResponse != config.Duration(90*time.Minute) || s.Support.NextResponse != config.Duration(24*time.Hour) {
		t.Fatalf("set: %+v %v", s.Support, err)
	}
	for yaml, field := range map[string]string{
		"support:\n  first_response: 0s\n":  "support.first_response",
		"support:\n  next_response: -1h\n":  "support.next_response",
		"support:\n  first_response: 31d\n": "support.first_response",
		"support:\n  next_response: 90s\n":  "support.next_response",
	} {
		if _, err := config.Parse([]byte(yaml)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%q: %v, want an error naming %s", yaml, err, field)
		}
	}
}
