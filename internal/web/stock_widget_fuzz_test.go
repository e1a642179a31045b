package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// FuzzStockWaitlistPost: no body, content type or origin makes
// POST /stock/waitlist fail with a 5xx or panic, every answer is JSON,
// and a 4xx leaves no request behind.
func FuzzStockWaitlistPost(f *testing.F) {
	seeds := []struct{ ct, origin, body string }{
		{"application/json", shopOrigin, `{"sku":"POT-24","email":"olga@example.ru","lang":"ru","page":"https://shop.example/p/pot"}`},
		{"application/json", "", `{"sku":"POT-24","email":"not an address"}`},
		{"application/json", shopOrigin, `{"sku":"POT-24","email":"a@b.lv","website":"http://spam.example"}`},
		{"application/x-www-form-urlencoded", "", "sku=MUG&email=a%40b.lv&lang=lv"},
		{"application/json", "https://evil.example", `{"sku":"MUG","email":"a@b.lv"}`},
		{"application/json", shopOrigin, `{"sku":"\u0000","email":"a@b.lv"}`},
		{"application/json", shopOrigin, `{"sku":"","email":"a@b.lv"}`},
		{"text/plain", "null", "\xff\xfe"},
	}
	for _, s := range seeds {
		f.Add(s.ct, s.origin, s.body)
	}
	e := newContactEnv(f, store.SQLite)
	h := e.srv.Config.Handler
	f.Fuzz(func(t *testing.T, ct, origin, body string) {
		var in struct{ SKU string }
		_ = json.Unmarshal([]byte(body), &in)
		_, before, _ := e.app.Stock.Waiting(context.Background(), in.SKU, 1)
		req := httptest.NewRequest(http.MethodPost, "/stock/waitlist", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		req.RemoteAddr = "192.0.2.7:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q %q: %s", rec.Code, ct, origin, body, rec.Body)
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("answer %d is %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if _, after, _ := e.app.Stock.Waiting(context.Background(), in.SKU, 1); rec.Code >= 400 && after != before {
			t.Errorf("a %d stored a request", rec.Code)
		}
	})
}

// FuzzStockCancel: no token makes the cancel page fail with a 5xx.
func FuzzStockCancel(f *testing.F) {
	for _, s := range []string{"AAAAAAAAAAcQ2Xm9Wk4Rp7Ls0YbTq8vN", "", "%00", "../../etc", strings.Repeat("A", 200)} {
		f.Add(s, true)
	}
	e := newContactEnv(f, store.SQLite)
	h := e.srv.Config.Handler
	f.Fuzz(func(t *testing.T, token string, post bool) {
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		req, err := http.NewRequest(method, "/stock/cancel/"+token, nil)
		if err != nil {
			return // not a URL a client can send
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %s %q", rec.Code, method, token)
		}
	})
}
