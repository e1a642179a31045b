package web

import (
	"net/http"
	"slices"

	"github.com/shopcare/shopcare/internal/analytics"
)

// analyticsSegmentCSV sends a segment's customers as a CSV file, for a
// mailing. The file is written as it is read: a failure half-way aborts
// the transfer, so the browser keeps no truncated file as if whole.
func (h *Handler) analyticsSegmentCSV(w http.ResponseWriter, r *http.Request, segment string) {
	if !slices.Contains(analytics.Segments, segment) {
		h.notFound(w, r)
		return
	}
	day := h.app.Clock.Now().In(h.app.Settings.Shop.Location()).Format("2006-01-02")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="segment-`+segment+`-`+day+`.csv"`)
	if err := h.app.Analytics.WriteSegmentCSV(r.Context(), segment, w); err != nil {
		h.log.ErrorContext(r.Context(), "segment CSV", "segment", segment, "err", err)
		panic(http.ErrAbortHandler)
	}
}
