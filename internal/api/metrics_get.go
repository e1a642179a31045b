package api

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/analytics"
)

// metricsGet reports the analytics of `shopcare report metrics`, for
// ?from=YYYY-MM-DD&to=YYYY-MM-DD (both optional).
func (h *Handler) metricsGet(w http.ResponseWriter, r *http.Request) {
	win, err := analytics.ParseWindow(r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.app.Analytics.Metrics(r.Context(), win)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
