package web

// insightAdminRoutes are the admin's pages of the survey results. The
// page is the analytics area's: what customers say is the owner's figure
// as the revenue is.
func (h *Handler) insightAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /surveys", analyticsArea, h.insightShow},
	}
}
