package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

// eraseJSON answers DELETE /customers/{id}: what was erased.
type eraseJSON struct {
	CustomerID int64     `json:"customer_id"`
	ErasedAt   time.Time `json:"erased_at" doc:"When the customer was erased (the first time, for a repeated request)."`
	// AlreadyErased is true when an earlier request erased the customer:
	// nothing more was written.
	AlreadyErased bool `json:"already_erased"`
	// Fields lists the profile fields that held something and were erased.
	Fields []string `json:"fields"`
	// Rows counts the rows erased, by what they are: search_terms,
	// channels, orders (addresses), order_notes, messages,
	// message_attempts.
	Rows map[string]int64 `json:"rows"`
}

// customerErase erases a customer's personal data on their request; the
// order figures stay, anonymous.
func (h *Handler) customerErase(w http.ResponseWriter, r *http.Request) {
	force := false
	if v := strings.TrimSpace(r.URL.Query().Get("force")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			h.fail(w, r, invalid.Field("force", "invalid", "must be true or false"))
			return
		}
		force = b
	}
	id, err := h.customers.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The app's erasers blank their messages and return comments and end
	// their sessions on their own page, in the same transaction.
	res, err := h.orders.EraseCustomer(r.Context(), id, force, order.SourceAPI, h.app.Erasers...)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := eraseJSON{CustomerID: id, ErasedAt: res.At.In(h.app.Settings.Shop.Location()), AlreadyErased: res.Already,
		Fields: res.Fields, Rows: res.Rows}
	if out.Fields == nil {
		out.Fields = []string{}
	}
	if out.Rows == nil {
		out.Rows = map[string]int64{}
	}
	writeJSON(w, http.StatusOK, out)
}
