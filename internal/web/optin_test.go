package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// optInShop is a shop with double opt-in and one customer whose
// marketing e-mail consent, given with an order, waits: the customer's id
// and the token of their confirmation link.
func optInShop(tb testing.TB, engine store.Engine) (*app.App, int64, string) {
	tb.Helper()
	a, _ := apptest.New(tb, engine, false, "shop:", "  public_url: https://care.example.com", "campaigns:", "  double_opt_in: true")
	ctx := context.Background()
	in := customerInput()
	in.Consent, in.ConsentSource = []string{"marketing_email"}, "newsletter form"
	n := order.NewOrder{ExternalID: "O-1", Customer: in, Carrier: "post",
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		tb.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		tb.Fatal(err)
	}
	id := customerOf(tb, a, res.ID)
	p, err := customer.GetPendingMarketing(ctx, a.DB.Read(), id, "email")
	if err != nil {
		tb.Fatal(err)
	}
	return a, id, customer.OptInToken(a.SignIns, customer.OptIn{CustomerID: id, Channel: "email", Requested: p.At})
}

// marketingEmail is the customer's marketing consent on e-mail and its
// source.
func marketingEmail(tb testing.TB, a *app.App, id int64) (bool, string) {
	tb.Helper()
	cs, err := customer.Channels(context.Background(), a.DB.Read(), id)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range cs {
		if c.Channel == "email" {
			return c.Marketing(), c.MarketingConsentSource
		}
	}
	return false, ""
}

// TestOptInPage: the confirmation link's page asks first (a mail
// scanner's GET confirms nothing), the button confirms with the source
// "double opt-in", the page says so in the customer's language, and says
// so again later; a forged link is the 404 page.
func TestOptInPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, id, token := optInShop(t, engine)
			pages := web.New(a)
			do := func(method, path string) *httptest.ResponseRecorder {
				t.Helper()
				r := httptest.NewRequest(method, path, strings.NewReader(""))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				pages.ServeHTTP(w, r)
				return w
			}
			w := do("GET", "/optin/"+token)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Да, присылайте новости и предложения") {
				t.Fatalf("GET: %d\n%s", w.Code, w.Body)
			}
			if ok, _ := marketingEmail(t, a, id); ok {
				t.Fatal("a GET confirmed the consent")
			}
			w = do("POST", "/optin/"+token)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Спасибо!") {
				t.Fatalf("POST: %d\n%s", w.Code, w.Body)
			}
			if ok, source := marketingEmail(t, a, id); !ok || source != "double opt-in (newsletter form)" {
				t.Errorf("after the button: consent %v, source %q", ok, source)
			}
			if w = do("GET", "/optin/"+token); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Спасибо!") {
				t.Errorf("GET after the confirmation: %d\n%s", w.Code, w.Body)
			}
			forged := []byte(token)
			forged[len(forged)-2] ^= 1
			for _, m := range []string{"GET", "POST"} {
				if w = do(m, "/optin/"+string(forged)); w.Code != http.StatusNotFound {
					t.Errorf("%s forged link: %d", m, w.Code)
				}
			}
		})
	}
}

// FuzzOptIn sends any token to /optin/{token}: the answer is the page
// (200) or not found (404), never a server error, and only the real
// link confirms.
func FuzzOptIn(f *testing.F) {
	a, id, token := optInShop(f, store.SQLite)
	pages := web.New(a)
	f.Add(token, true)
	f.Add(token+"A", true)
	f.Add(token[:len(token)-3], true)
	f.Add("x", false)
	f.Add("", true)
	f.Add("%00", true)
	confirmed := false // the real link was posted
	f.Fuzz(func(t *testing.T, tok string, post bool) {
		if strings.ContainsAny(tok, "/?#% \t\r\n") {
			return // not one path segment
		}
		method := "GET"
		if post {
			method = "POST"
		}
		r := httptest.NewRequest(method, "/optin/x", nil)
		r.URL.Path = "/optin/" + tok
		w := httptest.NewRecorder()
		pages.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusNotFound && w.Code != http.StatusMovedPermanently {
			t.Fatalf("%s %q: %d", method, tok, w.Code)
		}
		confirmed = confirmed || post && tok == token
		if ok, _ := marketingEmail(t, a, id); ok && !confirmed {
			t.Fatalf("%q confirmed the consent", tok)
		}
	})
}
