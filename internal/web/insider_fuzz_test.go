package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// FuzzInsiderInvite sends arbitrary tokens and bodies to the invitation
// page /i/{token}: nothing fails inside (no 5xx), and no token but a
// signed one joins anyone.
func FuzzInsiderInvite(f *testing.F) {
	ctx := context.Background()
	a, clk := apptest.New(f, store.SQLite, false)
	n := order.NewOrder{ExternalID: "F-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-f", Name: "Ieva", Email: "ieva@example.lv", Language: "lv"},
		Items:    []order.Item{{SKU: "TEA", Name: "Tēja", Qty: 1, PriceMinor: 500}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		f.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		f.Fatal(err)
	}
	o, err := a.Orders.Get(ctx, res.ID)
	if err != nil {
		f.Fatal(err)
	}
	id, err := a.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.PreOrder, Title: map[string]string{"lv": "Jauna tēja"}})
	if err != nil {
		f.Fatal(err)
	}
	good, err := a.Insiders.Token(ctx, o.CustomerID, id, clk.Now().Add(insider.LinkTTL))
	if err != nil {
		f.Fatal(err)
	}
	h := web.New(a)
	f.Add(good, "lang=lv")
	f.Add(good[:len(good)-1]+"B", "lang=ru")
	f.Add("x", "")
	f.Add(strings.Repeat("A", 44), "lang=%00")
	f.Add("../my", "lang="+strings.Repeat("я", 3000))
	count := func(t *testing.T) int {
		t.Helper()
		var n int
		if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM insider_members WHERE left_at IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.Fuzz(func(t *testing.T, token, body string) {
		before := count(t)
		path := "/i/" + url.PathEscape(token)
		for _, method := range []string{"GET", "POST"} {
			var req *http.Request
			if method == "POST" {
				req = httptest.NewRequest(method, path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				req = httptest.NewRequest(method, path, nil)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s: %d", method, path, rec.Code)
			}
		}
		if count(t) > before && token != good {
			t.Fatalf("token %q joined someone", token)
		}
		if err := a.Insiders.Leave(ctx, id, o.CustomerID); err != nil { // the next input starts afresh
			t.Fatal(err)
		}
	})
}
