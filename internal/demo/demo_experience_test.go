package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSeedExperiences: the demo history's late deliveries and the shop's
// cancellations are in the negative-experience register, as history (no
// service-recovery task), once each however often the journal drains;
// the worth of care has customers in every group.
func TestSeedExperiences(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := shop(t, engine, "lv", false)
			if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(1, 2)), a.Clock.Now(), demo.Options{}); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := a.Dispatcher.Drain(ctx); err != nil {
					t.Fatal(err)
				}
			}
			late := count(t, a, `SELECT COUNT(*) FROM negative_experiences WHERE kind = 'late_delivery' AND history`)
			broken := count(t, a, `SELECT COUNT(*) FROM orders WHERE history AND delivered_on > promised_to`)
			if late == 0 || late != broken {
				t.Errorf("%d late deliveries in the register, %d history orders delivered late", late, broken)
			}
			if got := count(t, a, `SELECT COUNT(*) FROM negative_experiences WHERE kind = 'cancelled_by_shop'`); got == 0 {
				t.Error("no cancellation by the shop in the register")
			}
			if got := count(t, a, `SELECT COUNT(*) FROM tasks WHERE kind = 'service_recovery'`); got != 0 {
				t.Errorf("%d service-recovery tasks from the history", got)
			}
			w, err := a.Experiences.Worth(ctx, experience.WorthQuery{})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range w.Groups {
				if g.Customers == 0 {
					t.Errorf("group %s is empty: %+v", g.Name, w.Groups)
				}
			}
			t.Logf("worth: %+v", w.Groups)
		})
	}
}
