package web

import "net/http"

// handleSurveys registers the public pages of package survey on mux.
func (h *Handler) handleSurveys(mux *http.ServeMux) {}

// surveyAdminRoutes are the admin's pages of package survey.
func (h *Handler) surveyAdminRoutes() []adminRoute { return nil }

// surveyMyRoutes are the customer's own pages (/my) of package survey.
func (h *Handler) surveyMyRoutes() []myRoute { return nil }
