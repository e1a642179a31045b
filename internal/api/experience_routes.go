package api

// experienceRoutes are the API routes of package experience.
func (h *Handler) experienceRoutes() []route { return nil }
