package web

import "net/http"

// handleInsiders registers the public pages of package insider on mux.
func (h *Handler) handleInsiders(mux *http.ServeMux) {}

// insiderAdminRoutes are the admin's pages of package insider.
func (h *Handler) insiderAdminRoutes() []adminRoute { return nil }

// insiderMyRoutes are the customer's own pages (/my) of package insider.
func (h *Handler) insiderMyRoutes() []myRoute { return nil }
