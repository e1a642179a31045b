package web

import "net/http"

// handleAudits registers the public pages of package audit on mux.
func (h *Handler) handleAudits(mux *http.ServeMux) {}

// auditAdminRoutes are the admin's pages of package audit.
func (h *Handler) auditAdminRoutes() []adminRoute { return nil }

// auditMyRoutes are the customer's own pages (/my) of package audit.
func (h *Handler) auditMyRoutes() []myRoute { return nil }
