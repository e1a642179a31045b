package api

// reviewRoutes are the API routes of package review.
func (h *Handler) reviewRoutes() []route { return nil }
