package api

// The customer's voice (issue 24): each part lists its own routes in its
// own file; they join the one table (api_routes.go) that registers them
// and generates the OpenAPI document.

// voiceRoutes are the routes of surveys, reviews, the negative-experience
// register, the audit and the "first to know" club.
func (h *Handler) voiceRoutes() []route {
	var routes []route
	routes = append(routes, h.surveyRoutes()...)
	routes = append(routes, h.insightRoutes()...)
	routes = append(routes, h.reviewRoutes()...)
	routes = append(routes, h.experienceRoutes()...)
	routes = append(routes, h.auditRoutes()...)
	routes = append(routes, h.insiderRoutes()...)
	return routes
}
