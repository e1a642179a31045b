package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/store"
)

// signInAs makes b the browser of customer id on their own page (/my):
// a session as a code would open, its cookie in b's jar, and the CSRF
// token of its forms in b.csrf. Tests of the pages behind the sign-in
// use it; the sign-in itself is tested through its pages.
func signInAs(t *testing.T, e *env, b *browser, customerID int64) signin.Session {
	t.Helper()
	s, err := e.app.SignIns.SessionCreate(context.Background(), customerID, signin.ViaCode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "shopcare_my", Value: s.Token, Path: "/"}})
	b.csrf = s.CSRF
	return s
}

func TestMyPagesNeedASession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	b := newBrowser(t, e)
	status, h, _ := b.do("GET", "/my", nil)
	if status != http.StatusSeeOther || h.Get("Location") != "/my/login?next=%2Fmy" {
		t.Fatalf("GET /my without a session: %d to %q, want 303 to the sign-in", status, h.Get("Location"))
	}
	if status, _, _ := b.do("POST", "/my/data", url.Values{"csrf": {"x"}}); status != http.StatusForbidden {
		t.Fatalf("POST /my/data without a session: %d, want 403", status)
	}
}
