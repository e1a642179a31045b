package web

import (
	_ "embed"
	"net/http"
)

// deliveryJS is the delivery-date widget a shop puts on its product and
// checkout pages: each <div data-shopcare-delivery data-items="…"> gets
// "Order within 2 h 10 min — arrives on Thursday 10 Dec" from the
// promise quote (GET /api/v1/promise/quote), which words it in the
// visitor's language. Plain JavaScript, no library, under 5 KB: it runs
// on a phone beside the shop's own scripts.
//
//go:embed widget/delivery.js
var deliveryJS []byte

// deliveryScript serves GET /delivery.js. Shops link it under one address
// for years, so it is cached for an hour only, and any site may load it.
func (h *Handler) deliveryScript(w http.ResponseWriter, r *http.Request) {
	writeWidgetScript(w, r, deliveryJS)
}

// writeWidgetScript answers with one of the scripts shops put on their
// own pages (/widget.js, /delivery.js, /reviews.js): shops link each
// under one address for years, so it is cached for an hour only, and any
// site may load it.
func writeWidgetScript(w http.ResponseWriter, r *http.Request, script []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "text/javascript; charset=utf-8")
	hd.Set("Cache-Control", "public, max-age=3600")
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	hd.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodHead {
		_, _ = w.Write(script)
	}
}
