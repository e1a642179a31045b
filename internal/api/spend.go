package api

import (
	"encoding/json"
	"net/http"
)

// spendRequest is the body of POST /spend.
type spendRequest struct {
	Month   string      `json:"month"`
	Channel string      `json:"channel"`
	Amount  json.Number `json:"amount"`
}

// spendSave records the marketing spend of a channel in a month (it
// replaces what that month and channel had).
func (h *Handler) spendSave(w http.ResponseWriter, r *http.Request) {
	var req spendRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	sp, err := h.app.Analytics.SpendSet(r.Context(), req.Month, req.Channel, req.Amount.String())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.app.Analytics.Forget()
	writeJSON(w, http.StatusOK, sp)
}

// spendList lists the spend entered, newest month first.
func (h *Handler) spendList(w http.ResponseWriter, r *http.Request) {
	list, err := h.app.Analytics.SpendList(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"spend": list})
}
