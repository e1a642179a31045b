package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

type statusRequest struct {
	Status         string `json:"status"`
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	At             string `json:"at"`
}

// update turns the request into the domain's input, checked against the
// shop's settings and its clock (now).
func (req statusRequest) update(s config.Settings, now time.Time) (order.StatusUpdate, error) {
	u := order.StatusUpdate{Carrier: req.Carrier, TrackingNumber: req.TrackingNumber, Source: order.SourceAPI}
	st, ok := order.ParseStatus(req.Status)
	if !ok {
		return u, invalid.Field("status", "invalid", "%q is not a status (%s)", req.Status, order.StatusNames())
	}
	u.Status = st
	if c := strings.TrimSpace(req.Carrier); c != "" {
		if _, ok := s.Carrier(c); !ok {
			return u, invalid.Field("carrier", "unknown", "%q is not one of the shop's carriers", c)
		}
	}
	if req.At != "" {
		at, err := parseTime(req.At, s.Shop.Location())
		if err != nil {
			return u, invalid.Field("at", "invalid", "%q is not a time like 2026-11-23T15:20:00+03:00", req.At)
		}
		if e := invalid.Time("at", at, now, true); e != nil {
			return u, e
		}
		u.At = at
	}
	return u, nil
}

// orderStatusSave moves an order along its lifecycle; a move the lifecycle
// forbids (delivered back to new) is a 409.
func (h *Handler) orderStatusSave(w http.ResponseWriter, r *http.Request) {
	var req statusRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := req.update(h.app.Settings, h.app.Clock.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := h.orders.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.orders.ChangeStatus(r.Context(), id, u); err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.orders.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeOrder(w, r, http.StatusOK, o)
}
