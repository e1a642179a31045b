package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/analytics"
)

// segmentRows is how many members a page of a segment lists.
const segmentRows = 50

// segmentPage is one CLV segment's customers, the most valuable first.
type segmentPage struct {
	adminPage
	N              numbers
	Segment        string
	Members        []analytics.Member
	Total          int64
	First, Last    int64 // the rows on show, counted from 1
	Previous, Next string
	CSV            string
}

// analyticsSegmentShow lists a segment's members, ?page=2 and on for the
// next ones; /analytics/segments/{segment}.csv is the whole segment as a
// file. ServeMux wildcards are whole path segments, so the one route
// takes both.
func (h *Handler) analyticsSegmentShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	segment := r.PathValue("segment")
	if name, ok := strings.CutSuffix(segment, ".csv"); ok {
		h.analyticsSegmentCSV(w, r, name)
		return
	}
	if !slices.Contains(analytics.Segments, segment) {
		h.notFound(w, r)
		return
	}
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	offset := (page - 1) * segmentRows
	members, total, err := h.app.Analytics.SegmentMembers(r.Context(), segment, segmentRows, offset)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &segmentPage{adminPage: h.adminPage(v, analyticsNav), N: h.numbers(v.Lang), Segment: segment, Members: members,
		Total: total, CSV: "/analytics/segments/" + url.PathEscape(segment) + ".csv"}
	base := "/analytics/segments/" + url.PathEscape(segment)
	if len(members) > 0 {
		p.First, p.Last = int64(offset)+1, int64(offset+len(members))
	}
	if page > 1 {
		p.Previous = base
		if page > 2 {
			p.Previous += "?page=" + strconv.Itoa(page-1)
		}
	}
	if int64(offset+len(members)) < total {
		p.Next = base + "?page=" + strconv.Itoa(page+1)
	}
	h.render(w, r, http.StatusOK, "analytics_segment", p)
}
