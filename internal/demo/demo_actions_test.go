package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

// TestDemoActions: the demo's owner gives points by hand and exports the
// champions through the services, so the log of admin actions shows
// them; run again, it adds nothing.
func TestDemoActions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "ru", false)
	rnd := rand.New(rand.NewPCG(3, 4))
	if _, err := demo.Seed(ctx, a, rnd, a.Clock.Now(), demo.Options{Customers: 80, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Analytics(ctx, a, rnd); err != nil {
		t.Fatal(err)
	}
	if lines, _, err := a.Actions.List(ctx, actionlog.Filter{}); err != nil || len(lines) != 0 {
		t.Fatalf("the seed left %d lines (%v): the history has no actor", len(lines), err)
	}
	for range 2 {
		if err := demo.Actions(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	lines, _, err := a.Actions.List(ctx, actionlog.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[actionlog.Action]int{}
	for _, l := range lines {
		got[l.Action]++
		if l.ActorName != demo.DemoOwner || l.ActorKind != actionlog.ActorUser {
			t.Errorf("line %+v", l)
		}
	}
	if got[actionlog.PointsGranted] != 2 || got[actionlog.CustomersExported] != 1 || len(lines) != 3 {
		t.Errorf("lines %v, want two grants and one export", got)
	}
}
