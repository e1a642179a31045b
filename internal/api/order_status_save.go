package api

import (
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

type statusRequest struct {
	Status         string `json:"status"`
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	At             string `json:"at"`
}

// orderStatusSave moves an order along its lifecycle; a move the lifecycle
// forbids (delivered back to new) is a 409.
func (h *Handler) orderStatusSave(w http.ResponseWriter, r *http.Request) {
	var req statusRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	u := order.StatusUpdate{Carrier: req.Carrier, TrackingNumber: req.TrackingNumber, Source: order.SourceAPI}
	st, ok := order.ParseStatus(req.Status)
	if !ok {
		h.fail(w, r, invalid.Field("status", "invalid", "%q is not a status (%s)", req.Status, order.StatusNames()))
		return
	}
	u.Status = st
	if c := strings.TrimSpace(req.Carrier); c != "" {
		if _, ok := h.app.Settings.Carrier(c); !ok {
			h.fail(w, r, invalid.Field("carrier", "unknown", "%q is not one of the shop's carriers", c))
			return
		}
	}
	if req.At != "" {
		at, err := parseTime(req.At, h.app.Settings.Shop.Location())
		if err != nil {
			h.fail(w, r, invalid.Field("at", "invalid", "%q is not a time like 2026-11-23T15:20:00+03:00", req.At))
			return
		}
		if e := invalid.Time("at", at, h.app.Clock.Now(), true); e != nil {
			h.fail(w, r, e)
			return
		}
		u.At = at
	}
	id, err := order.ResolveID(r.Context(), h.app.DB.Read(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.app.Orders.ChangeStatus(r.Context(), id, u); err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := order.Get(r.Context(), h.app.DB.Read(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeOrder(w, r, http.StatusOK, o)
}
