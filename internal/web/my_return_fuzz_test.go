package web

import (
	"net/url"
	"testing"

	"github.com/shopcare/shopcare/internal/secret"
)

// FuzzReturnForm: any body of the return form parses without a panic
// into quantities of the order's own lines only, each a whole number the
// form held, a problem naming each quantity that was not one, and a form
// id that is the page's own shape or none.
func FuzzReturnForm(f *testing.F) {
	f.Add("qty_1=1&qty_2=0&reason=damaged&comment=%D1%82%D1%80%D0%B5%D1%81%D0%BD%D1%83%D0%BB%D0%B0&form_id="+secret.Token(), 2)
	f.Add("qty_1=two&qty_3=1&reason=&form_id=x", 1)
	f.Add("qty_1=-5&qty_1=7&qty_0=1&comment=%00%ff", 3)
	f.Add("qty_2=99999999999999999999&reason=other", 2)
	f.Add("%zz=&&;=", 0)
	f.Fuzz(func(t *testing.T, body string, lines int) {
		if lines < 0 || lines > 500 {
			return
		}
		form, _ := url.ParseQuery(body)
		in, problems := parseReturnForm(form, lines)
		for line := range in.Qty {
			if line < 1 || line > lines {
				t.Fatalf("line %d of an order of %d lines", line, lines)
			}
		}
		for _, p := range problems {
			if _, ok := in.Qty[0]; ok || p.Code != "number" || form.Get(p.Field) == "" {
				t.Fatalf("problem %+v from %q", p, body)
			}
		}
		if in.FormID != "" && !secret.Plausible(in.FormID) {
			t.Fatalf("form id %q kept", in.FormID)
		}
	})
}
