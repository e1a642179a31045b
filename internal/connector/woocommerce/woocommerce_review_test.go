package woocommerce

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// TestWriteReview: against a local server speaking the WooCommerce REST
// API v3 (the answer is the documentation's "Create a product review"
// example, testdata/product_review.json; see testdata/_source.md), the
// review finds its product by SKU and is added approved with the
// product's id as a number; an unknown SKU is ErrNoProduct and adds
// nothing.
func TestWriteReview(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile("testdata/product_review.json")
	if err != nil {
		t.Fatal(err)
	}
	var posted []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("consumer_key") != key || r.URL.Query().Get("consumer_secret") != secret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/wp-json/wc/v3/products":
			if r.URL.Query().Get("sku") == "woo-album" {
				_, _ = w.Write([]byte(`[{"id":22,"name":"Album","sku":"woo-album"}]`))
				return
			}
			_, _ = w.Write([]byte(`[]`))
		case r.Method == http.MethodPost && r.URL.Path == "/wp-json/wc/v3/products/reviews":
			var in map[string]any
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			posted = append(posted, in)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(fixture)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":"rest_no_route","message":"No route was found.","data":{"status":404}}`))
		}
	}))
	t.Cleanup(srv.Close)
	a := NewAdapter(connector.Options{Name: "woo", URL: srv.URL, APIKey: key, APISecret: secret})
	ctx := context.Background()
	got, err := a.WriteReview(ctx, connector.ProductReview{SKU: "woo-album", Rating: 5, Text: "Nice album!",
		Reviewer: "John D.", Email: "john.doe@example.com"})
	if err != nil || got != "20" {
		t.Fatalf("write = %q, %v", got, err)
	}
	if len(posted) != 1 || posted[0]["product_id"] != float64(22) || posted[0]["rating"] != float64(5) ||
		posted[0]["status"] != "approved" || posted[0]["reviewer_email"] != "john.doe@example.com" || posted[0]["review"] != "Nice album!" {
		t.Errorf("posted %v", posted)
	}
	if _, err := a.WriteReview(ctx, connector.ProductReview{SKU: "nope", Rating: 4}); !errors.Is(err, ErrNoProduct) || len(posted) != 1 {
		t.Errorf("unknown SKU: %v, %d posted", err, len(posted))
	}
}
