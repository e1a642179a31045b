package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
)

// TestWidgetInChromium puts the widget on a shop's page served from
// another origin, as a shop does, and sends a message through it in
// headless Chromium: the script loads across origins, renders its button
// in the page's language (Latvian), passes the CORS preflight with its
// JSON post and shows shopcare's confirmation; the message reaches the
// inbox. The shop's page has a strict Content-Security-Policy of its own
// that allows shopcare's script and requests, and no inline styles.
func TestWidgetInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	var care string
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+care+"; connect-src "+care+"; style-src 'self'")
		_, _ = w.Write([]byte(`<!doctype html><html lang="lv"><head><meta charset="utf-8"><title>Veikals</title></head>` +
			`<body><h1>Mūsu veikals</h1><script src="` + care + `/widget.js" defer></script></body></html>`))
	}))
	t.Cleanup(shop.Close)
	e := newContactEnv(t, store.SQLite, shop.URL)
	care = e.srv.URL

	ctx := newChromium(t, exe, 390, 844)
	err := chromedp.Do(ctx,
		chromedp.Navigate(shop.URL),
		chromedp.WaitVisible(chromedp.CSS(".shopcare-widget-button")),
	)
	if err != nil {
		t.Fatalf("open the shop's page: %v", err)
	}
	button, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".shopcare-widget-button")))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".shopcare-widget-button")),
		chromedp.WaitVisible(chromedp.CSS(".shopcare-widget-form")),
		chromedp.SendKeys(chromedp.CSS(`.shopcare-widget-form input[name="name"]`), "Līga"),
		chromedp.SendKeys(chromedp.CSS(`.shopcare-widget-form input[name="email"]`), "liga@example.lv"),
		chromedp.SendKeys(chromedp.CSS(`.shopcare-widget-form textarea[name="message"]`), "Vai varat piegādāt uz Liepāju?"),
		chromedp.Click(chromedp.CSS(".shopcare-widget-send")),
	)
	if err != nil {
		t.Fatalf("fill in the widget: %v", err)
	}
	sent := i18n.Text(i18n.LV, "tracking.contact.sent", nil)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector(".shopcare-widget-status").textContent === `+jsString(sent))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".shopcare-widget-status")))
		t.Fatalf("no confirmation: %v (status %q)", err, status)
	}
	if button != i18n.Text(i18n.LV, "tracking.contact.button", nil) {
		t.Errorf("button %q, want the Latvian text", button)
	}
	got := e.inbox.messages()
	if len(got) != 1 || got[0].From != "liga@example.lv" || got[0].Language != "lv" || got[0].Text != "Vai varat piegādāt uz Liepāju?" ||
		!strings.HasPrefix(got[0].MessageID, "web:") {
		t.Errorf("inbox got %+v", got)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
