package config_test

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

// TestQuietHours (issue 18): e-mail is silent by default, SMS and Telegram
// wait for the contact hours; a setting changes that per channel, and an
// unknown channel is refused with its key.
func TestQuietHours(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		holds   map[string]bool
		allHold bool
		err     string
	}{
		{"defaults", "", map[string]bool{"email": false, "sms": true, "telegram": true}, false, ""},
		{"e-mail quiet too", "channels:\n  quiet_hours: {email: true}", map[string]bool{"email": true, "sms": true, "telegram": true}, true, ""},
		{"SMS at night", "channels:\n  quiet_hours: {sms: false}", map[string]bool{"email": false, "sms": false, "telegram": true}, false, ""},
		{"unknown channel", "channels:\n  quiet_hours: {fax: true}", nil, false, "channels.quiet_hours.fax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := config.Parse([]byte(tt.yaml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Parse = %v, want an error naming %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for ch, want := range tt.holds {
				if got := s.Channels.QuietHours.Holds(ch); got != want {
					t.Errorf("Holds(%s) = %v, want %v", ch, got, want)
				}
			}
			if got := s.Channels.QuietHours.AllHold(); got != tt.allHold {
				t.Errorf("AllHold = %v, want %v", got, tt.allHold)
			}
		})
	}
}
