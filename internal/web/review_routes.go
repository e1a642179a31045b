package web

import "net/http"

// handleReviews registers the public pages of package review on mux.
func (h *Handler) handleReviews(mux *http.ServeMux) {}

// reviewAdminRoutes are the admin's pages of package review.
func (h *Handler) reviewAdminRoutes() []adminRoute { return nil }

// reviewMyRoutes are the customer's own pages (/my) of package review.
func (h *Handler) reviewMyRoutes() []myRoute { return nil }
