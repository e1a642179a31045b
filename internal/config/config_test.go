package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseDesignExample(t *testing.T) {
	s, err := Parse([]byte(`
shop:
  name: "Кастрюля и сковородка"
  country: RU
  timezone: Europe/Moscow
  languages: [ru, en]
  working_hours: "09:00-18:00"
  cutoff: "14:00"
  contact_hours: "09:00-21:00"
  callback_within: 60m
promise:
  handling_days: 1
carriers:
  - code: courier
    transit_days: [2, 2]
  - code: post
    transit_days: [5, 7]
    pickup_hold_days: 30
    pickup_reminders: [3, 7, 25]
compensation:
  late_grace_days: 1
  bonus_points: 300
loyalty:
  earn_percent: 5
  point_value: 1
  expire_after: 365d
channels:
  email:
    smtp_url: smtp://user:pass@127.0.0.1:587
    from: "Кастрюля и сковородка <hello@example.com>"
  sms:
    provider: smsc
  telegram:
    bot_token: ""
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Shop.Cutoff != 14*60 || time.Duration(s.Loyalty.ExpireAfter) != 365*24*time.Hour || s.Shop.Currency != "RUB" {
		t.Errorf("unexpected settings: %+v", s)
	}
	if s.Shop.Location().String() != "Europe/Moscow" {
		t.Errorf("location = %v", s.Shop.Location())
	}
}

func TestParseErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "shop:\n  colour: red\n", `line 2: unknown key "colour"`},
		{"bad zone", "shop:\n  timezone: Europe/Moskow\n", "shop.timezone"},
		{"bad cutoff", "shop:\n  cutoff: 25:00\n", "line 2"},
		{"transit order", "carriers:\n  - code: post\n    transit_days: [7, 5]\n", "carriers[0].transit_days"},
		{"duplicate carrier", "carriers:\n  - code: a\n    transit_days: [1, 1]\n  - code: a\n    transit_days: [1, 1]\n", "carriers[1].code"},
		{"bad duration", "loyalty:\n  expire_after: soon\n", `"soon" is not a duration`},
		{"bad smtp", "channels:\n  email:\n    smtp_url: http://x\n", "channels.email.smtp_url"},
		{"type", "promise:\n  handling_days: many\n", "line 2"},
		{"broken yaml", "shop: [\n", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v; want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestEnvOverridesSecrets(t *testing.T) {
	t.Setenv("SHOPCARE_SMTP_URL", "smtps://mail.example.com:465")
	s, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Channels.Email.SMTPURL != "smtps://mail.example.com:465" {
		t.Errorf("smtp url = %q", s.Channels.Email.SMTPURL)
	}
}
