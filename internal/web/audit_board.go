package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/audit"
)

// auditBoardPage is the audit's first page: every touch point with its
// last check, whether it is due this month, its trend and what shopcare
// measures of it.
type auditBoardPage struct {
	adminPage
	Points []auditPointView
	Due    int // points not checked this month
}

// auditBoard shows the touch points of the journey on one page.
func (h *Handler) auditBoard(w http.ResponseWriter, r *http.Request, v *visitor) {
	board, err := h.app.Audit.Board(r.Context(), h.app.Clock.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := auditBoardPage{adminPage: h.adminPage(v, auditArea)}
	p.current("/audit")
	for _, o := range board {
		p.Points = append(p.Points, auditView(v.Lang, o))
		if o.Due {
			p.Due++
		}
	}
	h.render(w, r, http.StatusOK, "audit_board", p)
}

// auditPointOf reads the {point} of the path; ok is false (and the 404
// page sent) for anything but a touch point.
func (h *Handler) auditPointOf(w http.ResponseWriter, r *http.Request) (audit.Point, bool) {
	p, ok := audit.ParsePoint(r.PathValue("point"))
	if !ok {
		h.notFound(w, r)
	}
	return p, ok
}
