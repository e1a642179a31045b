package connector_test

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestApplyKeepsVariantIDs: a platform's line ids reach the stored order
// on both engines; one shopcare cannot keep (spaces, too long) is dropped
// rather than costing the order (its "order again" makes the order in
// shopcare instead).
func TestApplyKeepsVariantIDs(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := placed()
			o.Items = []order.Item{
				{SKU: "MUG-1", Name: "Кружка", Qty: 2, PriceMinor: 50000, VariantID: "44102623193251"},
				{SKU: "LID", Name: "Крышка", Qty: 1, PriceMinor: 1000, VariantID: "two words"},
				{SKU: "BOX", Name: "Коробка", Qty: 1, PriceMinor: 1000, VariantID: strings.Repeat("9", order.MaxVariantID+1)},
			}
			o.TotalMinor = 102000
			hs.deliver(t, connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: o})
			if n := hs.drain(t); n != 1 {
				t.Fatalf("drained %d, want 1", n)
			}
			got, err := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Items) != 3 || got.Items[0].VariantID != "44102623193251" || got.Items[1].VariantID != "" || got.Items[2].VariantID != "" {
				t.Fatalf("items = %+v, want the first line's variant id kept and the others dropped", got.Items)
			}
		})
	}
}
