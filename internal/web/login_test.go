package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// humanEnv is an env whose sessions and login limits run on a clock of
// their own, apart from the shop's: e.clock is the shop's business,
// human is what the people signing in live through.
type humanEnv struct {
	*env
	human *clock.Fake
}

// newHumanEnv is newEnv with a fake human clock, and the settings' YAML.
func newHumanEnv(t *testing.T, engine store.Engine, yaml ...string) *humanEnv {
	t.Helper()
	a, clk := apptest.New(t, engine, false, yaml...)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	human := clock.NewFake(time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(web.New(a, web.WithHumanClock(human)))
	t.Cleanup(srv.Close)
	return &humanEnv{env: &env{app: a, clock: clk, srv: srv}, human: human}
}

// TestSessionRunsOnTheRealClock: a session lasts its twelve hours of the
// people's clock, however fast the shop's clock runs (the demo's runs at
// an hour a second, and sessions once ended after twelve real seconds).
func TestSessionRunsOnTheRealClock(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			e := newHumanEnv(t, engine)
			addPeople(t, e.env)
			b := newBrowser(t, e.env)
			b.login(people[auth.Owner])
			for range 10 {
				e.clock.Advance(72 * time.Hour) // thirty shop days go by
				if status, _, _ := b.do("GET", "/account", nil); status != http.StatusOK {
					t.Fatalf("after %s of shop time: /account %d, want 200: signed out by the shop's clock",
						e.clock.Now().Sub(apptest.Start), status)
				}
			}
			e.human.Advance(auth.SessionTTL - time.Minute)
			if status, _, _ := b.do("GET", "/account", nil); status != http.StatusOK {
				t.Fatalf("a minute before the session's end: %d, want 200", status)
			}
			e.human.Advance(2 * time.Minute)
			if status, h, _ := b.do("GET", "/account", nil); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
				t.Fatalf("past the session's end: %d to %q, want 303 to the login", status, h.Get("Location"))
			}
		})
	}
}

// loginFrom posts the login form as a request forwarded by the trusted
// proxy for the client address ip.
func loginFrom(b *browser, ip, email, password string) (int, http.Header, string) {
	b.t.Helper()
	return b.do("POST", "/login", url.Values{"email": {email}, "password": {password}},
		"X-Forwarded-For: "+ip, "Accept-Language: en")
}

// TestLoginThrottleNeverLocksOutTheOwner: strangers guessing the owner's
// password at one address slow down only themselves; the owner signs in
// at once from another. The guesser is slowed, not locked: after the
// wait a try goes through again.
func TestLoginThrottleNeverLocksOutTheOwner(t *testing.T) {
	t.Parallel()
	e := newHumanEnv(t, storetest.Engines(t)[0], "trusted_proxies: [127.0.0.1, '::1']")
	addPeople(t, e.env)
	stranger, owner := newBrowser(t, e.env), newBrowser(t, e.env)
	const a, b = "203.0.113.7", "198.51.100.20"
	for i := range 5 {
		if status, _, _ := loginFrom(stranger, a, people[auth.Owner], "wrong password!"); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d from A: %d, want 401", i+1, status)
		}
	}
	status, h, body := loginFrom(stranger, a, people[auth.Owner], "wrong password!")
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(body, "Try again in") {
		t.Fatalf("6th wrong password from A: %d, Retry-After %q, want 429 saying how long", status, h.Get("Retry-After"))
	}
	if status, h, _ := loginFrom(owner, b, people[auth.Owner], testPassword); status != http.StatusSeeOther {
		t.Fatalf("the owner's right password from B after strangers' guesses from A: %d %q, want 303", status, h.Get("Location"))
	}
	// The guesser waits, growing waits, but is never locked out.
	wait, _ := strconv.Atoi(h.Get("Retry-After"))
	e.human.Advance(time.Duration(wait) * time.Second)
	if status, _, _ := loginFrom(stranger, a, people[auth.Owner], "wrong password!"); status != http.StatusUnauthorized {
		t.Fatalf("a guess after the wait: %d, want 401", status)
	}
	_, h, _ = loginFrom(stranger, a, people[auth.Owner], "wrong password!")
	if next, _ := strconv.Atoi(h.Get("Retry-After")); next <= wait {
		t.Errorf("the wait does not grow: %d s, then %d s", wait, next)
	}
	e.human.Advance(10 * time.Minute)
	if status, _, _ := loginFrom(stranger, a, people[auth.Operator], testPassword); status != http.StatusSeeOther {
		t.Errorf("another account's right password from A after the wait: %d, want 303", status)
	}
	// Without a trusted proxy, X-Forwarded-For is only a header: guesses
	// "from other addresses" all count against the connection's.
	plain := newHumanEnv(t, storetest.Engines(t)[0])
	addPeople(t, plain.env)
	g := newBrowser(t, plain.env)
	for i := range auth.PairRule.Free {
		loginFrom(g, fmt.Sprintf("192.0.2.%d", i), people[auth.Owner], "wrong password!")
	}
	if status, _, _ := loginFrom(g, "198.51.100.99", people[auth.Owner], "wrong password!"); status != http.StatusTooManyRequests {
		t.Errorf("a guess with a made-up X-Forwarded-For from an untrusted peer: %d, want 429", status)
	}
}

// TestClientAddress reads X-Forwarded-For only from a trusted proxy, and
// then the nearest hop that is not a proxy of the shop's.
func TestClientAddress(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"untrusted peer's header ignored", "203.0.113.7:5000", []string{"1.2.3.4"}, "203.0.113.7"},
		{"trusted proxy", "127.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"spoofed hop left of the real one", "127.0.0.1:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", "127.0.0.1:5000", []string{"198.51.100.1, 10.1.2.3", "10.9.9.9"}, "198.51.100.1"},
		{"garbled hop", "127.0.0.1:5000", []string{"198.51.100.1, junk"}, "127.0.0.1"},
		{"trusted proxy without header", "10.0.0.5:80", nil, "10.0.0.5"},
		{"IPv4-mapped IPv6 peer", "[::ffff:127.0.0.1]:5000", []string{"2001:db8::1"}, "2001:db8::1"},
	} {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := web.ClientIP(r, proxies); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestLoginNextStaysOnSite: whatever next says, a login ends on a path of
// this site.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ next, want string }{
		{"/orders/12?tab=messages", "/orders/12?tab=messages"},
		{"/callbacks", "/callbacks"},
		{"", "/"},
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"}, // once more encoded: refused all the same
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"https://evil.example", "/"},
		{"https:evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/\r\n/evil.example", "/"},
		{"/\n//evil.example", "/"},
		{" //evil.example", "/"},
		{"/\u00a0/evil.example", "/"},
		{"evil.example", "/"},
		{"/a b", "/a%20b"},
	} {
		if got := web.SafeNext(c.next); got != c.want {
			t.Errorf("next %q: %q, want %q", c.next, got, c.want)
		}
	}

	e := newHumanEnv(t, storetest.Engines(t)[0])
	addPeople(t, e.env)
	for _, raw := range []string{"/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "%2F%2Fevil.example", "/%0D%0A/evil.example"} {
		b := newBrowser(t, e.env)
		// As a browser sends it: the query as written, decoded once by
		// the server.
		status, _, _ := b.do("GET", "/login?next="+raw, nil)
		if status != http.StatusOK {
			t.Fatalf("GET /login?next=%s: %d", raw, status)
		}
		next, err := url.QueryUnescape(raw)
		if err != nil {
			t.Fatal(err)
		}
		_, h, _ := b.do("POST", "/login", url.Values{"email": {people[auth.Operator]}, "password": {testPassword}, "next": {next}})
		loc := h.Get("Location")
		u, err := url.Parse(loc)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\t\r\n") {
			t.Errorf("next=%s: sent to %q, off this site", raw, loc)
		}
	}
}

// TestLoginBodyIsCapped: the sign-in form reads a few kilobytes at most,
// whatever its encoding; a big upload is refused, not spooled to disk.
func TestLoginBodyIsCapped(t *testing.T) {
	t.Parallel()
	e := newHumanEnv(t, storetest.Engines(t)[0])
	addPeople(t, e.env)
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("email", people[auth.Owner])
	_ = w.WriteField("password", testPassword)
	f, _ := w.CreateFormFile("upload", "big.bin")
	_, _ = f.Write(bytes.Repeat([]byte("x"), 1<<20))
	_ = w.Close()
	big := url.Values{"email": {people[auth.Owner]}, "password": {testPassword}, "pad": {strings.Repeat("x", 64<<10)}}.Encode()
	for _, c := range []struct {
		name, ctype string
		body        []byte
	}{
		{"multipart, 1 MB", w.FormDataContentType(), mp.Bytes()},
		{"url-encoded, 64 KB", "application/x-www-form-urlencoded", []byte(big)},
	} {
		resp, err := http.Post(e.srv.URL+"/login", c.ctype, bytes.NewReader(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d, want 413", c.name, resp.StatusCode)
		}
	}
	// A small multipart form still signs in.
	var small bytes.Buffer
	w = multipart.NewWriter(&small)
	_ = w.WriteField("email", people[auth.Owner])
	_ = w.WriteField("password", testPassword)
	_ = w.Close()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Post(e.srv.URL+"/login", w.FormDataContentType(), &small)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("small multipart login: %d, want 303", resp.StatusCode)
	}
}

// TestConcurrentLoginsBoundMemory fires 64 logins at once, right and
// wrong, each from its own address: the argon2id hashes (64 MiB each) run
// a few at a time, the rest wait briefly or are answered 429, and the
// process's resident memory grows by less than 300 MB (it grew by 1.9 GB
// for 32 logins before). A resource assert: it measures the peak, not
// how long anything took.
func TestConcurrentLoginsBoundMemory(t *testing.T) {
	t.Parallel()
	// Not parallel: the peak it reads is the whole process's.
	e := newHumanEnv(t, storetest.Engines(t)[0], "trusted_proxies: [127.0.0.1, '::1']")
	addPeople(t, e.env)
	resetPeak(t)
	before := procStatusKB(t, "VmRSS")
	var wg sync.WaitGroup
	statuses := make([]int, 64)
	for i := range statuses {
		wg.Go(func() {
			password := testPassword
			if i%2 == 1 {
				password = "wrong password!"
			}
			form := url.Values{"email": {people[auth.Owner]}, "password": {password}}
			req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+1))
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	peak := procStatusKB(t, "VmHWM")
	growth := (peak - before) / 1024
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	t.Logf("64 concurrent logins with %d hashing slots: RSS %d MB before, peak %d MB (+%d MB); answers %v",
		auth.HashSlots(), before/1024, peak/1024, growth, counts)
	if growth >= 300 {
		t.Errorf("resident memory grew by %d MB under 64 concurrent logins, want under 300", growth)
	}
	for s, n := range counts {
		if s != http.StatusSeeOther && s != http.StatusUnauthorized && s != http.StatusTooManyRequests {
			t.Errorf("%d answers %d, want only 303, 401 or 429", n, s)
		}
	}
	// However the storm went, the owner signs in right after it.
	if status, _, _ := loginFrom(newBrowser(t, e.env), "198.51.100.77", people[auth.Owner], testPassword); status != http.StatusSeeOther {
		t.Errorf("the owner after the storm: %d, want 303", status)
	}
}

// resetPeak starts the process's VmHWM afresh (Linux: clear_refs 5).
func resetPeak(t *testing.T) {
	t.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		missing(t, "cannot reset the peak resident memory on this system: %v", err)
	}
}

// procStatusKB reads a kB figure of /proc/self/status.
func procStatusKB(t *testing.T, field string) int {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		missing(t, "no /proc/self/status on this system: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatalf("%s: %v", field, err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// missing skips a test whose part of the system is missing, with the
// message; under CI=true, where every part is there, it fails instead.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}
