package api

// surveyRoutes are the API routes of package survey.
func (h *Handler) surveyRoutes() []route { return nil }
