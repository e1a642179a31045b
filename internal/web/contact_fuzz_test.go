package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// FuzzContactPost: no body, content type or origin makes POST /contact
// fail with a 5xx or panic, every answer is JSON, and a 4xx hands
// nothing to the inbox.
func FuzzContactPost(f *testing.F) {
	seeds := []struct{ ct, origin, body string }{
		{"application/json", shopOrigin, `{"name":"Līga","email":"liga@example.lv","message":"Sveiki","lang":"lv","id":"3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"}`},
		{"application/json", "", `{"phone":"+7 916 123-45-67","message":"Где заказ?"}`},
		{"application/json", shopOrigin, `{"message":"x","website":"http://spam.example"}`},
		{"application/x-www-form-urlencoded", "", "email=a%40b.lv&message=hi&lang=ru"},
		{"multipart/form-data; boundary=X", "", "--X\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhi\r\n--X--\r\n"},
		{"application/json", "https://evil.example", `{"email":"a@b.lv","message":"hi"}`},
		{"application/json", shopOrigin, `{"email":"a@b.lv","message":"\u0000"}`},
		{"text/plain", "null", "\xff\xfe"},
	}
	for _, s := range seeds {
		f.Add(s.ct, s.origin, s.body)
	}
	e := newContactEnv(f, store.SQLite)
	h := e.srv.Config.Handler
	f.Fuzz(func(t *testing.T, ct, origin, body string) {
		before := len(e.inbox.messages())
		req := httptest.NewRequest(http.MethodPost, "/contact", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q %q: %s", rec.Code, ct, origin, body, rec.Body)
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("answer %d is %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if after := len(e.inbox.messages()); rec.Code >= 400 && after != before {
			t.Errorf("a %d stored a message", rec.Code)
		}
	})
}
