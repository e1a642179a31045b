package web

import "net/http"

// The customer's voice (issue 24): each part registers its own routes
// from its own file, so the parts do not share a list.

// handleVoice registers the public and customer pages of the customer's
// voice on mux: survey answers, reviews, the "first to know" club.
func (h *Handler) handleVoice(mux *http.ServeMux) {
	h.handleSurveys(mux)
	h.handleReviews(mux)
	h.handleInsiders(mux)
}

// voiceAdminRoutes are the admin's pages of the customer's voice.
func (h *Handler) voiceAdminRoutes() []adminRoute {
	var routes []adminRoute
	routes = append(routes, h.surveyAdminRoutes()...)
	routes = append(routes, h.insightAdminRoutes()...)
	routes = append(routes, h.reviewAdminRoutes()...)
	routes = append(routes, h.experienceAdminRoutes()...)
	routes = append(routes, h.auditAdminRoutes()...)
	routes = append(routes, h.insiderAdminRoutes()...)
	routes = append(routes, h.actionsAdminRoutes()...)
	return routes
}

// voiceMyRoutes are the customer's own pages (/my) of the customer's
// voice; they join myRoutes, so the cross-customer test walks them.
func (h *Handler) voiceMyRoutes() []myRoute {
	var routes []myRoute
	routes = append(routes, h.reviewMyRoutes()...)
	routes = append(routes, h.insiderMyRoutes()...)
	return routes
}
