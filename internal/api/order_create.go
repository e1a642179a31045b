package api

import (
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
		err = order.Normalize(&n, s, order.APIFields)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.app.Orders.Create(r.Context(), n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := order.Get(r.Context(), h.app.DB.Read(), res.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !res.Created {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/orders/"+itoa(o.ID))
	writeJSON(w, http.StatusCreated, h.view(o))
}

func (h *Handler) view(o *order.Order) orderJSON {
	s := h.app.Settings
	return orderView(o, s.Shop.Location(), h.app.Orders.Today(), s.Compensation.LateGraceDays)
}
