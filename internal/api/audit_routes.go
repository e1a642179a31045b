package api

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/auth"
)

// auditRoutes are the API routes of package audit: the touch points'
// board, and a check recorded from elsewhere (a mystery-shopping agency's
// report, a form of the shop's own).
func (h *Handler) auditRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/audit", Tag: "audit", Scopes: []auth.Scope{auth.ScopeRead}, handle: h.auditGet,
			Summary: "The shop's touch-point audit",
			Description: "Every touch point of the journey (site, checkout, confirmation, call, packing, delivery, pickup, support, " +
				"follow_up) with its checklist, its last check, due (not checked this month, shop time), the trend of the last " +
				"twelve months and what shopcare measures of it itself (last month and this month so far).",
			Response: auditJSON{}, Status: 200},
		{Method: "POST", Path: "/api/v1/audit/checks", Tag: "audit", Scopes: []auth.Scope{auth.ScopeShop}, handle: h.auditCheckPost,
			Summary: "Record a self-check or a mystery-shopper visit",
			Description: "day is the shop day of the check (YYYY-MM-DD, not after today); kind self or mystery; score 1–5, or 0 " +
				"when the items answered speak for it; results answer items of the point's checklist by id (an item left out " +
				"was not looked at). Everything is checked before anything is written; a 422 names the field.",
			Request: auditCheckRequest{}, Response: audit.Check{}, Status: 201, Errors: bodyErrors},
	}
}

// auditJSON answers GET /audit.
type auditJSON struct {
	Points []audit.Overview `json:"points"`
}

// auditGet answers the board of the touch points.
func (h *Handler) auditGet(w http.ResponseWriter, r *http.Request) {
	board, err := h.app.Audit.Board(r.Context(), h.app.Clock.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, auditJSON{Points: board})
}

// auditCheckRequest is a check handed in.
type auditCheckRequest struct {
	Point   string              `json:"point"`
	Day     string              `json:"day"`
	Kind    string              `json:"kind"`
	Who     string              `json:"who"`
	Score   int                 `json:"score"`
	Notes   string              `json:"note"`
	Results []audit.ResultInput `json:"results"`
}

// auditCheckPost records a check.
func (h *Handler) auditCheckPost(w http.ResponseWriter, r *http.Request) {
	var req auditCheckRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.Audit.CheckAdd(r.Context(), audit.CheckInput{Point: audit.Point(req.Point), Day: req.Day, Kind: audit.Kind(req.Kind),
		Who: req.Who, Score: req.Score, Notes: req.Notes, Results: req.Results, By: "api"}, h.app.Clock.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}
