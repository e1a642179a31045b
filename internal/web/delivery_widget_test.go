package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// TestDeliveryScript: GET /delivery.js is one small script (under 5 KB),
// served as JavaScript that any site may load.
func TestDeliveryScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	res, err := http.Get(e.srv.URL + "/delivery.js")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	hd := res.Header
	if res.StatusCode != 200 || hd.Get("Content-Type") != "text/javascript; charset=utf-8" ||
		hd.Get("Cross-Origin-Resource-Policy") != "cross-origin" || hd.Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("delivery.js: %d %v", res.StatusCode, hd)
	}
	if len(body) >= 5*1024 {
		t.Errorf("delivery.js is %d bytes, want under 5 KB", len(body))
	}
	for _, want := range []string{"data-shopcare-delivery", "/api/v1/promise/quote", "order_within_format", "order_by", "waits"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("delivery.js lacks %q", want)
		}
	}
}

// TestDeliveryWidgetInChromium puts the widget on a shop's product page
// served from another origin under a strict Content-Security-Policy, as
// a shop does, with one line in the page's language (Latvian) and one
// asking for Russian: each shows the server's words for the shop's
// clock, and when the cut-off passes the line asks again and shows the
// next day's promise. The page passes axe-core.
func TestDeliveryWidgetInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	a, clk := apptest.New(t, store.SQLite, false)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux() // as shopcare serve routes them
	mux.Handle("/api/v1/", api.New(a))
	mux.Handle("/", web.New(a))
	care := httptest.NewServer(mux)
	t.Cleanup(care.Close)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src "+care.URL+"; connect-src "+care.URL+"; style-src 'self'")
		_, _ = w.Write([]byte(`<!doctype html><html lang="lv"><head><meta charset="utf-8"><title>Krūze</title></head>` +
			`<body><main><h1>Krūze ar ziemeļbriedi</h1><p>Cena 12,50 €</p>` +
			`<p id="lv" data-shopcare-delivery data-items="mug:0"></p>` +
			`<p id="ru" data-shopcare-delivery data-items="mug" data-lang="ru-RU"></p>` +
			`</main><script src="` + care.URL + `/delivery.js" defer></script></body></html>`))
	}))
	t.Cleanup(shop.Close)

	clk.Set(msk(t, "2026-11-24T11:50:00")) // a Tuesday, 2 h 10 min before the 14:00 cut-off
	ctx := newChromium(t, exe, 390, 844)
	if err := chromedp.Do(ctx, chromedp.Navigate(shop.URL)); err != nil {
		t.Fatalf("open the shop's page: %v", err)
	}
	lines := func(want map[string]string) {
		t.Helper()
		for id, text := range want {
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("`+id+`").textContent === `+jsString(text),
				chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("`+id+`").textContent`))
				t.Fatalf("%s line = %q, want %q (%v)", id, got, text, err)
			}
		}
	}
	lines(map[string]string{
		"lv": "Pasūtiet 2 st. 10 min. laikā — piegādāsim piektdien, 27. novembrī",
		"ru": "Закажите в течение 2 ч 10 мин — доставим в пятницу, 27 ноября",
	})
	axeCheck(t, ctx)

	// A second before the cut-off, then past it: the script counts down
	// to it and asks again.
	clk.Set(msk(t, "2026-11-24T13:59:59"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.shopcareDelivery.refresh(), true`)); err != nil {
		t.Fatal(err)
	}
	lines(map[string]string{"ru": "Закажите в течение 1 мин — доставим в пятницу, 27 ноября"})
	clk.Set(msk(t, "2026-11-24T14:00:01"))
	lines(map[string]string{
		"ru": "Закажите в течение 24 ч — доставим в субботу, 28 ноября",
		"lv": "Pasūtiet 24 st. laikā — piegādāsim sestdien, 28. novembrī",
	})
}
