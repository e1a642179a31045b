package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// TestValidationErrorsAreTranslated checks that every settings problem
// names its key, says it in English for the commands, and in Russian
// and Latvian for the admin without falling back to English.
func TestValidationErrorsAreTranslated(t *testing.T) {
	t.Parallel()
	doc := `shop:
  name: " "
  country: RUS
  timezone: Mars/Olympus
  currency: ZZZ
  languages: []
  working_hours: "18:00-09:00"
  callback_within: 0s
  callback_tries: 99
  callback_retry_after: 1s
  public_url: ftp://x
  days_off: [{from: "2026-13-01"}]
promise:
  handling_days: -1
carriers:
  - code: post
    transit_days: [7, 5]
    pickup_hold_days: 10
    pickup_reminders: [12]
  - code: post
    transit_days: [1]
compensation:
  bonus_points: -5
channels:
  email:
    smtp_url: http://mail
  sms:
    provider: pigeon
webhooks:
  - url: nowhere
    secret: short
`
	_, err := Parse([]byte(doc))
	var list Errors
	if !errors.As(err, &list) || len(list) < 15 {
		t.Fatalf("Parse: %v, want at least 15 problems as Errors", err)
	}
	var il invalid.List
	if !errors.As(err, &il) || len(il) != len(list) {
		t.Errorf("errors.As to invalid.List: %d problems, want %d", len(il), len(list))
	}
	for _, e := range list {
		if e.Key == "" && !strings.HasPrefix(e.Field, "compensation.points") {
			t.Errorf("%s: no translation key", e) // the loyalty checks' have none yet
		}
		if e.Field == "" || strings.HasPrefix(e.Message, "[") || !strings.HasPrefix(e.Error(), e.Field+": ") {
			t.Errorf("%q: want the key and an English message", e.Error())
		}
		for _, lang := range []i18n.Lang{i18n.RU, i18n.LV} {
			if got := e.Text(lang); got == e.Message || strings.HasPrefix(got, "[") {
				t.Errorf("%s in %s: %q", e.Field, lang, got)
			}
		}
	}
	if !strings.Contains(err.Error(), `shop.country: "RUS" is not a two-letter ISO country code`) {
		t.Errorf("the commands' message: %v", err)
	}
}
