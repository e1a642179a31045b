package api

// auditRoutes are the API routes of package audit.
func (h *Handler) auditRoutes() []route { return nil }
