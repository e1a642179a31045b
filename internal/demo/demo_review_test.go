package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedReviews: the history's delivered orders get reviews, most of
// them published, one pending for the visitor, one with a photo; none of
// them credits a bonus to a history order.
func TestSeedReviews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "ru", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(3, 4)), a.Clock.Now(), demo.Options{}); err != nil {
		t.Fatal(err)
	}
	published := count(t, a, `SELECT COUNT(*) FROM reviews WHERE status = 'published'`)
	pending := count(t, a, `SELECT COUNT(*) FROM reviews WHERE status = 'pending'`)
	photos := count(t, a, `SELECT COUNT(*) FROM review_photos`)
	low := count(t, a, `SELECT COUNT(*) FROM reviews WHERE rating <= 3`)
	t.Logf("%d published, %d pending, %d photos, %d of three stars or fewer", published, pending, photos, low)
	if published < 20 || pending != 1 || photos != 1 || low == 0 {
		t.Errorf("%d published, %d pending, %d photos, %d low: want many, one, one, some", published, pending, photos, low)
	}
}
