package api

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/review"
)

// FuzzReviewQuery: any query of GET /api/v1/reviews is refused with the
// parameter named, or read into a state that exists, a page of 1 to 100
// and an offset that is not negative.
func FuzzReviewQuery(f *testing.F) {
	f.Add("sku=LID&status=published&limit=5&offset=0&lang=ru")
	f.Add("status=pending&limit=0")
	f.Add("limit=-1&offset=99999999999&lang=de")
	f.Add("sku=%00&status=%ff")
	f.Add("%zz&&;")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		got, lang, err := reviewQuery(q)
		if err != nil {
			var list invalid.List
			var one *invalid.Error
			if !errors.As(err, &list) && !errors.As(err, &one) {
				t.Fatalf("%q: %v is not a field error", raw, err)
			}
			return
		}
		if !slices.Contains(review.Statuses, got.Status) || got.Limit < 1 || got.Limit > review.MaxLimit || got.Offset < 0 || lang == "" {
			t.Fatalf("%q: took %+v %q", raw, got, lang)
		}
	})
}
