package api

import (
	"context"
	"net/http"

	"github.com/shopcare/shopcare/internal/order"
)

// orderCreate takes an order in. It is idempotent by external_id: a retry
// gets the same order and the same 201, marked Idempotent-Replayed.
func (h *Handler) orderCreate(w http.ResponseWriter, r *http.Request) {
	var req orderRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.app.Settings
	n, err := req.newOrder(s.Shop.Location())
	if err == nil {
		err = order.NormalizeAt(&n, s, order.APIFields, h.app.Clock.Now())
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, o, err := h.orders.CreateRead(r.Context(), n)
	if err == nil && o == nil {
		o, err = h.orders.Get(r.Context(), res.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !res.Created {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/orders/"+itoa(o.ID))
	h.writeOrder(w, r, http.StatusCreated, o)
}

// view is the order as the API shows it, its promise explained in the
// language lang asks for (?lang=; "" for the customer's own).
func (h *Handler) view(ctx context.Context, lang string, o *order.Order) (orderJSON, error) {
	s := h.app.Settings
	v := orderView(o, s.Shop.Location(), h.orders.Today(), s.Compensation.LateGraceDays)
	p, err := h.orderPromise(ctx, h.languageOf(lang, customerLanguage(o)), o)
	v.Promise = p
	if err != nil || !o.Status.LeftShop() {
		return v, err
	}
	parcels, err := h.parcels.ByOrder(ctx, o.ID)
	for _, pc := range parcels {
		v.Parcels = append(v.Parcels, h.parcelView(pc, nil))
	}
	if err != nil {
		return v, err
	}
	reqs, err := h.returns.ListByOrder(ctx, o.ID)
	v.Returns = returnsView(reqs, s.Shop.Location())
	return v, err
}

// writeOrder answers with the order, or with the error explaining it failed.
func (h *Handler) writeOrder(w http.ResponseWriter, r *http.Request, status int, o *order.Order) {
	v, err := h.view(r.Context(), r.URL.Query().Get("lang"), o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}
