package web

import "github.com/shopcare/shopcare/internal/auth"

// auditArea is the area of the shop's touch-point audit: the owner's, as
// the analytics are.
const auditArea = auth.AreaSettings

// auditAdminRoutes are the admin's pages of package audit; it has no
// public or customer's page: the audit is the shop's own.
func (h *Handler) auditAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /audit", auditArea, h.auditBoard},
		{"GET /audit/{point}", auditArea, h.auditPoint},
		{"POST /audit/{point}/checks", auditArea, h.auditCheckSave},
		{"POST /audit/{point}/checks/{id}/delete", auditArea, h.auditCheckDelete},
		{"POST /audit/{point}/items", auditArea, h.auditItemSave},
		{"POST /audit/{point}/items/{id}/delete", auditArea, h.auditItemDelete},
	}
}
