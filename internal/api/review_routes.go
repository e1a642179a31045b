package api

import "github.com/shopcare/shopcare/internal/review"

// reviewRoutes are the API routes of package review.
func (h *Handler) reviewRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/reviews", Tag: "reviews", Public: true, handle: h.reviewList,
			Summary: "Product reviews, with their stars in figures",
			Description: "Published reviews need no token and are open to any origin: the widget (/reviews.js) reads them. " +
				"Other states (pending, rejected) need a token, and show the order and customer of each review.",
			Query: []param{{Name: "sku", Description: "The product's SKU; all products when empty."},
				{Name: "status", Description: "The reviews' state (default published).", Enum: review.Statuses},
				{Name: "limit", Type: "integer", Description: "At most this many reviews (1–100, default 20)."},
				{Name: "offset", Type: "integer", Description: "Skip this many (paging)."},
				{Name: "lang", Description: "Language of the texts for the widget.", Enum: []string{"ru", "lv", "en"}}},
			Response: reviewListJSON{}, Status: 200, Errors: []int{s422}},
	}
}
