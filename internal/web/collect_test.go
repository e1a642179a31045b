package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

const (
	countShop   = "https://shop.example"
	countChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

// newCountEnv is a started App of a shop at https://shop.example with
// its web surface behind a test server.
func newCountEnv(t testing.TB, engine store.Engine) *env {
	t.Helper()
	a, clk := apptest.New(t, engine, false, "shop:", "  public_url: "+countShop)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	return &env{app: a, clock: clk, srv: srv}
}

// beacons reads the counter's metric: page views by outcome.
func beacons(t testing.TB, e *env) map[string]int {
	t.Helper()
	rec := httptest.NewRecorder()
	e.app.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]int{}
	for _, m := range regexp.MustCompile(`shopcare_traffic_beacons_total\{outcome="(\w+)"\} (\d+)`).FindAllStringSubmatch(rec.Body.String(), -1) {
		out[m[1]], _ = strconv.Atoi(m[2])
	}
	return out
}

// TestCollect: the counter's script and beacon through the real router:
// any site may send (CORS, preflight too), JSON or sendBeacon's
// text/plain is taken with 202 and no cookie, what the counter ignores
// is answered the same, and only an unreadable body is refused.
func TestCollect(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newCountEnv(t, engine)
			do := func(method, path, body string, header ...string) (int, http.Header) {
				t.Helper()
				req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("User-Agent", countChrome)
				for _, h := range header {
					name, value, _ := strings.Cut(h, ": ")
					req.Header.Set(name, value)
				}
				resp, err := e.srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				return resp.StatusCode, resp.Header
			}
			for _, c := range []struct {
				name, method, body string
				header             []string
				want               int
			}{
				{"preflight", http.MethodOptions, "", []string{"Origin: " + countShop, "Access-Control-Request-Method: POST"}, http.StatusNoContent},
				{"json", http.MethodPost, `{"path":"/pan?utm_source=vk","ref":"https://vk.com/"}`, []string{"Origin: " + countShop, "Content-Type: application/json"}, http.StatusAccepted},
				{"sendBeacon", http.MethodPost, `{"path":"/","ref":"","host":"shop.example"}`, []string{"Content-Type: text/plain;charset=UTF-8"}, http.StatusAccepted},
				{"address", http.MethodPost, `{"url":"https://www.shop.example/cart"}`, nil, http.StatusAccepted},
				{"robot", http.MethodPost, `{"path":"/"}`, []string{"Origin: " + countShop, "User-Agent: Googlebot/2.1 (+http://www.google.com/bot.html)"}, http.StatusAccepted},
				{"other site", http.MethodPost, `{"path":"/"}`, []string{"Origin: https://copycat.example"}, http.StatusAccepted},
				{"prefetch", http.MethodPost, `{"path":"/"}`, []string{"Origin: " + countShop, "Sec-Purpose: prefetch"}, http.StatusAccepted},
				{"not json", http.MethodPost, `path=/`, []string{"Origin: " + countShop}, http.StatusBadRequest},
				{"too big", http.MethodPost, `{"path":"/` + strings.Repeat("a", 5000) + `"}`, []string{"Origin: " + countShop}, http.StatusRequestEntityTooLarge},
			} {
				code, hd := do(c.method, "/collect", c.body, c.header...)
				if code != c.want {
					t.Errorf("%s: %d, want %d", c.name, code, c.want)
				}
				if got := hd.Get("Access-Control-Allow-Origin"); got != "*" {
					t.Errorf("%s: Access-Control-Allow-Origin %q", c.name, got)
				}
				if hd.Get("Set-Cookie") != "" {
					t.Errorf("%s: sets a cookie", c.name)
				}
			}
			got := beacons(t, e)
			if got["accepted"] != 3 || got["bot"] != 1 || got["foreign"] != 1 || got["prefetch"] != 1 {
				t.Errorf("beacons by outcome %v, want 3 accepted, a bot, a foreign site and a prefetch", got)
			}
			if err := e.app.Traffic.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := beacons(t, e); got["failed"] != 0 || got["dropped"] != 0 {
				t.Errorf("writing failed: %v", got)
			}

			code, hd := do(http.MethodGet, "/count.js", "")
			if code != http.StatusOK || !strings.HasPrefix(hd.Get("Content-Type"), "text/javascript") ||
				hd.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
				t.Errorf("GET /count.js: %d %v", code, hd)
			}
		})
	}
}

// FuzzCollectPost: no body, content type or origin makes POST /collect
// fail with a 5xx or panic; it answers 202, 400 or 413, always open to
// any site.
func FuzzCollectPost(f *testing.F) {
	seeds := []struct{ ct, origin, ua, body string }{
		{"application/json", countShop, countChrome, `{"path":"/pan?utm_source=newsletter","ref":"https://www.google.com/"}`},
		{"text/plain;charset=UTF-8", "", countChrome, `{"path":"/","ref":"","host":"shop.example"}`},
		{"application/json", "null", countChrome, `{"url":"https://shop.example/a/b?c=d#e"}`},
		{"application/json", countShop, "", `{"path":"javascript:alert(1)"}`},
		{"application/json", "https://evil.example", "curl/8", `{"path":"/","ref":"::::"}`},
		{"text/plain", countShop, countChrome, "\xff\xfe"},
		{"application/json", countShop, countChrome, `{"path":"/\u0000\u202e","ref":"http://[::1]:80/"}`},
		{"application/json", countShop, countChrome, `[1,2,3]`},
	}
	for _, s := range seeds {
		f.Add(s.ct, s.origin, s.ua, s.body)
	}
	e := newCountEnv(f, store.SQLite)
	h := e.srv.Config.Handler
	f.Fuzz(func(t *testing.T, ct, origin, ua, body string) {
		req := httptest.NewRequest(http.MethodPost, "/collect", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("User-Agent", ua)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusAccepted, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%d for %q %q %q %q", rec.Code, ct, origin, ua, body)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("answer %d is not open to any site", rec.Code)
		}
		if err := e.app.Traffic.Flush(context.Background()); err != nil {
			t.Fatalf("writing %q: %v", body, err)
		}
	})
}
