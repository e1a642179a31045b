package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/signin"
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
	p.MyURL = h.trackingMyURL(o)
	if p.Parcels, err = h.trackingParcels(ctx, o.ID, lang, p.Loc); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "tracking_show", p)
}

// trackingMyURL is the signed link from an order's tracking page to its
// customer's own page (Via tracking), "" for an order without a
// customer. The tracking page itself stays open without signing in.
func (h *Handler) trackingMyURL(o *order.Order) string {
	if o.Customer == nil || o.CustomerID == 0 {
		return ""
	}
	return h.signins.URL(o.CustomerID, signin.ViaTracking, h.human.Now())
}
