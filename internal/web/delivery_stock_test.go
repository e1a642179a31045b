package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// TestDeliveryWidgetWaitsForStock: on the product page of an item out of
// stock with a delivery on its way, the widget's line says so and gives
// the promise from that day, in the page's language.
func TestDeliveryWidgetWaitsForStock(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	a, clk := apptest.New(t, store.SQLite, false)
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Set(msk(t, "2026-11-24T11:50:00")) // a Tuesday, 2 h 10 min before the 14:00 cut-off
	if _, err := a.Stock.Put(ctx, "api", []stock.Level{{SKU: "vase", Name: "Vāze", OnHand: 0,
		Incoming: []stock.Incoming{{Qty: 5, Date: "2026-12-01"}}}}); err != nil {
		t.Skipf("stock levels cannot be put yet: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", api.New(a))
	mux.Handle("/", web.New(a))
	care := httptest.NewServer(mux)
	t.Cleanup(care.Close)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="lv"><head><meta charset="utf-8"><title>Vāze</title></head>` +
			`<body><main><h1>Vāze</h1><p id="lv" data-shopcare-delivery data-items="vase"></p>` +
			`</main><script src="` + care.URL + `/delivery.js" defer></script></body></html>`))
	}))
	t.Cleanup(shop.Close)

	bctx := newChromium(t, exe, 390, 844)
	if err := chromedp.Do(bctx, chromedp.Navigate(shop.URL)); err != nil {
		t.Fatalf("open the shop's page: %v", err)
	}
	want := "Šobrīd nav noliktavā, nākamā piegāde gaidāma otrdien, 1. decembrī. Pasūtiet 2 st. 10 min. laikā — piegādāsim piektdien, 4. decembrī"
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.getElementById("lv").textContent === `+jsString(want),
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		got, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("lv").textContent`))
		t.Fatalf("line = %q, want %q (%v)", got, want, err)
	}
}
