package api

import (
	"net/http"
	"strconv"
)

// orderGet shows an order by shopcare's id or the shop's external id.
func (h *Handler) orderGet(w http.ResponseWriter, r *http.Request) {
	o, err := h.orders.Find(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeOrder(w, r, http.StatusOK, o)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
