package api

// Campaigns (issue 25): each part lists its own routes in its own file;
// they join the one table (api_routes.go) that registers them and
// generates the OpenAPI document.

// campaignRoutes are the routes of campaigns and marketing consent.
func (h *Handler) campaignRoutes() []route {
	var routes []route
	routes = append(routes, h.campaignCoreRoutes()...)
	routes = append(routes, h.campaignPaperRoutes()...)
	return routes
}
