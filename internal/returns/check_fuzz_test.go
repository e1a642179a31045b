package returns

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzCheck feeds the form's checks any lines, quantities, reason and
// comment: they never panic, and a form they take asks back only units
// that are left, at least one, for an offered reason, with a clean
// comment of bounded length.
func FuzzCheck(f *testing.F) {
	f.Add(1, int64(2), 2, int64(0), "did_not_fit", "малы")
	f.Add(0, int64(1), 3, int64(1), "other", "")
	f.Add(2, int64(-5), 1, int64(9), "damaged", "треснула\x00\r\n")
	f.Add(1, int64(1), 1, int64(1), "bored", "\xff\xfe")
	f.Fuzz(func(t *testing.T, l1 int, q1 int64, l2 int, q2 int64, reason, comment string) {
		left := []Returnable{{Line: 1, SKU: "POT", Ordered: 3, Requested: 1}, {Line: 2, SKU: "LID", Ordered: 1}}
		in := Input{Qty: map[int]int64{l1: q1, l2: q2}, Reason: reason, Comment: cleanComment(comment)}
		if !utf8.ValidString(in.Comment) {
			t.Fatalf("comment %q is not UTF-8 after cleaning", in.Comment)
		}
		lines, err := check(in, left, config.ReturnReasons)
		if err != nil {
			var list invalid.List
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("%v is not a form to correct", err)
			}
			return
		}
		if len(lines) == 0 {
			t.Fatal("a form with nothing asked back was taken")
		}
		for _, l := range lines {
			if l.Line < 1 || l.Line > len(left) || l.Qty < 1 || l.Qty > left[l.Line-1].Left() {
				t.Fatalf("took %+v from %+v", l, left)
			}
		}
		if utf8.RuneCountInString(in.Comment) > MaxComment {
			t.Fatal("took a comment too long")
		}
	})
}
