package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzPager: any cursor and trail in a list's URL give links that keep
// the filters and a trail of at most maxTrail cursors, never a panic.
func FuzzPager(f *testing.F) {
	f.Add("cz1.5", "0~ab.1", "late", "last.9")
	f.Add("", "", "", "")
	f.Add("~", strings.Repeat("x~", 100), "&q=1", "~~")
	f.Fuzz(func(t *testing.T, after, back, state, last string) {
		q := url.Values{"after": {after}, "after_back": {back}, "state": {state}}
		l := newPager("/orders", q).links(last, true)
		for _, link := range []string{l.Prev, l.Next} {
			if link == "" {
				continue
			}
			u, err := url.Parse(link)
			if err != nil || u.Path != "/orders" {
				t.Fatalf("link %q: %v", link, err)
			}
			if state != "" && u.Query().Get("state") != state {
				t.Fatalf("link %q lost the filter state=%q", link, state)
			}
			if n := len(strings.Split(u.Query().Get("after_back"), "~")); n > maxTrail {
				t.Fatalf("link %q keeps %d cursors", link, n)
			}
		}
	})
}
