package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// TestCampaignClick: a tracked link redirects (302) where the shop linked,
// on GET and HEAD; a forged, altered or overlong token is the 404 page,
// never a redirect.
func TestCampaignClick(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false, "shop:\n  public_url: https://care.example.com\n")
	h := web.New(a)
	dest := "https://shop.example/tea?utm_source=shopcare&q=%D1%87%D0%B0%D0%B9"
	u := a.Campaigns.FlowURL(41, "welcome_1", 7, 2, dest)
	tok, ok := strings.CutPrefix(u, "https://care.example.com/c/")
	if !ok {
		t.Fatalf("flow url %q", u)
	}
	altered := []byte(tok)
	altered[len(altered)/2] ^= 2
	cases := []struct {
		method, path string
		code         int
	}{
		{"GET", "/c/" + tok, http.StatusFound},
		{"HEAD", "/c/" + tok, http.StatusFound},
		{"GET", "/c/" + string(altered), http.StatusNotFound},
		{"GET", "/c/aHR0cHM6Ly9ldmlsLmV4YW1wbGUv", http.StatusNotFound},
		{"GET", "/c/" + strings.Repeat("A", 7000), http.StatusNotFound},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.code {
			t.Fatalf("%s %.60s: %d, want %d", c.method, c.path, rec.Code, c.code)
		}
		if loc := rec.Header().Get("Location"); (c.code == http.StatusFound) != (loc == dest) {
			t.Fatalf("%s %.60s: Location %q", c.method, c.path, loc)
		}
	}
}

// FuzzCampaignClick: no token makes /c/ fail with a 5xx, panic, or
// redirect anywhere.
func FuzzCampaignClick(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false, "shop:\n  public_url: https://care.example.com\n")
	h := web.New(a)
	good := strings.TrimPrefix(a.Campaigns.FlowURL(1, "birthday", 2, 0, "https://shop.example/"), "https://care.example.com/c/")
	for _, s := range []string{good, "", "AQ", good + "A", "..%2f..%2fadmin", "%00", strings.Repeat("_", 100)} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, token string, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		req, err := http.NewRequest(method, "/c/"+token, nil)
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q", rec.Code, token)
		}
		if rec.Code == http.StatusFound && token != good {
			t.Fatalf("redirect to %q for %q", rec.Header().Get("Location"), token)
		}
	})
}
