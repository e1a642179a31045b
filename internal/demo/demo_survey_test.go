package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedSurveys: the history's delivered orders get confirmed NPS
// answers with a believable score (NPS between 25 and 65) and some
// comments.
func TestSeedSurveys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "ru", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(5, 6)), a.Clock.Now(), demo.Options{Customers: 300, Recent: 4}); err != nil {
		t.Fatal(err)
	}
	var n, promoters, detractors, comments int
	err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END),
		SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END), SUM(CASE WHEN comment <> '' THEN 1 ELSE 0 END)
		FROM surveys WHERE confirmed_at IS NOT NULL AND kind = 'nps'`).Scan(&n, &promoters, &detractors, &comments)
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Fatalf("%d answers", n)
	}
	nps := 100 * (promoters - detractors) / n
	if nps < 25 || nps > 65 || comments == 0 || comments == n {
		t.Fatalf("%d answers, NPS %d, %d comments", n, nps, comments)
	}
	t.Logf("%d answers, NPS %d, %d comments", n, nps, comments)
}
