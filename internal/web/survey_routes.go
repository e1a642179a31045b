package web

import "net/http"

// handleSurveys registers the public pages of package survey on mux: the
// score links' page, GET (a click; HEAD too) and POST (Send).
func (h *Handler) handleSurveys(mux *http.ServeMux) {
	mux.HandleFunc("GET /s/{token}", h.surveyAnswer)
	mux.HandleFunc("POST /s/{token}", h.surveySend)
}

// surveyAdminRoutes are the admin's pages of package survey.
func (h *Handler) surveyAdminRoutes() []adminRoute { return nil }
