package web_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// FuzzSafeNext: whatever next is, the page to go to after login is a
// path of this site as a browser reads it.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/orders", "//evil.example", "/\t/evil.example", "/\\evil", "https://evil.example", "/%2F%2Fx", "/a?b=//c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := web.SafeNext(next)
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") {
			t.Fatalf("next %q gives %q", next, got)
		}
		for _, c := range got {
			if c < 0x20 || c == 0x7f || c == '\\' {
				t.Fatalf("next %q gives %q, with %q in it", next, got, c)
			}
		}
	})
}

// FuzzClientIP: any X-Forwarded-For gives an address, and an untrusted
// peer's header is never believed.
func FuzzClientIP(f *testing.F) {
	f.Add("127.0.0.1:80", "198.51.100.1, 10.0.0.1")
	f.Add("203.0.113.9:80", "1.2.3.4")
	f.Add("[::1]:80", "junk,,, ::1")
	proxies := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, peer, xff string) {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = peer
		r.Header.Set("X-Forwarded-For", xff)
		got := web.ClientIP(r, proxies)
		if host, _, err := netSplit(peer); err == nil {
			if a, err := netip.ParseAddr(host); err == nil && !a.Unmap().IsLoopback() && got != a.Unmap().String() {
				t.Fatalf("untrusted peer %q with X-Forwarded-For %q gives %q", peer, xff, got)
			}
		}
	})
}

// FuzzLoginForm posts any body under any content type to the sign-in
// form: it answers a form status, never a 5xx, and sends only to this
// site.
func FuzzLoginForm(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false)
	if err := auth.UserAdd(context.Background(), a.DB, people[auth.Owner], testPassword, auth.Owner, time.Now()); err != nil {
		f.Fatal(err)
	}
	h := web.New(a, web.WithHumanClock(clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))))
	f.Add("application/x-www-form-urlencoded", "email=owner%40shop.test&password=correct+horse+battery&next=%2F%2Fevil")
	f.Add("application/x-www-form-urlencoded", "email=owner%40shop.test&password=x&next=/%09/evil")
	f.Add("multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na\r\n--X--\r\n")
	f.Add("text/plain", "\x00\xff")
	f.Fuzz(func(t *testing.T, ctype, body string) {
		r := httptest.NewRequest("POST", "/login", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusSeeOther, http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%q %q: %d", ctype, body, w.Code)
		}
		if loc := w.Header().Get("Location"); w.Code == http.StatusSeeOther && web.SafeNext(loc) != loc {
			t.Fatalf("%q %q: sent to %q", ctype, body, loc)
		}
	})
}

func netSplit(hostport string) (string, string, error) { return net.SplitHostPort(hostport) }
