package review_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkSubmit measures a review form taken on SQLite: the order read,
// the checks, the row written (a replacement after the first) and its
// event, in one transaction.
func BenchmarkSubmit(b *testing.B) {
	s := newShop(b, store.SQLite)
	ctx := context.Background()
	in := review.Input{OrderID: s.delivered, CustomerID: s.anna, Source: review.SourceLink,
		Lines: []review.LineInput{{Line: 1, Rating: 5, Text: "Отличная кастрюля, ровно греет."}, {Line: 2, Rating: 4}}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.app.Reviews.Submit(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishedPage measures the widget's read: a product's figures
// and its latest 20 published reviews.
func BenchmarkPublishedPage(b *testing.B) {
	s := newShop(b, store.SQLite)
	ctx := context.Background()
	for _, o := range []struct{ order, customer int64 }{{s.delivered, s.anna}, {s.other, s.boris}} {
		got, err := s.app.Reviews.Submit(ctx, review.Input{OrderID: o.order, CustomerID: o.customer,
			Lines: []review.LineInput{{Line: 1, Rating: 5, Text: "ok"}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.app.Reviews.Publish(ctx, got[0].ID, "owner"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.app.Reviews.Summarize(ctx, "POT"); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.app.Reviews.List(ctx, review.Query{Status: review.Published, SKU: "POT", Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}
