package customer_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestService reads and changes a customer through customer.Service, as
// the admin and the API do.
func TestService(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			n := order.NewOrder{ExternalID: "A-1", Customer: customer.Input{ExternalID: "c-1", Name: "Анна",
				Email: "anna@example.com"}, Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 1000}}}
			if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Orders.Create(ctx, n); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Dispatcher.Drain(ctx); err != nil { // the customers list reads the projected search
				t.Fatal(err)
			}
			s := a.Customers
			id, err := s.ResolveID(ctx, "c-1")
			if err != nil {
				t.Fatal(err)
			}
			name := "Анна Петрова"
			def := customer.Defaults{Country: "RU", Language: "ru", Timezone: "Europe/Moscow"}
			if _, err := s.Patch(ctx, customer.PatchParams{ID: id, Patch: customer.Patch{Name: &name}, Defaults: def,
				Source: "test", Now: clk.Now()}); err != nil {
				t.Fatal(err)
			}
			if c, err := s.Get(ctx, id); err != nil || c.Name != name {
				t.Fatalf("get: %+v, %v; want %q", c, err, name)
			}
			if p, err := s.GetProfile(ctx, id); err != nil || p.Name != name {
				t.Fatalf("profile: %+v, %v; want %q", p, err, name)
			}
			if list, _, err := s.List(ctx, customer.ListFilter{Limit: 10}); err != nil || len(list) != 1 || list[0].ID != id {
				t.Fatalf("list: %d customers, %v; want the one", len(list), err)
			}
		})
	}
}
