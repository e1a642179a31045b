package web

import (
	"bytes"
	"io"
	"net/http"
	"slices"

	"github.com/shopcare/shopcare/internal/actionlog"
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
	lines := &lineCounter{w: w}
	if err := h.app.Analytics.WriteSegmentCSV(r.Context(), segment, lines); err != nil {
		h.log.ErrorContext(r.Context(), "segment CSV", "segment", segment, "err", err)
		panic(http.ErrAbortHandler)
	}
	h.recordExport(r, actionlog.Entry{Action: actionlog.CustomersExported, TargetKind: actionlog.TargetSegment, TargetID: segment,
		Detail: map[string]any{"rows": max(0, lines.n-1), "list": "segment"}})
}

// lineCounter counts the lines written through it: the rows of a CSV
// file whose cells are one line each (names, e-mails, codes).
type lineCounter struct {
	w io.Writer
	n int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	return c.w.Write(p)
}

// recordExport logs an export of personal data once it was sent whole;
// the file is gone by then, so a failure to log is logged, not shown.
func (h *Handler) recordExport(r *http.Request, e actionlog.Entry) {
	if err := h.app.Actions.Record(r.Context(), e); err != nil {
		h.log.ErrorContext(r.Context(), "record an export", "action", e.Action, "err", err)
	}
}
