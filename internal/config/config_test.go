package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseDesignExample(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
		{"tracking api", "carriers:\n  - code: a\n    transit_days: [1, 1]\n    tracking:\n      api: fedex\n", "carriers[0].tracking.api"},
		{"tracking url", "carriers:\n  - code: a\n    transit_days: [1, 1]\n    tracking:\n      api: dhl\n      url: ftp://x\n", "carriers[0].tracking.url"},
		{"short webhook secret", "carriers:\n  - code: a\n    transit_days: [1, 1]\n    tracking:\n      api: cdek\n      webhook_secret: abc\n", "carriers[0].tracking.webhook_secret"},
		{"stuck days", "watch:\n  stuck_after_days: -1\n", "watch.stuck_after_days"},
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

func TestCarrierSecretsFromTheEnvironment(t *testing.T) {
	t.Setenv("SHOPCARE_CARRIER_CDEK_SECRET", "from-env")
	t.Setenv("SHOPCARE_CARRIER_CDEK_WEBHOOK_SECRET", "0123456789abcdef-env")
	s, err := Parse([]byte("carriers:\n  - code: cdek\n    transit_days: [2, 4]\n    tracking:\n      api: cdek\n      key: account\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Carrier("cdek")
	if c.Tracking.Secret != "from-env" || c.Tracking.WebhookSecret != "0123456789abcdef-env" || c.Tracking.Key != "account" {
		t.Fatalf("tracking = %+v", c.Tracking)
	}
	out, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "from-env") {
		t.Fatalf("the export holds a secret from the environment:\n%s", out)
	}
	if c, _ := s.Carrier("cdek"); c.Tracking.Secret != "from-env" {
		t.Fatal("Export cleared the settings' own secret")
	}
}

func TestPromiseSettings(t *testing.T) {
	t.Parallel()
	s, err := Parse([]byte(`
shop:
  days_off:
    - {from: 2026-12-28, to: 2026-12-30, reason: stocktaking}
    - {from: 2027-01-15}
  working_days: [{from: 2026-12-26, reason: sale}]
carriers:
  - code: omniva
    name: Omniva parcel locker
    transit_days: [1, 2]
    transit_working_days: true
    non_delivery_weekdays: [sat, Sunday]
    destinations: {EE: [2, 3]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Shop.DaysOff[1]; d.To != "2027-01-15" {
		t.Errorf("a single day off: to = %q", d.To)
	}
	c := s.Carriers[0]
	if c.DisplayName() != "Omniva parcel locker" || !c.TransitWorkingDays || len(c.NonDeliveryWeekdays) != 2 ||
		c.NonDeliveryWeekdays[1] != Weekday(time.Sunday) {
		t.Errorf("carrier: %+v", c)
	}
	if lo, hi := c.Transit("EE"); lo != 2 || hi != 3 {
		t.Errorf("transit to EE = %d–%d", lo, hi)
	}
	if lo, hi := c.Transit("LV"); lo != 1 || hi != 2 {
		t.Errorf("transit to LV = %d–%d", lo, hi)
	}

	for _, bad := range []struct{ yaml, want string }{
		{"shop: {days_off: [{from: 28.12.2026}]}", "shop.days_off[0].from"},
		{"shop: {days_off: [{from: 2026-12-30, to: 2026-12-28}]}", "shop.days_off[0].to"},
		{"shop: {working_days: [{from: 2026-01-01, to: 2028-01-01}]}", "shop.working_days[0].to"},
		{"carriers: [{code: x, transit_days: [1, 2], destinations: {Latvia: [1, 2]}}]", "carriers[0].destinations.Latvia"},
		{"carriers: [{code: x, transit_days: [1, 2], destinations: {LV: [3, 2]}}]", "carriers[0].destinations.LV"},
		{"carriers: [{code: x, transit_days: [1, 2], non_delivery_weekdays: [someday]}]", "someday"},
		{"carriers: [{code: x, transit_days: [1, 2], non_delivery_weekdays: [mon, tue, wed, thu, fri, sat, sun]}]", "carriers[0].non_delivery_weekdays"},
	} {
		_, err := Parse([]byte(bad.yaml))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: err = %v, want it to name %s", bad.yaml, err, bad.want)
		}
	}
}

func FuzzSettings(f *testing.F) {
	f.Add([]byte("shop: {name: x, cutoff: \"14:00\"}\ncarriers: [{code: a, transit_days: [1, 2]}]"))
	f.Add([]byte("shop: {days_off: [{from: 2026-12-28}]}"))
	f.Add([]byte("carriers: [{code: x, transit_days: [1, 2], non_delivery_weekdays: [sat]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		// Accepted settings hold what the engine relies on.
		if s.Shop.Cutoff <= 0 || s.Shop.Cutoff >= 24*60 || s.Shop.Location() == nil {
			t.Fatalf("accepted bad shop settings: %+v", s.Shop)
		}
		for _, c := range s.Carriers {
			if lo, hi := c.Transit(""); lo < 0 || lo > hi {
				t.Fatalf("accepted bad transit %v", c.TransitDays)
			}
		}
	})
}
