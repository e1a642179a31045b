package api

import (
	"encoding/json"
	"net/http"

	"github.com/shopcare/shopcare/internal/analytics"
)

// spendRequest is the body of POST /spend.
type spendRequest struct {
	Month   string `json:"month"`
	Channel string `json:"channel"`
	// Amount is a number or a decimal string: 1500.5 or "1500.50".
	Amount json.RawMessage `json:"amount"`
}

// amount is the request's amount as text.
func (r spendRequest) amount() string {
	var s string
	if json.Unmarshal(r.Amount, &s) == nil {
		return s
	}
	return string(r.Amount)
}

// spendSave records the marketing spend of a channel in a month (it
// replaces what that month and channel had).
func (h *Handler) spendSave(w http.ResponseWriter, r *http.Request) {
	var req spendRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	sp, err := h.app.Analytics.SpendSet(r.Context(), req.Month, req.Channel, req.amount())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.app.Analytics.Forget()
	writeJSON(w, http.StatusOK, sp)
}

// spendListJSON answers GET /spend.
type spendListJSON struct {
	Spend []analytics.Spend `json:"spend"`
}

// spendList lists the spend entered, newest month first.
func (h *Handler) spendList(w http.ResponseWriter, r *http.Request) {
	list, err := h.app.Analytics.SpendList(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, spendListJSON{Spend: list})
}
