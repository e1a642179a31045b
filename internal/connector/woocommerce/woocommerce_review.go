package woocommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
)

// ErrNoProduct is the refusal of a review whose SKU no product of the
// shop has.
var ErrNoProduct = errors.New("woocommerce: no product with that SKU")

// productRef is what a product list answers that a review needs.
type productRef struct {
	ID  id     `json:"id"`
	SKU string `json:"sku"`
}

// reviewRequest is POST /products/reviews' body (WooCommerce REST API
// v3, "Create a product review"): the product's id as a number.
type reviewRequest struct {
	ProductID     json.Number `json:"product_id"`
	Review        string      `json:"review"`
	Reviewer      string      `json:"reviewer"`
	ReviewerEmail string      `json:"reviewer_email"`
	Rating        int         `json:"rating"`
	Status        string      `json:"status"`
}

// reviewAnswer is what it answers that shopcare keeps.
type reviewAnswer struct {
	ID id `json:"id"`
}

// WriteReview finds the product by its SKU (GET /products?sku=) and
// adds the review to it approved (POST /products/reviews): shopcare's
// moderation already published it. WooCommerce marks it "verified owner"
// itself when the e-mail bought the product. ErrNoProduct when no product
// has the SKU.
func (a *Adapter) WriteReview(ctx context.Context, r connector.ProductReview) (string, error) {
	sku := strings.TrimSpace(r.SKU)
	if sku == "" {
		return "", ErrNoProduct
	}
	var found []productRef
	if _, err := a.rest.do(ctx, http.MethodGet, "/products", url.Values{"sku": {sku}}, nil, &found); err != nil {
		return "", fmt.Errorf("woocommerce: find product %q: %w", sku, err)
	}
	var productID id
	for _, p := range found {
		if p.SKU == sku || len(found) == 1 {
			productID = p.ID
			break
		}
	}
	if productID == "" {
		return "", fmt.Errorf("%w: %q", ErrNoProduct, sku)
	}
	in := reviewRequest{ProductID: json.Number(productID), Review: r.Text, Reviewer: r.Reviewer, ReviewerEmail: r.Email,
		Rating: r.Rating, Status: "approved"}
	var out reviewAnswer
	if _, err := a.rest.do(ctx, http.MethodPost, "/products/reviews", nil, in, &out); err != nil {
		return "", fmt.Errorf("woocommerce: add the review of %q: %w", sku, err)
	}
	return string(out.ID), nil
}

var _ connector.ReviewWriter = (*Adapter)(nil)
