package api

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/analytics"
)

// metricsGet reports the analytics of `shopcare report metrics`.
func (h *Handler) metricsGet(w http.ResponseWriter, r *http.Request) {
	m, err := analytics.Compute(r.Context(), h.app.DB.Read(), h.app.Settings.Shop.Currency)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
