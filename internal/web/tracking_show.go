package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/secret"
)

// trackingShow renders the tracking page of the order whose token is in
// the path, in the customer's language (?lang= overrides it).
func (h *Handler) trackingShow(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !secret.Plausible(token) {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	o, err := h.orders.GetByTrackingToken(ctx, token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	customerLang := ""
	if o.Customer != nil {
		customerLang = o.Customer.Language
	}
	lang := h.customerLanguage(r, customerLang)
	ex, err := h.orders.ExplainOrder(ctx, o, lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.trackingPage(o, ex, lang)
	p.Contact = h.contactForm(r, o)
	if p.Parcels, err = h.trackingParcels(ctx, o.ID, lang, p.Loc); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "tracking_show", p)
}
