package web

import (
	"net/http"
	"net/url"

	"github.com/shopcare/shopcare/internal/analytics"
)

// alertBannerPage is the early warning above the owner's pages: the
// latest alert not dismissed, and the page to come back to after the
// dismissal.
type alertBannerPage struct {
	adminPage
	N     numbers
	Alert *analytics.Alert
	Back  string
	// Text words an alert on traffic (analytics_traffic.go); "" for the
	// orders' alert, which the template words.
	Text string
}

// alertBanner is the banner htmx loads into every admin page of the
// owner (the layout asks for it once the page is on show): the latest
// alert of the last week not dismissed, one indexed query; nothing, a
// 204, when there is none.
func (h *Handler) alertBanner(w http.ResponseWriter, r *http.Request, v *visitor) {
	a, err := h.app.Analytics.LatestAlert(r.Context())
	if err != nil {
		h.log.ErrorContext(r.Context(), "read the latest alert", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	if a == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	p := alertBannerPage{adminPage: h.adminPage(v, ""), N: h.numbers(v.Lang), Alert: a, Back: "/analytics",
		Text: alertBannerText(v.Lang, h.app.Settings.Shop.Location(), a)}
	if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil && u.Path != "" {
		p.Back = safeNext(u.RequestURI())
	}
	h.renderPart(w, r, "analytics", "alert_banner", p)
}
