package connector

import "context"

// ProductReview is a published review of shopcare's, as a platform's
// product page takes it: the product by its SKU, the stars, the text, and
// who wrote it (the name shown and the buyer's e-mail, by which the
// platform marks a buyer "verified owner").
type ProductReview struct {
	SKU      string
	Rating   int
	Text     string
	Reviewer string
	Email    string
}

// ReviewWriter puts a published review on the platform's product
// (WooCommerce). It returns the platform's id of the review.
type ReviewWriter interface {
	WriteReview(ctx context.Context, r ProductReview) (string, error)
}
