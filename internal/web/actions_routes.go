package web

import "github.com/shopcare/shopcare/internal/auth"

// actionsArea is the area of the log of admin actions: the owner's
// alone, as the people and tokens are (it names who did what).
const actionsArea = auth.AreaUsers

// actionsAdminRoutes are the pages of the log of admin actions.
func (h *Handler) actionsAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /actions", actionsArea, h.actionList},
		{"GET /actions.csv", actionsArea, h.actionCSV},
	}
}
