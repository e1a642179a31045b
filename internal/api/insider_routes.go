package api

// insiderRoutes are the API routes of package insider.
func (h *Handler) insiderRoutes() []route { return nil }
