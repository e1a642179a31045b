package web

import (
	"github.com/shopcare/shopcare/internal/auth"
)

// experienceAdminRoutes are the admin's pages of package experience: the
// register lives on the customer's page, where a row is resolved. The
// register has no public page and none on the customer's own (/my): it
// is the shop's own record.
func (h *Handler) experienceAdminRoutes() []adminRoute {
	return []adminRoute{
		{"POST /customers/{id}/experiences/{xid}/resolve", auth.AreaCustomers, h.customerExperienceResolve},
	}
}
