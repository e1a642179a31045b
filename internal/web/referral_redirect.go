package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/loyalty"
)

// referralRedirect sends the friend who followed a customer's personal
// link (/r/CODE) on to the shop's landing page with the code; an unknown
// code is the plain 404 page, as any unknown path.
func (h *Handler) referralRedirect(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !loyalty.PlausibleCode(code) {
		h.notFound(w, r)
		return
	}
	dest, ok, err := h.loyalty.ReferralLanding(r.Context(), code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		h.notFound(w, r)
		return
	}
	http.Redirect(w, r, dest, http.StatusFound)
}
