package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// newBrandEnv is newEnv with the shop's settings changed by yaml lines.
func newBrandEnv(t *testing.T, yaml ...string) *env {
	t.Helper()
	a, clk := apptest.New(t, store.SQLite, false, yaml...)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	return &env{app: a, clock: clk, srv: srv}
}

// get fetches url and returns its status, headers and body.
func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(body)
}

var brandLink = regexp.MustCompile(`<link rel="stylesheet" href="(/brand\.css\?v=[0-9a-z]+)">`)

// TestBrandOnTheCustomersPages: with shop.brand_color and shop.logo_url
// the tracking page links the shop's stylesheet and shows its logo, the
// Content-Security-Policy lets the logo's site in, and /brand.css has the
// colour, cached for a year under its version only; without them the
// page is shopcare's own.
func TestBrandOnTheCustomersPages(t *testing.T) {
	t.Parallel()
	e := newBrandEnv(t, "shop:", "  logo_url: https://cdn.shop.example/logo.svg", `  brand_color: "#1F5F8B"`)
	tok := placeOrders(t, e)

	status, hd, body := get(t, e.srv.URL+"/t/"+tok.making)
	if status != 200 {
		t.Fatalf("tracking page: %d", status)
	}
	m := brandLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no brand stylesheet in the tracking page:\n%.1500s", body)
	}
	if !strings.Contains(body, `<img class="shop-logo" src="https://cdn.shop.example/logo.svg" alt="`) {
		t.Errorf("no logo in the tracking page's header:\n%.1500s", body)
	}
	if csp := hd.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "; img-src 'self' https://cdn.shop.example") ||
		!strings.Contains(csp, "script-src 'none'") {
		t.Errorf("CSP = %q, want the logo's origin among the images' and the rest as strict", csp)
	}
	if _, hd, _ := get(t, e.srv.URL+"/static/nothing"); strings.Contains(hd.Get("Content-Security-Policy"), "cdn.shop.example") {
		t.Errorf("the logo's origin leaks into other paths' policy: %q", hd.Get("Content-Security-Policy"))
	}

	status, hd, css := get(t, e.srv.URL+m[1])
	if status != 200 || hd.Get("Content-Type") != "text/css; charset=utf-8" || hd.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		!strings.Contains(css, "--brand: #1f5f8b;") || !strings.Contains(css, ".shop { background: var(--brand)") {
		t.Errorf("GET %s: %d %v\n%s", m[1], status, hd, css)
	}
	if _, hd, _ := get(t, e.srv.URL+"/brand.css?v=old"); hd.Get("Cache-Control") != "no-cache" {
		t.Errorf("an old version is cached: %v", hd)
	}

	plain := newEnv(t, store.SQLite)
	tok = placeOrders(t, plain)
	_, hd, body = get(t, plain.srv.URL+"/t/"+tok.making)
	if brandLink.MatchString(body) || strings.Contains(body, "shop-logo") || strings.Contains(hd.Get("Content-Security-Policy"), "img-src") {
		t.Errorf("a shop without a brand gets one:\n%.1500s", body)
	}
	if status, _, css := get(t, plain.srv.URL+"/brand.css"); status != 200 || strings.Contains(css, "--brand") {
		t.Errorf("brand.css without a colour: %d %q", status, css)
	}
}

// TestBrandBehindTheShopsProxy serves shopcare behind a reverse proxy on
// the shop's own domain, as public_url says: the tracking page, its brand
// stylesheet and the widget's script come through it; a logo given as a
// path is an absolute address under public_url; the customer's page
// sends to its sign-in by a path, so the browser stays on the shop's
// domain.
func TestBrandBehindTheShopsProxy(t *testing.T) {
	t.Parallel()
	e := newBrandEnv(t, "shop:", "  public_url: https://care.shop.example/", "  logo_url: /files/logo.png", `  brand_color: "#6b2d5c"`)
	tok := placeOrders(t, e)
	target, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.SetXForwarded()
		r.Out.Header.Set("X-Forwarded-Proto", "https")
		r.Out.Host = "care.shop.example"
	}})
	t.Cleanup(proxy.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch := func(path string) (int, http.Header, string) {
		t.Helper()
		res, err := client.Get(proxy.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, res.Header, string(b)
	}

	status, hd, body := fetch("/t/" + tok.making)
	if status != 200 || !strings.Contains(body, `src="https://care.shop.example/files/logo.png"`) {
		t.Fatalf("tracking page through the proxy: %d\n%.1500s", status, body)
	}
	if strings.Contains(hd.Get("Content-Security-Policy"), "img-src") {
		t.Errorf("the logo is shopcare's own origin, yet the policy names it: %q", hd.Get("Content-Security-Policy"))
	}
	m := brandLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no brand stylesheet")
	}
	if status, _, css := fetch(m[1]); status != 200 || !strings.Contains(css, "#6b2d5c") {
		t.Errorf("brand.css through the proxy: %d %q", status, css)
	}
	if status, _, _ := fetch("/delivery.js"); status != 200 {
		t.Errorf("delivery.js through the proxy: %d", status)
	}
	status, hd, _ = fetch("/my")
	if loc := hd.Get("Location"); status != http.StatusSeeOther || loc != "/my/login?next=%2Fmy" {
		t.Errorf("/my through the proxy: %d to %q, want a path on the shop's domain", status, loc)
	}
}

// TestBrandColourInChromium: the tracking page of a shop with a colour
// shows its header in that colour, and passes axe-core (white on the
// colour, links and focus in it).
func TestBrandColourInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newBrandEnv(t, "shop:", `  brand_color: "#1f5f8b"`)
	tok := placeOrders(t, e)
	ctx := newChromium(t, exe, 390, 844)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/t/"+tok.making), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatal(err)
	}
	header, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header.shop")).backgroundColor + " " +
		getComputedStyle(document.querySelector("header.shop")).color`))
	if err != nil {
		t.Fatal(err)
	}
	if header != "rgb(31, 95, 139) rgb(255, 255, 255)" {
		t.Errorf("header = %q, want the shop's colour with white text", header)
	}
	axeCheck(t, ctx)
}
