package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// people are the shop's users of the tests, one per role.
var people = map[auth.Role]string{
	auth.Owner:    "owner@shop.test",
	auth.Operator: "operator@shop.test",
	auth.Packer:   "packer@shop.test",
}

const testPassword = "correct horse battery"

func addPeople(t *testing.T, e *env) {
	t.Helper()
	for role, email := range people {
		if err := auth.UserAdd(context.Background(), e.app.DB, email, testPassword, role, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// browser is a client with a cookie jar that does not follow redirects,
// so each answer is seen as it is.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newBrowser(t *testing.T, e *env) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(method, path string, form url.Values, header ...string) (int, http.Header, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, h := range header {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		return resp.StatusCode, resp.Header, "" // a stream: the answer is its headers
	}
	buf, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindStringSubmatch(string(buf)); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, resp.Header, string(buf)
}

func (b *browser) login(email string) {
	b.t.Helper()
	status, h, body := b.do("POST", "/login", url.Values{"email": {email}, "password": {testPassword}})
	if status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d\n%s", email, status, body)
	}
	if loc := h.Get("Location"); loc != "/" {
		b.t.Fatalf("login %s: to %q", email, loc)
	}
	b.do("GET", "/account", nil) // picks up the CSRF token
	if b.csrf == "" {
		b.t.Fatal("no CSRF token on the account page")
	}
}

// TestRolesOnEveryRoute walks every admin route with nobody signed in and
// with each role: nobody gets in without a login, each role gets exactly
// its areas, and no form goes through without its CSRF token or from
// another site.
func TestRolesOnEveryRoute(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			addPeople(t, e)
			o, err := order.GetByExternalID(context.Background(), e.app.DB.Read(), "R-2")
			if err != nil {
				t.Fatal(err)
			}
			ids := strings.NewReplacer("{id}", strconv.FormatInt(o.ID, 10), "{$}", "", "{doc}", "slip.pdf", "{outcome}", "no-answer",
				"{parcel}", "999999")
			paths := func(rt web.AdminRoute) string {
				p := rt.Path
				if strings.HasPrefix(p, "/customers/") {
					p = strings.Replace(p, "{id}", strconv.FormatInt(o.CustomerID, 10), 1)
				}
				if strings.HasPrefix(p, "/users/") {
					p = strings.Replace(p, "{id}", "999999", 1) // nobody: the walk must not delete anyone
				}
				return ids.Replace(p)
			}
			routes := web.AdminRoutes(e.app)
			if len(routes) < 15 {
				t.Fatalf("only %d admin routes", len(routes))
			}

			anon := newBrowser(t, e)
			for _, rt := range routes {
				path := paths(rt)
				status, h, _ := anon.do(rt.Method, path, url.Values{})
				switch rt.Method {
				case "GET":
					if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
						t.Errorf("anonymous %s %s: %d to %q, want 303 to /login", rt.Method, path, status, h.Get("Location"))
					}
				default:
					if status != http.StatusUnauthorized {
						t.Errorf("anonymous %s %s: %d, want 401", rt.Method, path, status)
					}
				}
			}

			for _, role := range []auth.Role{auth.Owner, auth.Operator, auth.Packer} {
				t.Run(string(role), func(t *testing.T) {
					b := newBrowser(t, e)
					b.login(people[role])
					for _, rt := range routes {
						if rt.Path == "/logout" {
							continue // walked last
						}
						path := paths(rt)
						form := url.Values{}
						if rt.Method == "POST" {
							form.Set("csrf", b.csrf)
						}
						status, _, body := b.do(rt.Method, path, form)
						allowed := role.Can(rt.Area)
						switch {
						case allowed && (status == http.StatusForbidden || status == http.StatusUnauthorized || status >= 500):
							t.Errorf("%s %s %s: %d, want it allowed\n%.400s", role, rt.Method, path, status, body)
						case !allowed && status != http.StatusForbidden:
							t.Errorf("%s %s %s: %d, want 403", role, rt.Method, path, status)
						}
						if rt.Method == "POST" && allowed {
							if st, _, _ := b.do(rt.Method, path, url.Values{}); st != http.StatusForbidden {
								t.Errorf("%s %s %s without a CSRF token: %d, want 403", role, rt.Method, path, st)
							}
							if st, _, _ := b.do(rt.Method, path, url.Values{"csrf": {b.csrf}}, "Sec-Fetch-Site: cross-site"); st != http.StatusForbidden {
								t.Errorf("%s %s %s from another site: %d, want 403", role, rt.Method, path, st)
							}
						}
					}
					if status, _, _ := b.do("POST", "/logout", url.Values{"csrf": {b.csrf}}); status != http.StatusSeeOther {
						t.Errorf("logout: %d", status)
					}
					if status, _, _ := b.do("GET", "/account", nil); status != http.StatusSeeOther {
						t.Errorf("after logout /account: %d, want 303 to the login", status)
					}
				})
			}
		})
	}
}

func TestLoginRefusesAndLimits(t *testing.T) {
	t.Parallel()
	he := newHumanEnv(t, storetest.Engines(t)[0])
	e := he.env
	addPeople(t, e)
	b := newBrowser(t, e)
	status, _, body := b.do("POST", "/login", url.Values{"email": {people[auth.Owner]}, "password": {"wrong password!"}}, "Accept-Language: en")
	if status != http.StatusUnauthorized || !strings.Contains(body, "Wrong e-mail or password") {
		t.Fatalf("wrong password: %d\n%s", status, body)
	}
	for range 10 {
		status, _, body = b.do("POST", "/login", url.Values{"email": {people[auth.Owner]}, "password": {"wrong password!"}}, "Accept-Language: en")
	}
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Too many attempts") {
		t.Fatalf("the 11th try: %d, want 429", status)
	}
	// Even the right password waits now at this address; a minute of
	// the real clock later it works.
	if status, _, _ := b.do("POST", "/login", url.Values{"email": {people[auth.Owner]}, "password": {testPassword}}); status != http.StatusTooManyRequests {
		t.Fatalf("right password while limited: %d, want 429", status)
	}
	he.human.Advance(2 * 60e9)
	b.login(people[auth.Owner])
	// A login may only send on to this site.
	b2 := newBrowser(t, e)
	_, h, _ := b2.do("POST", "/login", url.Values{"email": {people[auth.Operator]}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if h.Get("Location") != "/" {
		t.Errorf("next=//evil.example: sent to %q", h.Get("Location"))
	}
}

func TestSessionCookieIsHTTPOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	b := newBrowser(t, e)
	_, h, _ := b.do("POST", "/login", url.Values{"email": {people[auth.Packer]}, "password": {testPassword}})
	c := h.Get("Set-Cookie")
	for _, want := range []string{"shopcare_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(c, want) {
			t.Errorf("Set-Cookie %q lacks %q", c, want)
		}
	}
}
