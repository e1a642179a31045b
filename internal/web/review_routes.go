package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/auth"
)

// handleReviews registers the public pages of package review on mux: the
// verified buyer's form behind the order's signed link, the product's
// reviews page and the widget's script, and a published review's photo.
func (h *Handler) handleReviews(mux *http.ServeMux) {
	mux.HandleFunc("GET /rv/{token}", h.reviewWriteShow)
	mux.Handle("POST /rv/{token}", h.crossOrigin.Handler(http.HandlerFunc(h.reviewWriteSave)))
	mux.HandleFunc("GET /rv/photo/{id}", h.reviewPhotoPublic)
	mux.HandleFunc("GET /reviews/{sku}", h.reviewProductPage)
	mux.HandleFunc("GET /reviews.js", h.reviewScript)
}

// reviewAdminRoutes are the admin's pages of package review: moderation.
func (h *Handler) reviewAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /reviews", auth.AreaCustomers, h.reviewList},
		{"POST /reviews/{id}/publish", auth.AreaCustomers, h.reviewPublish},
		{"POST /reviews/{id}/reject", auth.AreaCustomers, h.reviewReject},
		{"POST /reviews/{id}/reply", auth.AreaCustomers, h.reviewReply},
		{"GET /reviews/{id}/photo", auth.AreaCustomers, h.reviewPhotoAdmin},
	}
}

// reviewMyRoutes are the customer's own pages (/my) of package review.
func (h *Handler) reviewMyRoutes() []myRoute {
	return []myRoute{
		{pattern: "GET /my/orders/{id}/review", mine: h.myReviewShow},
		{pattern: "POST /my/orders/{id}/review", mine: h.myReviewSave},
	}
}
