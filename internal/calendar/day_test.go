package calendar

import (
	"testing"
	"time"
)

func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2026-12-04", "2000-01-01", "2099-12-31", "1969-12-31", "0001-01-01",
		"9999-12-31", "2024-02-29", "2025-02-29", "2026-13-01", "2026-1-1", "", "2026-12-04T00:00:00Z", "-001-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		day, err := ParseDay(s)
		if err != nil {
			return
		}
		if got := day.String(); got != s {
			t.Fatalf("ParseDay(%q).String() = %q", s, got)
		}
		back, err := ParseDay(day.String())
		if err != nil || back != day {
			t.Fatalf("ParseDay(%q) = %d, %v; want %d", day.String(), back, err, day)
		}
		y, m, dd := day.Date()
		if Date(y, m, dd) != day || day.Time(time.UTC).Format(time.DateOnly) != s {
			t.Fatalf("%q: Date/Time do not round-trip", s)
		}
	})
}

func TestParseDay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Day
		ok   bool
	}{
		{"1970-01-01", 0, true},
		{"1969-12-31", -1, true},
		{"2000-01-01", spanStart, true},
		{"2026-02-29", 0, false},
		{"26-01-01", 0, false},
		{"", 0, false},
	} {
		got, err := ParseDay(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseDay(%q) = %d, %v", tc.in, got, err)
		}
	}
	if Day(0).Weekday() != time.Thursday || Day(-1).Weekday() != time.Wednesday {
		t.Error("Weekday is off around the epoch")
	}
}
