package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestWaitlistAPI: a customer asked by e-mail through the API, again (the
// same request, 200), by the shop's customer id; the list counts them
// first come first; a bad ask names its field and stores nothing; the
// availability is public and names nobody.
func TestWaitlistAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			srv := httptest.NewServer(api.New(a))
			t.Cleanup(srv.Close)
			tok, err := a.Accounts.TokenAdd(context.Background(), "test", []auth.Scope{auth.ScopeRead, auth.ScopeOrdersWrite}, apptest.Start)
			if err != nil {
				t.Fatal(err)
			}
			call := func(method, path, body string) (int, map[string]any) {
				t.Helper()
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
				if method == "POST" {
					req.Header.Set("Content-Type", "application/json")
				}
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var out map[string]any
				_ = json.NewDecoder(res.Body).Decode(&out)
				return res.StatusCode, out
			}
			if s, out := call("POST", "/api/v1/stock/POT-24/waitlist", `{"email":"Olga@Example.ru","language":"ru","page_url":"https://shop.example/p/pot-24"}`); s != 201 || out["source"] != "api" {
				t.Fatalf("ask = %d %v", s, out)
			}
			if s, _ := call("POST", "/api/v1/stock/POT-24/waitlist", `{"email":"olga@example.ru"}`); s != 200 {
				t.Errorf("asking again = %d, want 200", s)
			}
			if s, out := call("POST", "/api/v1/stock/POT-24/waitlist", `{"email":"x@example.ru","channel":"pigeon"}`); s != 422 || out["error"].(map[string]any)["field"] != "channel" {
				t.Errorf("bad channel = %d %v", s, out)
			}
			if s, out := call("POST", "/api/v1/stock/POT-24/waitlist", `{"customer_id":"nobody"}`); s != 422 || out["error"].(map[string]any)["field"] != "customer_id" {
				t.Errorf("unknown customer = %d %v", s, out)
			}
			s, out := call("GET", "/api/v1/stock/POT-24/waitlist", "")
			if s != 200 || out["count"] != float64(1) || len(out["entries"].([]any)) != 1 {
				t.Errorf("list = %d %v", s, out)
			}
			res, err := http.Get(srv.URL + "/api/v1/stock/" + url.PathEscape("POT-24") + "/availability?lang=lv")
			if err != nil {
				t.Fatal(err)
			}
			var av map[string]any
			_ = json.NewDecoder(res.Body).Decode(&av)
			_ = res.Body.Close()
			if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "*" || av["text"] == "" || av["sku"] != "POT-24" {
				t.Errorf("availability = %d %v", res.StatusCode, av)
			}
			for k := range av {
				if k != "sku" && k != "tracked" && k != "status" && k != "available" && k != "next_on" && k != "text" {
					t.Errorf("availability says %q", k)
				}
			}
		})
	}
}

// FuzzStockAvailability: no SKU or language makes the public availability
// fail with a 5xx.
func FuzzStockAvailability(f *testing.F) {
	for _, s := range []string{"POT-24", "", "%00", "a/b", "ж"} {
		f.Add(s, "ru")
	}
	a, _ := apptest.New(f, store.SQLite, false)
	h := api.New(a)
	f.Fuzz(func(t *testing.T, sku, lang string) {
		req, err := http.NewRequest(http.MethodGet, "/api/v1/stock/"+url.PathEscape(sku)+"/availability?lang="+url.QueryEscape(lang), nil)
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q: %s", rec.Code, sku, lang, rec.Body)
		}
	})
}
