package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/stock"
)

// stockResolver settles an order's missing items (stock.Service).
type stockResolver interface {
	Resolve(ctx context.Context, r stock.Resolution) (stock.Resolved, error)
}

// stockResolveRequest is what an operator agreed with the customer about
// an order's items not in stock.
type stockResolveRequest struct {
	// Resolution is alternative, split, refund or wait.
	Resolution string `json:"resolution"`
	// Alternative names the item offered instead (alternative only).
	Alternative string `json:"alternative,omitempty"`
	// Refund is the amount refunded, a decimal in the order's currency
	// (refund only).
	Refund json.Number `json:"refund,omitempty"`
	Note   string      `json:"note,omitempty"`
}

// stockResolveAnswer says what was settled.
type stockResolveAnswer struct {
	OrderID    int64    `json:"order_id"`
	Resolution string   `json:"resolution"`
	SKUs       []string `json:"skus"`
	// Released counts the units given back to stock.
	Released    int   `json:"released"`
	TasksClosed int64 `json:"tasks_closed"`
}

// resolution turns the request into the domain's input for order
// orderID in currency, the order's: the refund is a decimal in it.
func (req stockResolveRequest) resolution(orderID int64, currency string) (stock.Resolution, error) {
	res := stock.Resolution{OrderID: orderID, Resolution: req.Resolution, Alternative: req.Alternative, Note: req.Note, By: "api"}
	if v := strings.TrimSpace(req.Refund.String()); v != "" {
		minor, err := money.Parse(v, money.Scale(currency))
		if err != nil {
			return res, invalid.Field("refund", "invalid", "%q is not an amount like 12.50", v)
		}
		res.RefundMinor = minor
	}
	return res, res.Validate()
}

// stockResolve settles an order's missing items: the short lines record
// the resolution, the stock_short task closes with it as its outcome, and
// the customer is told in their language. An order that waits for no
// stock is 409.
func (h *Handler) stockResolve(w http.ResponseWriter, r *http.Request) {
	var req stockResolveRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := h.orders.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.orders.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := req.resolution(id, o.Currency)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var desk stockResolver = h.app.Stock
	done, err := desk.Resolve(r.Context(), res)
	if errors.Is(err, stock.ErrNothingShort) {
		writeError(w, r, http.StatusConflict, "nothing_short", err.Error(), "resolution")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, stockResolveAnswer{OrderID: id, Resolution: done.Resolution, SKUs: done.SKUs,
		Released: done.Released, TasksClosed: done.TasksClosed})
}
