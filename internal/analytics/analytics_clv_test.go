package analytics_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// history stores past orders as the CSV import does.
func history(t *testing.T, a *app.App, orders []order.NewOrder) {
	t.Helper()
	ctx := context.Background()
	for i := range orders {
		orders[i].History = true
		if err := order.Normalize(&orders[i], a.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
	}
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := a.Orders.CreateBatch(ctx, tx, orders, order.SourceImport)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCLVFitAtTheEdgeIsNoResult: customers who all buy every ten days
// and never leave drive the BG/NBD parameters to the edge of their
// range. The report prints no parameters as if they were a result: it
// falls back on the history, not reliable, and says why.
func TestCLVFitAtTheEdgeIsNoResult(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			end := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
			var orders []order.NewOrder
			for c := range 250 {
				for at := end.AddDate(0, 0, -(30 + c%150)); !at.After(end); at = at.AddDate(0, 0, 10) {
					orders = append(orders, order.NewOrder{ExternalID: fmt.Sprintf("%d-%s", c, at.Format("0102")), PlacedAt: at,
						Customer: customer.Input{ExternalID: fmt.Sprintf("c%d", c)}, TotalMinor: int64(2000 + 100*(c%7)), TotalGiven: true,
						DeliveredAt: &at})
				}
			}
			history(t, a, orders)
			rep, scored, err := a.Analytics.CLV(context.Background(), analytics.CLVOptions{Until: "2025-06-30"})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("report: params %+v, reliable %v, warnings %q", rep.Params, rep.Reliable, rep.Warnings)
			if rep.Params != nil || rep.GammaGamma != nil || rep.Reliable {
				t.Errorf("an edge fit reported as a result: params %+v, spend %+v, reliable %v", rep.Params, rep.GammaGamma, rep.Reliable)
			}
			if w := strings.Join(rep.Warnings, " "); !strings.Contains(w, "towards") || !strings.Contains(w, "historical only") {
				t.Errorf("warnings %q: want the parameter that ran to the edge named, and the fallback said", rep.Warnings)
			}
			if len(scored) != 250 || scored[0].Predicted || scored[0].Segment == "" {
				t.Errorf("%d customers scored, the first %+v: want all on their history", len(scored), scored[0])
			}
		})
	}
}
