package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/money"
)

// ReportCLVCmd fits the CLV models and prints their parameters.
type ReportCLVCmd struct {
	JSON  bool   `help:"Print JSON." name:"json"`
	Until string `help:"Last day of observation (YYYY-MM-DD, shop-local); orders after it are left out. Yesterday when empty." placeholder:"DATE"`
	Unit  string `help:"Model time unit: day or week." default:"day" enum:"day,week"`
	Out   string `help:"Write each customer's summary and predictions to this CSV file." placeholder:"FILE"`
}

// Run fits the models and prints the report.
func (c *ReportCLVCmd) Run(g *Globals) error {
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	opts := analytics.CLVOptions{Until: c.Until, Unit: c.Unit}
	var rep *analytics.CLVReport
	if c.Out == "" {
		// The report alone streams the customers in about constant memory.
		rep, err = a.Analytics.CLVReport(ctx, opts)
		if err != nil {
			return err
		}
	} else {
		var scored []analytics.Scored
		rep, scored, err = a.Analytics.CLV(ctx, opts)
		if err != nil {
			return err
		}
		if err := writeCLVCSV(c.Out, scored, money.Scale(a.Settings.Shop.Currency)); err != nil {
			return err
		}
	}
	if c.JSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := g.stdout
	fmt.Fprintf(w, "customers             %d (%d repeat buyers), observed until %s, in %ss\n", rep.Customers, rep.RepeatBuyers, rep.Until, rep.Unit)
	if p := rep.Params; p != nil {
		fmt.Fprintf(w, "BG/NBD                r %.4f  alpha %.4f  a %.4f  b %.4f  (log-likelihood %.2f)\n", p.R, p.Alpha, p.A, p.B, *rep.LogLikelihood)
		for _, k := range []string{"r", "alpha", "a", "b", "p", "q", "gamma"} {
			if iv, ok := rep.Intervals[k]; ok {
				fmt.Fprintf(w, "  95%% interval %-6s %.4f – %.4f\n", k, iv[0], iv[1])
			}
		}
	}
	if gg := rep.GammaGamma; gg != nil {
		fmt.Fprintf(w, "Gamma-Gamma           p %.4f  q %.4f  gamma %.4f  (%d customers)\n", gg.P, gg.Q, gg.Gamma, gg.Customers)
	}
	h := rep.Historical
	fmt.Fprintf(w, "historical            %.2f purchases per customer, %.2f per purchase, %.2f per customer, %s repeat\n",
		h.PurchasesPerCustomer, h.AverageSpend, h.RevenuePerCustomer, percent(h.RepeatRate))
	if !rep.Reliable {
		fmt.Fprintln(w, "NOTE                  the estimate is not reliable:")
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "  - %s\n", warn)
	}
	return nil
}

// writeCLVCSV writes one row per customer.
func writeCLVCSV(path string, scored []analytics.Scored, scale int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", path, cerr)
		}
	}()
	w := csv.NewWriter(f)
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	_ = w.Write([]string{"customer_id", "frequency", "recency", "T", "monetary_value", "expected_purchases_30d", "expected_purchases_90d",
		"expected_purchases_365d", "p_alive", "predicted_clv", "historical_revenue", "first_purchase", "last_purchase", "rfm", "segment"})
	for _, c := range scored {
		row := []string{strconv.FormatInt(c.ID, 10), num(c.Frequency), num(c.Recency), num(c.T), money.Format(c.MonetaryMinor, scale)}
		if c.Predicted {
			row = append(row, num(c.Expected30), num(c.Expected90), num(c.Expected365), num(c.PAlive), money.Format(c.CLVMinor, scale))
		} else {
			row = append(row, "", "", "", "", "")
		}
		row = append(row, money.Format(c.SpentMinor, scale), c.FirstDay, c.LastDay, c.RFM, c.Segment)
		if err := w.Write(row); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
