package web

import "net/http"

// handleExperiences registers the public pages of package experience on mux.
func (h *Handler) handleExperiences(mux *http.ServeMux) {}

// experienceAdminRoutes are the admin's pages of package experience.
func (h *Handler) experienceAdminRoutes() []adminRoute { return nil }

// experienceMyRoutes are the customer's own pages (/my) of package experience.
func (h *Handler) experienceMyRoutes() []myRoute { return nil }
