package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzInsiderForm: any body of the admin's project form parses without a
// panic, and every problem names a field of the form.
func FuzzInsiderForm(f *testing.F) {
	f.Add("kind=pre_order&title_ru=%D0%A3%D0%BB%D1%83%D0%BD&goal=50&starts_on=2026-12-01&ends_on=2027-01-31")
	f.Add("id=-1&kind=x&goal=1e9&starts_on=2026-02-30&ends_on=2025-01-01")
	f.Add("kind=beta_test&title_en=a%0Ab&description_lv=%00%ff&goal=99999999999999999999")
	f.Add("%zz=&&;=")
	fields := []string{"id", "kind", "title_ru", "title_lv", "title_en", "description_ru", "description_lv",
		"description_en", "goal", "starts_on", "ends_on"}
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body)
		_, in, problems := parseInsiderForm(form)
		for _, p := range problems {
			known := false
			for _, f := range fields {
				known = known || p.Field == f
			}
			if !known || p.Code == "" {
				t.Fatalf("problem %+v from %q", p, body)
			}
		}
		if problems == nil {
			if in.Goal < 0 || strings.TrimSpace(in.Title["ru"]+in.Title["lv"]+in.Title["en"]) == "" {
				t.Fatalf("form %q taken: %+v", body, in)
			}
		}
	})
}
