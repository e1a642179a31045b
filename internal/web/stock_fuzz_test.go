package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
)

// FuzzStockForm: any typed form of a SKU's level either gives a level
// that is whole and in bounds — on hand from 0, each delivery at least
// one unit on a real day — or marks a field, never both, never a panic.
func FuzzStockForm(f *testing.F) {
	f.Add("POT-1", "Кастрюля", "3", "5", "2026-12-20")
	f.Add("POT-1", "", "1 000", "", "")
	f.Add("", "a\nb", "-1", "0", "2026-13-01")
	f.Add("X", "x", "99999999999999999999", "x", "20261220")
	f.Fuzz(func(t *testing.T, sku, name, onHand, qty, date string) {
		form := stockForm{Name: name, OnHand: onHand, Incoming: []stockIncomingField{{Qty: qty, Date: date}, {}}}
		level, ok := parseStockForm(i18n.EN, sku, &form)
		marked := len(form.Errors) > 0 || slices.ContainsFunc(form.Incoming, func(in stockIncomingField) bool {
			return in.QtyErr != "" || in.DateErr != ""
		})
		if ok == marked {
			t.Fatalf("ok %v with marked fields %v: %+v", ok, marked, form)
		}
		if !ok {
			return
		}
		if level.SKU != sku || level.OnHand < 0 || level.OnHand > stockOnHandMax {
			t.Fatalf("level %+v from %q", level, onHand)
		}
		for _, in := range level.Incoming {
			if in.Qty < 1 || len(in.Date) != 10 {
				t.Fatalf("delivery %+v from %q %q", in, qty, date)
			}
		}
	})
}

// FuzzRejectedLines: any rejected file the import writes, or anything
// else, gives at most the limit of lines shown and counts the rest.
func FuzzRejectedLines(f *testing.F) {
	f.Add("line,reason,sku,on_hand\n3,on_hand is not a number,CUP-2,x\n")
	f.Add("\uFEFFline;reason;sku\n2;bad;\"a;b\"\n")
	f.Add("\"unclosed\n1,2\n")
	f.Add(strings.Repeat("5,why,row\n", 30))
	f.Fuzz(func(t *testing.T, file string) {
		lines, more := rejectedLines([]byte(file), 10)
		if len(lines) > 10 || more < 0 || (more > 0 && len(lines) != 10) {
			t.Fatalf("%d lines and %d more from %q", len(lines), more, file)
		}
	})
}

func TestRejectedLines(t *testing.T) {
	t.Parallel()
	lines, more := rejectedLines([]byte("\uFEFFline;reason;sku;on_hand\n3;on_hand: not a number;CUP-2;x\n4;sku: required;;2\n"), 1)
	if len(lines) != 1 || more != 1 || lines[0] != (stockRejectedLine{Line: "3", Reason: "on_hand: not a number", Row: "CUP-2;x"}) {
		t.Errorf("rejectedLines: %+v, %d more", lines, more)
	}
}
