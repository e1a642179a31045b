package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/auth"
)

// handleExperiences registers the public pages of package experience on
// mux: none, the register is the shop's.
func (h *Handler) handleExperiences(mux *http.ServeMux) {}

// experienceAdminRoutes are the admin's pages of package experience: the
// register lives on the customer's page, where a row is resolved.
func (h *Handler) experienceAdminRoutes() []adminRoute {
	return []adminRoute{
		{"POST /customers/{id}/experiences/{xid}/resolve", auth.AreaCustomers, h.customerExperienceResolve},
	}
}

// experienceMyRoutes are the customer's own pages (/my) of package
// experience: none, the register is the shop's own record.
func (h *Handler) experienceMyRoutes() []myRoute { return nil }
