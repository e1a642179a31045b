package analytics

import (
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzParseWindow: any from/to is a window or an error naming the field,
// never a panic, and an accepted window is in order.
func FuzzParseWindow(f *testing.F) {
	f.Add("2026-01-01", "2026-01-31")
	f.Add("", "2026-02-30")
	f.Add("31.12.2025", "")
	f.Fuzz(func(t *testing.T, from, to string) {
		w, err := ParseWindow(from, to)
		if err != nil {
			var ie *invalid.Error
			if !errors.As(err, &ie) || ie.Field != "from" && ie.Field != "to" {
				t.Fatalf("ParseWindow(%q, %q): %v names no field", from, to, err)
			}
			return
		}
		lo, hi := w.days()
		if lo > hi {
			t.Fatalf("ParseWindow(%q, %q) = %v, out of order", from, to, w)
		}
		if from, to := w.bounds(time.UTC); !from.Before(to) {
			t.Fatalf("ParseWindow(%q, %q): bounds %v–%v", from, to, from, to)
		}
	})
}

// FuzzActivity: the customers' stored activity reads back as written, and
// anything else is an error, not a panic.
func FuzzActivity(f *testing.F) {
	f.Add("2026-01 2 35000;2026-03 1 1200")
	f.Add("")
	f.Add("2026-01 x 1")
	f.Fuzz(func(t *testing.T, s string) {
		months, err := parseActivity(s)
		if err != nil {
			return
		}
		again, err := parseActivity(contribution{months: months}.activity())
		if err != nil || len(again) != len(months) {
			t.Fatalf("%q: read back %v, %v", s, again, err)
		}
		for i := range months {
			if again[i] != months[i] {
				t.Fatalf("%q: month %d read back as %v, want %v", s, i, again[i], months[i])
			}
		}
	})
}
