package api

import (
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/survey"
)

// surveySummaryGet answers GET /api/v1/surveys/summary: a wrong query
// parameter is a 422 naming it.
func (h *Handler) surveySummaryGet(w http.ResponseWriter, r *http.Request) {
	q, err := summaryQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.app.Surveys.Summary(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// summaryQuery reads the summary's query parameters; the survey package
// checks them, but for limit, which must be a number to be handed on.
func summaryQuery(r *http.Request) (survey.SummaryQuery, error) {
	v := r.URL.Query()
	q := survey.SummaryQuery{From: v.Get("from"), To: v.Get("to"), Cursor: v.Get("cursor"), Kind: v.Get("kind"),
		Theme: v.Get("theme"), ThemeLang: v.Get("theme_lang")}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, invalid.List{invalid.Field("limit", "invalid", "%q is not a number from 1 to %d", s, survey.SummaryMaxLimit)}
		}
		q.Limit = n
	}
	return q, nil
}
