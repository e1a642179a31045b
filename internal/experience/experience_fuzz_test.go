package experience

import (
	"errors"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzParseWorthQuery feeds any from, to and kind to the parser of GET
// /analytics/experiences: it never panics, refuses with field errors
// only, and what it takes is a known kind and days in order.
func FuzzParseWorthQuery(f *testing.F) {
	f.Add("2026-11-01", "2026-11-30", "late_delivery")
	f.Add("", "", "")
	f.Add("2026-13-01", "tomorrow", "rude")
	f.Add("9999-12-31", "0001-01-01", "\x00")
	f.Fuzz(func(t *testing.T, from, to, kind string) {
		q, err := ParseWorthQuery(from, to, kind, time.UTC)
		if err != nil {
			var list invalid.List
			if !errors.As(err, &list) || len(list) == 0 || list[0].Field == "" {
				t.Fatalf("%q %q %q: %v is not a field error", from, to, kind, err)
			}
			return
		}
		if q.Kind != "" && !q.Kind.Known() {
			t.Fatalf("took kind %q", q.Kind)
		}
		if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
			t.Fatalf("took %s before %s", q.To, q.From)
		}
		where, args := q.where()
		if (where == "") != (len(args) == 0) {
			t.Fatalf("condition %q with %d arguments", where, len(args))
		}
	})
}

// FuzzResolution feeds any note and compensation to the resolve form's
// checks: a resolution they take has a clean note of bounded length and
// an amount in range.
func FuzzResolution(f *testing.F) {
	f.Add("Позвонили, извинились", "500")
	f.Add("", "0")
	f.Add("a\x00b", "-1")
	f.Add("\xff", "99999999999999")
	f.Fuzz(func(t *testing.T, note, amount string) {
		n, _ := strconv.ParseInt(amount, 10, 64)
		r := Resolution{Note: note, CompensationMinor: n}
		if err := r.Validate(); err != nil {
			var list invalid.List
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("%v is not a field error", err)
			}
			return
		}
		if r.Note == "" || !utf8.ValidString(r.Note) || utf8.RuneCountInString(r.Note) > 1000 || invalid.TextMax("note", r.Note, 1000, true) != nil {
			t.Fatalf("took note %q", r.Note)
		}
		if r.CompensationMinor < 0 || r.CompensationMinor > maxMinor {
			t.Fatalf("took %d", r.CompensationMinor)
		}
	})
}
