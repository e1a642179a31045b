package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestForCustomerExport: ForCustomer lists a customer's reviews in every
// state, the newest first, saying which has a photo, and no one else's;
// a customer with none has an empty list, not nil.
func TestForCustomerExport(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newShop(t, engine)
			rs := s.app.Reviews
			if got, err := rs.ForCustomer(ctx, s.anna); err != nil || got == nil || len(got) != 0 {
				t.Fatalf("before any review: %v %v, want an empty list", got, err)
			}
			if _, err := rs.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.anna, Source: review.SourceMy,
				Lines: []review.LineInput{{Line: 1, Rating: 5, Text: "Отличная кастрюля", Photo: pngOf(t, 40, 30)}}}); err != nil {
				t.Fatal(err)
			}
			s.clock.Advance(time.Hour)
			lid, err := rs.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.anna, Source: review.SourceMy,
				Lines: []review.LineInput{{Line: 2, Rating: 2, Text: "Крышка мала"}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rs.Reject(ctx, lid[0].ID, "other", "op@example.com"); err != nil {
				t.Fatal(err)
			}
			if _, err := rs.Submit(ctx, review.Input{OrderID: s.other, CustomerID: s.boris, Source: review.SourceMy,
				Lines: []review.LineInput{{Line: 1, Rating: 4, Text: "Labs katls"}}}); err != nil {
				t.Fatal(err)
			}
			got, err := rs.ForCustomer(ctx, s.anna)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].SKU != "LID" || got[0].Status != review.Rejected || got[0].Photo != nil ||
				got[1].SKU != "POT" || got[1].Text != "Отличная кастрюля" || got[1].Status != review.Pending || got[1].Photo == nil {
				t.Fatalf("ForCustomer = %+v", got)
			}
			for _, r := range got {
				if r.CustomerID != s.anna {
					t.Errorf("another customer's review: %+v", r)
				}
			}
		})
	}
}
