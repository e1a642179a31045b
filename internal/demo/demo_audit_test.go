package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedWalksTheTouchPoints: the demo shop has a year of monthly
// self-checks of every touch point, more items passed in the last months
// than in the first, two mystery-shopper visits, and points still due
// this month.
func TestSeedWalksTheTouchPoints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "lv", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(7, 8)), a.Clock.Now(), demo.Options{Customers: 20, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	checks, err := a.Audit.Checks(ctx, "", "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	mystery := 0
	for _, c := range checks {
		if c.Kind == audit.KindMystery {
			mystery++
		}
	}
	if len(checks) < 11*len(audit.Points()) || mystery != 2 {
		t.Fatalf("%d checks, %d mystery visits", len(checks), mystery)
	}
	board, err := a.Audit.Board(ctx, a.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	var early, late [2]int
	due := 0
	for _, o := range board {
		for i, m := range o.Trend {
			switch {
			case i < 3:
				early[0], early[1] = early[0]+m.Passed, early[1]+m.Total
			case i >= len(o.Trend)-4 && i < len(o.Trend)-1:
				late[0], late[1] = late[0]+m.Passed, late[1]+m.Total
			}
		}
		if o.Due {
			due++
		}
	}
	if early[1] == 0 || late[1] == 0 || float64(late[0])/float64(late[1]) <= float64(early[0])/float64(early[1])+0.15 {
		t.Errorf("no rising trend: %v early, %v late", early, late)
	}
	if due == 0 || due == len(board) && a.Clock.Now().Day() > 12 {
		t.Errorf("%d points due of %d on %s", due, len(board), a.Clock.Now().Format(time.DateOnly))
	}
}
