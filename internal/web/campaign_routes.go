package web

import (
	"net/http"
)

// Campaigns (issue 25): each part registers its own routes from its own
// file, so the parts do not share a list.

// handleCampaigns registers the public pages of campaigns on mux: a
// tracked link's redirect, a campaign's images, the confirmation of a
// marketing consent.
func (h *Handler) handleCampaigns(mux *http.ServeMux) {
	h.handleCampaignClicks(mux)
	h.handleCampaignImages(mux)
	h.handleOptIn(mux)
}

// campaignAdminRoutes are the admin's pages of campaigns.
func (h *Handler) campaignAdminRoutes() []adminRoute {
	var routes []adminRoute
	routes = append(routes, h.campaignPages()...)
	routes = append(routes, h.campaignPaperRoutes()...)
	return routes
}
