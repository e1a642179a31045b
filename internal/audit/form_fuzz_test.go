package audit

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

// FuzzParseForm feeds the check form any body: it never panics, what it
// cannot read is a problem naming a field, and a form normalize takes
// holds a real point, a day not after today, a known kind, a named
// person, a score 0–5 (or answers) and bounded texts.
func FuzzParseForm(f *testing.F) {
	f.Add("call", "day=2026-12-01&kind=self&who=Anna&score=4&notes=ok&item-1=pass&item-2=fail")
	f.Add("site", "day=2026-12-07&kind=mystery&who=&score=9")
	f.Add("pickup", "day=2026-02-30&kind=x&who=%00&item-x=pass&item-1=maybe")
	f.Add("lobby", "item-1=pass&item-1=fail&score=-1&notes=%FF%FE")
	f.Add("follow_up", "day=2026-12-06&kind=self&who=%D0%90%D0%BD%D0%BD%D0%B0&item-9223372036854775807=pass")
	f.Fuzz(func(t *testing.T, point, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, problems := ParseForm(Point(point), form)
		for _, p := range problems {
			if p.Field == "" {
				t.Fatalf("a problem without its field: %v", p)
			}
		}
		if len(in.Results) > MaxFormItems {
			t.Fatalf("%d answers taken", len(in.Results))
		}
		if len(problems) > 0 {
			return
		}
		if l := in.normalize("2026-12-06"); len(l) > 0 {
			for _, p := range l {
				if p.Field == "" {
					t.Fatalf("a problem without its field: %v", p)
				}
			}
			return
		}
		if _, ok := ParsePoint(string(in.Point)); !ok || in.Day > "2026-12-06" || (in.Kind != KindSelf && in.Kind != KindMystery) {
			t.Fatalf("took %+v", in)
		}
		if in.Who == "" || !utf8.ValidString(in.Who) || !utf8.ValidString(in.Notes) || utf8.RuneCountInString(in.Notes) > MaxNotes {
			t.Fatalf("took texts %q %q", in.Who, in.Notes)
		}
		if in.Score < 0 || in.Score > 5 || (in.Score == 0 && len(in.Results) == 0) {
			t.Fatalf("took score %d with %d answers", in.Score, len(in.Results))
		}
	})
}
