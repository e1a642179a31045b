package web

import (
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
)

func TestParseSettingsDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		amount, unit string
		want         time.Duration
		ok           bool
	}{
		{"90", unitMinute, 90 * time.Minute, true},
		{"1", unitHour, time.Hour, true},
		{"2", unitDay, 48 * time.Hour, true},
		{"1,5", unitHour, 90 * time.Minute, true},
		{"1 h", unitDay, time.Hour, true},
		{"90 min", "", 90 * time.Minute, true},
		{"2d", unitMinute, 48 * time.Hour, true},
		{"3 дня", "", 72 * time.Hour, true},
		{"2 st.", "", 2 * time.Hour, true},
		{"1h30m", "", 90 * time.Minute, true},
		{"0", unitMinute, 0, true},
		{"", unitHour, 0, false},
		{"-1", unitHour, 0, false},
		{"soon", unitHour, 0, false},
		{"5 weeks", "", 0, false},
		{"1", "fortnight", 0, false},
		{"0.5", unitMinute, 0, false}, // not whole minutes
		{"1e300", unitDay, 0, false},
	} {
		got, ok := parseSettingsDuration(tc.amount, tc.unit)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseSettingsDuration(%q, %q) = %v, %v; want %v, %v", tc.amount, tc.unit, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatSettingsDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang i18n.Lang
		d    time.Duration
		want string
	}{
		{i18n.RU, time.Hour, "1 ч"},
		{i18n.RU, 16 * time.Hour, "16 ч"},
		{i18n.LV, 30 * time.Minute, "30 min"},
		{i18n.EN, 90 * time.Minute, "1 h 30 min"},
		{i18n.LV, 365 * 24 * time.Hour, "365 d."},
	} {
		if got := formatSettingsDuration(tc.lang, tc.d); got != tc.want {
			t.Errorf("formatSettingsDuration(%s, %v) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
}

// FuzzParseSettingsDuration: whatever is typed, the form's duration is
// either refused or a whole number of minutes, never negative, and shown
// again as a number and unit that read back to it.
func FuzzParseSettingsDuration(f *testing.F) {
	for _, seed := range []string{"90", "1 h", "2d", "1,5", "3 дня", "1h30m", "-5", "9999999999999", "0.0001"} {
		f.Add(seed, unitHour)
	}
	f.Fuzz(func(t *testing.T, amount, unit string) {
		d, ok := parseSettingsDuration(amount, unit)
		if !ok {
			return
		}
		if d < 0 || d%time.Minute != 0 {
			t.Fatalf("parseSettingsDuration(%q, %q) = %v", amount, unit, d)
		}
		a, u := splitDuration(d)
		if back, ok := parseSettingsDuration(a, u); !ok || back != d {
			t.Fatalf("%v shown as %s %s reads back as %v, %v", d, a, u, back, ok)
		}
	})
}
