package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
)

// ReportMetricsCmd prints the shop's metrics.
type ReportMetricsCmd struct {
	JSON bool   `help:"Print JSON." name:"json"`
	From string `help:"First day (YYYY-MM-DD, shop-local) of the period; the whole history when empty." placeholder:"DATE"`
	To   string `help:"Last day (YYYY-MM-DD) of the period." placeholder:"DATE"`
}

// Run prints the metrics as JSON or as a short table.
func (c *ReportMetricsCmd) Run(g *Globals) error {
	win, err := analytics.ParseWindow(c.From, c.To)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	m, err := a.Analytics.Metrics(ctx, win)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	printMetrics(g.stdout, m)
	return nil
}

// printMetrics writes the report as a short table.
func printMetrics(w io.Writer, m *analytics.Metrics) {
	if !m.Open() {
		fmt.Fprintf(w, "period                %s – %s\n", or(m.From, "…"), or(m.To, "…"))
	}
	fmt.Fprintf(w, "orders                %d\n", m.Orders)
	fmt.Fprintf(w, "customers             %d (%d new)\n", m.Customers, m.NewCustomers)
	fmt.Fprintf(w, "revenue               %s %s\n", m.Revenue, m.Currency)
	fmt.Fprintf(w, "average order         %s %s\n", m.AverageOrderValue, m.Currency)
	fmt.Fprintf(w, "repeat customers      %s (%d)\n", percent(m.RepeatCustomerRate), m.RepeatCustomers)
	fmt.Fprintf(w, "returning orders      %s of orders\n", percent(m.ReturningOrderShare))
	fmt.Fprintf(w, "average LTV           %s %s\n", m.AverageLTV, m.Currency)
	if g := m.ReturnGoal; g != nil {
		fmt.Fprintf(w, "return goal           every %d days: %s of %d active customers meet it, %d drifting past it\n",
			g.EveryDays, percent(g.MeetingShare), g.Active, g.Drifting)
		for _, d := range g.DriftingCustomers {
			fmt.Fprintf(w, "  drifting #%-8d %-28s %d days since the last order, %d orders, %s %s\n", d.ID, d.Name, d.DaysSince, d.Orders, d.Spent, m.Currency)
		}
	}
	fmt.Fprintf(w, "on time               %s (%d of %d)\n", percent(m.OnTimeRate), m.OnTimeOrders, m.DeliveredWithPromise)
	fmt.Fprintf(w, "call-backs in time    %s of %d\n", percent(m.Service.CallbackOnTimeShare), m.Service.Callbacks)
	perOrder := "—"
	if v := m.Service.MessagesPerOrder; v != nil {
		perOrder = fmt.Sprintf("%.2f", *v)
	}
	fmt.Fprintf(w, "messages per order    %s\n", perOrder)
	if t := m.Traffic; t != nil && len(t.Days) > 0 {
		fmt.Fprintf(w, "visitors              %d visits, %d unique visitors, %d page views; conversion %s (%d orders)\n",
			t.Visits, t.UniqueVisitors, t.Pageviews, percent(t.Conversion), t.Orders)
	}
	if sp := m.Support; sp != nil {
		median := "—"
		if sp.FirstResponseMedian != nil {
			median = (time.Duration(*sp.FirstResponseMedian * float64(time.Second))).Round(time.Second).String()
		}
		fmt.Fprintf(w, "support               first answer in %s (median of %d answered of %d), %s of %d answers within target, %d overdue\n",
			median, sp.Answered, sp.Conversations, percent(sp.WithinTargetShare), sp.Responses, sp.Overdue)
	}
	if len(m.Channels) > 0 {
		fmt.Fprintf(w, "channels              customers  spend  CAC  LTV  LTV/CAC  payback\n")
		for _, ch := range m.Channels {
			cac, ratio, payback := "—", "—", "—"
			if ch.CAC != nil {
				cac = string(*ch.CAC)
			}
			if ch.LTVToCAC != nil {
				ratio = fmt.Sprintf("%.2f", *ch.LTVToCAC)
			}
			if ch.PaybackMonths != nil {
				payback = fmt.Sprintf("%d mo", *ch.PaybackMonths)
			}
			fmt.Fprintf(w, "  %-19s %d  %s  %s  %s  %s  %s\n", or(ch.Channel, "(none)"), ch.Customers, ch.Spend, cac, ch.LTV, ratio, payback)
		}
	}
	if len(m.Cohorts) > 0 {
		fmt.Fprintf(w, "cohorts               customers  retention by month (%%)  LTV after 1/3/6/12 months\n")
		for _, co := range m.Cohorts {
			var ret []string
			for k, r := range co.Retention {
				if k > 12 {
					break
				}
				ret = append(ret, fmt.Sprintf("%.0f", r*100))
			}
			fmt.Fprintf(w, "  %s %10d  %s  %s/%s/%s/%s\n", co.Month, co.Customers, strings.Join(ret, " "),
				or(string(co.LTV["1"]), "—"), or(string(co.LTV["3"]), "—"), or(string(co.LTV["6"]), "—"), or(string(co.LTV["12"]), "—"))
		}
	}
	if d := m.Delivery; d != nil {
		fmt.Fprintf(w, "delivered late        %d, %.2f days late on average\n", d.Late, d.AverageDelayDays)
		fmt.Fprintf(w, "now                   %d at risk, %d late on the way, %d parcels stuck, %d waiting at pickup\n",
			d.AtRisk, d.LateOpen, d.StuckParcels, d.WaitingAtPickup)
		for _, l := range d.ByCarrier {
			fmt.Fprintf(w, "  carrier %-13s %s on time (%d of %d), %d late, %.2f days average delay, %d late on the way\n",
				l.Key, percent(l.OnTimeRate), l.OnTime, l.Delivered, l.Late, l.AverageDelayDays, l.LateOpen)
		}
		for _, l := range d.ByRoute {
			fmt.Fprintf(w, "  route %-15s %d late of %d delivered, %.2f days average delay, %d late on the way\n",
				l.Key, l.Late, l.Delivered, l.AverageDelayDays, l.LateOpen)
		}
	}
	if a := m.Alert; a != nil {
		fmt.Fprintf(w, "ALERT                 %d orders on %s, about %.0f expected (%d days below)\n", int(a.Actual), a.Day, a.Expected, a.Days)
	}
	for _, warn := range m.Warnings {
		fmt.Fprintf(w, "NOTE                  %s\n", warn)
	}
}

// percent writes a rate as a percentage, "—" when it is undefined.
func percent(r *float64) string {
	if r == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *r*100)
}

// or is s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
