package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/shopcare/shopcare/internal/traffic"
)

// countJS is the page-view counter a shop puts on every page of its
// site: a beacon to POST /collect on load and on each move of a
// single-page shop. Plain JavaScript, no cookie, under 1 KB.
//
//go:embed widget/count.js
var countJS []byte

// countScript serves GET /count.js.
func (h *Handler) countScript(w http.ResponseWriter, r *http.Request) {
	writeWidgetScript(w, r, countJS)
}

// maxBeacon bounds a beacon's body: a path and a referrer.
const maxBeacon = 4 << 10

// beacon is the body count.js sends: the page's path (with its query
// string) or address, its referrer, and its host.
type beacon struct {
	Path string `json:"path"`
	URL  string `json:"url"`
	Ref  string `json:"ref"`
	Host string `json:"host"`
}

// collectPreflight answers a browser's CORS preflight of POST /collect
// from any site: the counter's beacon carries nothing secret.
func (h *Handler) collectPreflight(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Allow-Methods", "POST")
	hd.Set("Access-Control-Allow-Headers", "Content-Type")
	hd.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// collectPost takes one page view (POST /collect) from the shop's page,
// any site's in fact, with no login and no cookie: JSON, or the same as
// text/plain, as navigator.sendBeacon sends it. It answers 202 at once:
// the counter decides in memory whether the view counts, and writes it
// within a second with others. Only a body it cannot read is refused.
func (h *Handler) collectPost(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	var in beacon
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBeacon))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if err := json.Unmarshal(body, &in); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	hd := r.Header
	hit := traffic.Hit{At: h.app.Clock.Now(), Path: in.Path, Ref: in.Ref, Addr: h.clientIP(r), Agent: hd.Get("User-Agent"),
		Host: hd.Get("Origin"), Prefetch: prefetch(r), NoTrack: hd.Get("DNT") == "1" || hd.Get("Sec-GPC") == "1"}
	if in.Path == "" {
		hit.Path = in.URL
	}
	if hit.Host == "" || hit.Host == "null" {
		hit.Host = in.Host
	}
	if hit.Host == "" {
		hit.Host = hd.Get("Referer")
	}
	h.app.Traffic.Collect(hit)
	w.WriteHeader(http.StatusAccepted)
}
