package analytics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clv"
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

// TestUndefinedRatesAreNull: with nothing to divide by — an empty shop,
// or orders but none delivered, no call-backs — a rate is null in JSON,
// not 0; defined ones stay numbers.
func TestUndefinedRatesAreNull(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			empty, err := a.Analytics.Metrics(ctx, analytics.Window{})
			if err != nil {
				t.Fatal(err)
			}
			body, err := json.Marshal(empty)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"repeat_customer_rate", "returning_order_share", "on_time_rate", "callback_on_time_share", "messages_per_order"} {
				if !strings.Contains(string(body), `"`+key+`":null`) {
					t.Errorf("%s is not null in an empty shop's report: %s", key, body)
				}
			}
			if g := empty.ReturnGoal; g != nil && g.MeetingShare != nil {
				t.Errorf("return goal meeting share %v without active customers, want null", *g.MeetingShare)
			}
			if rep, _, err := a.Analytics.CLV(ctx, analytics.CLVOptions{}); err != nil || rep.Historical.RepeatRate != nil {
				t.Errorf("an empty shop's CLV repeat rate %v (%v), want null", rep.Historical.RepeatRate, err)
			}

			// Orders, none delivered yet: the repeat rate is a number, the
			// on-time rate still undefined.
			placed := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
			history(t, a, []order.NewOrder{
				{ExternalID: "1", PlacedAt: placed, Customer: customer.Input{ExternalID: "a"}, TotalMinor: 1000, TotalGiven: true, Status: order.Shipped},
				{ExternalID: "2", PlacedAt: placed, Customer: customer.Input{ExternalID: "b"}, TotalMinor: 1000, TotalGiven: true, Status: order.Shipped},
			})
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			m, err := a.Analytics.Metrics(ctx, analytics.Window{})
			if err != nil {
				t.Fatal(err)
			}
			if m.RepeatCustomerRate == nil || *m.RepeatCustomerRate != 0 || m.OnTimeRate != nil || m.Service.MessagesPerOrder == nil {
				t.Errorf("repeat rate %v, on-time rate %v, messages per order %v: want 0, null and a number",
					m.RepeatCustomerRate, m.OnTimeRate, m.Service.MessagesPerOrder)
			}
		})
	}
}

// TestForeignCurrencyIsWarnedOf: orders in another currency than the
// shop's count only in revenue_by_currency; the metrics and the CLV
// report say so in their warnings rather than leave the spend model to
// fail without a word.
func TestForeignCurrencyIsWarnedOf(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			placed := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			var orders []order.NewOrder
			for i := range 3 {
				delivered := placed.AddDate(0, i, 2)
				orders = append(orders, order.NewOrder{ExternalID: fmt.Sprint("u", i), PlacedAt: placed.AddDate(0, i, 0), Currency: "USD",
					Customer: customer.Input{ExternalID: "a"}, TotalMinor: 5000, TotalGiven: true, DeliveredAt: &delivered})
			}
			orders = append(orders, order.NewOrder{ExternalID: "r", PlacedAt: placed, Customer: customer.Input{ExternalID: "b"},
				TotalMinor: 100000, TotalGiven: true, DeliveredAt: &placed})
			history(t, a, orders)
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			want := "3 orders in USD, the shop counts " + a.Settings.Shop.Currency
			m, err := a.Analytics.Metrics(ctx, analytics.Window{})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Warnings) != 1 || !strings.HasPrefix(m.Warnings[0], want) {
				t.Errorf("metrics warnings %q, want %q", m.Warnings, want)
			}
			rep, _, err := a.Analytics.CLV(ctx, analytics.CLVOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
				t.Errorf("CLV warnings %q, want %q", rep.Warnings, want)
			}
		})
	}
}

// TestCohortsStopAtTheLastMonthWithData: a history that ended months
// before today gives cohort arrays up to its last month, not a tail of
// empty months to today.
func TestCohortsStopAtTheLastMonthWithData(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false) // today is in November 2026
			at := func(m time.Month) *time.Time {
				v := time.Date(2026, m, 10, 10, 0, 0, 0, time.UTC)
				return &v
			}
			history(t, a, []order.NewOrder{
				{ExternalID: "1", PlacedAt: *at(time.January), Customer: customer.Input{ExternalID: "a"}, TotalMinor: 1000, TotalGiven: true, DeliveredAt: at(time.January)},
				{ExternalID: "2", PlacedAt: *at(time.March), Customer: customer.Input{ExternalID: "a"}, TotalMinor: 1000, TotalGiven: true, DeliveredAt: at(time.March)},
				{ExternalID: "3", PlacedAt: *at(time.February), Customer: customer.Input{ExternalID: "b"}, TotalMinor: 1000, TotalGiven: true, DeliveredAt: at(time.February)},
			})
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			m, err := a.Analytics.Metrics(ctx, analytics.Window{})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Cohorts) != 2 {
				t.Fatalf("cohorts %+v, want January and February", m.Cohorts)
			}
			for i, want := range []int{3, 2} { // January to March, February to March
				c := m.Cohorts[i]
				if len(c.Active) != want || len(c.Retention) != want || len(c.Revenue) != want {
					t.Errorf("cohort %s: %d active, %d retention, %d revenue months, want %d to March, the last with data",
						c.Month, len(c.Active), len(c.Retention), len(c.Revenue), want)
				}
			}
		})
	}
}

// TestCLVReportIsCLVsReport: the report streamed without the customers
// is exactly the report of CLV, for a fitted model and one that falls
// back on the history, with a foreign currency's orders among them.
func TestCLVReportIsCLVsReport(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			end := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
			var orders []order.NewOrder
			// Customers drawn from the model itself, in days: the first
			// purchase T days before the end, the repeat ones spread up to
			// the recency.
			pop := clv.Population{Params: clv.Params{R: 0.25, Alpha: 30, A: 0.8, B: 2.4}, Spend: clv.SpendParams{P: 6, Q: 4, Gamma: 1500}, MaxT: 500, Step: 1}
			for i, c := range pop.Simulate(rand.New(rand.NewPCG(1, 2)), 600) {
				first := end.AddDate(0, 0, -int(c.T))
				for k := 0; k <= int(c.Frequency); k++ {
					at := first
					if k > 0 {
						at = first.AddDate(0, 0, int(math.Round(c.Recency*float64(k)/c.Frequency)))
					}
					currency := ""
					if i == 5 && k == 1 {
						currency = "USD"
					}
					orders = append(orders, order.NewOrder{ExternalID: fmt.Sprintf("%d-%d", i, k), PlacedAt: at, Currency: currency,
						Customer: customer.Input{ExternalID: fmt.Sprintf("c%d", i)}, TotalMinor: int64(500 + c.Monetary*float64(1+k%3)), TotalGiven: true})
				}
			}
			history(t, a, orders)
			for _, opts := range []analytics.CLVOptions{{Until: "2025-06-30"}, {Until: "2025-06-30", Unit: "week"}, {Until: "2024-06-01"}, {Until: "2025-03-01"}} {
				want, scored, err := a.Analytics.CLV(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				got, err := a.Analytics.CLVReport(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%+v: %d customers, params %+v, warnings %q", opts, len(scored), want.Params, want.Warnings)
				if !reflect.DeepEqual(got, want) {
					gj, _ := json.Marshal(got)
					wj, _ := json.Marshal(want)
					t.Errorf("%+v: CLVReport\n%s\nCLV's report\n%s", opts, gj, wj)
				}
			}
		})
	}
}
