package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedMakesTheClub: the demo gets the pre-order of a new tea (goal
// 50) and a beta test, open, with members who joined on their page or
// from a message in their own language.
func TestSeedMakesTheClub(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "lv", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(7, 8)), a.Clock.Now(), demo.Options{Customers: 80, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	projects, err := a.Insiders.ProjectList(ctx)
	if err != nil || len(projects) != 2 {
		t.Fatalf("projects %v, %v", projects, err)
	}
	today := a.Insiders.Today()
	var members int64
	for _, p := range projects {
		if !p.Open(today) || p.TitleIn("ru") == "" || p.TitleIn("lv") == p.TitleIn("ru") {
			t.Errorf("project %+v", p)
		}
		members += p.Members
		page, err := a.Insiders.Members(ctx, p.ID, "", 200, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Members {
			if m.ConsentVersion != insider.ConsentVersion || (m.Source != insider.FromMyPage && m.Source != insider.FromLink) {
				t.Errorf("member %+v", m)
			}
		}
	}
	if kinds := []insider.Kind{projects[0].Kind, projects[1].Kind}; kinds[0] != insider.BetaTest || kinds[1] != insider.PreOrder {
		t.Errorf("kinds %v, want the beta test (newest) and the pre-order", kinds)
	}
	if members == 0 {
		t.Error("no members in the demo's club")
	}
}
