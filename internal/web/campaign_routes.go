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

// The parts' own files replace these.

// handleCampaignImages (part content: campaign_image.go) registers /ci/{token}.
func (h *Handler) handleCampaignImages(mux *http.ServeMux) {}

// handleOptIn (part flows: optin.go) registers /optin/{token}.
func (h *Handler) handleOptIn(mux *http.ServeMux) {}

// campaignPages (part admin: campaign_admin.go) are /campaigns….
func (h *Handler) campaignPages() []adminRoute { return nil }

// campaignPaperRoutes (part paper: campaign_paper.go) are the PDFs.
func (h *Handler) campaignPaperRoutes() []adminRoute { return nil }
