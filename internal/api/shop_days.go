package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/promise"
)

type shopDaysRequest struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Working bool   `json:"working"`
	Reason  string `json:"reason"`
}

// days turns the request into a span of shop days, checked by the rules
// the calendar applies (promise.ShopDays.Validate): nothing is written
// unless the calendar can take it.
func (req shopDaysRequest) days() (promise.ShopDays, error) {
	var errs invalid.List
	d := promise.ShopDays{Working: req.Working, Reason: req.Reason, Source: promise.SourceAPI}
	var err error
	if d.From, err = calendar.ParseDay(req.From); err != nil {
		errs.Add("from", "invalid", "%q is not a date like 2026-12-28", req.From)
	}
	if req.To != "" {
		if d.To, err = calendar.ParseDay(req.To); err != nil {
			errs.Add("to", "invalid", "%q is not a date like 2026-12-30", req.To)
		}
	}
	if err := errs.Err(); err != nil {
		return d, err
	}
	err = d.Validate("")
	return d, err
}

// shopDaysListJSON answers GET /shop/days.
type shopDaysListJSON struct {
	Days []promise.ShopDays `json:"days"`
}

// shopDaysList lists the shop's own days off and extra working days.
func (h *Handler) shopDaysList(w http.ResponseWriter, r *http.Request) {
	days, err := h.app.Promises.Days(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if days == nil {
		days = []promise.ShopDays{}
	}
	writeJSON(w, http.StatusOK, shopDaysListJSON{Days: days})
}

// shopDaysAdd adds a span of shop days off (or working days); the promises
// of open orders it moves are re-computed in the background, and their
// customers told.
func (h *Handler) shopDaysAdd(w http.ResponseWriter, r *http.Request) {
	var req shopDaysRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := req.days()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err = h.app.Promises.AddDays(r.Context(), d)
	if errors.Is(err, promise.ErrDaysExist) {
		writeError(w, r, http.StatusConflict, "exists", err.Error(), "from")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

// shopDaysRemove removes a span; promises it moved stay as they are.
func (h *Handler) shopDaysRemove(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, app.ErrNotFound)
		return
	}
	if err := h.app.Promises.RemoveDays(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
