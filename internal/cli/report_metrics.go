package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shopcare/shopcare/internal/analytics"
)

// ReportMetricsCmd prints the shop's metrics.
type ReportMetricsCmd struct {
	JSON bool `help:"Print JSON." name:"json"`
}

// Run prints the metrics as JSON or as a short table.
func (c *ReportMetricsCmd) Run(g *Globals) error {
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	m, err := analytics.Compute(ctx, a.DB.Read(), a.Settings.Shop.Currency)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	fmt.Fprintf(g.stdout, "orders                %d\n", m.Orders)
	fmt.Fprintf(g.stdout, "customers             %d\n", m.Customers)
	fmt.Fprintf(g.stdout, "revenue               %s %s\n", m.Revenue, m.Currency)
	fmt.Fprintf(g.stdout, "average order         %s %s\n", m.AverageOrderValue, m.Currency)
	fmt.Fprintf(g.stdout, "repeat customers      %.1f%% (%d)\n", m.RepeatCustomerRate*100, m.RepeatCustomers)
	fmt.Fprintf(g.stdout, "on time               %.1f%% (%d of %d)\n", m.OnTimeRate*100, m.OnTimeOrders, m.DeliveredWithPromise)
	if d := m.Delivery; d != nil {
		fmt.Fprintf(g.stdout, "delivered late        %d, %.2f days late on average\n", d.Late, d.AverageDelayDays)
		fmt.Fprintf(g.stdout, "now                   %d at risk, %d late on the way, %d parcels stuck, %d waiting at pickup\n",
			d.AtRisk, d.LateOpen, d.StuckParcels, d.WaitingAtPickup)
		for _, l := range d.ByCarrier {
			fmt.Fprintf(g.stdout, "  carrier %-13s %.1f%% on time (%d of %d), %d late, %.2f days average delay, %d late on the way\n",
				l.Key, l.OnTimeRate*100, l.OnTime, l.Delivered, l.Late, l.AverageDelayDays, l.LateOpen)
		}
		for _, l := range d.ByRoute {
			fmt.Fprintf(g.stdout, "  route %-15s %d late of %d delivered, %.2f days average delay, %d late on the way\n",
				l.Key, l.Late, l.Delivered, l.AverageDelayDays, l.LateOpen)
		}
	}
	return nil
}
