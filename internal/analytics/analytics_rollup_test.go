package analytics_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// rollupSnapshot reads the roll-ups and the customers' shares as text.
func rollupSnapshot(t *testing.T, a *app.App) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, q := range []string{
		`SELECT day, channel, currency, orders, counted, revenue_minor FROM sales_days ORDER BY 1, 2, 3`,
		`SELECT day, channel, customers FROM acquisitions ORDER BY 1, 2`,
		`SELECT cohort, channel, month, customers, orders, revenue_minor FROM cohort_months ORDER BY 1, 2, 3`,
		`SELECT purchases, customers FROM buyer_counts WHERE customers <> 0 ORDER BY 1`,
	} {
		b.WriteString(q + "\n")
		rs, err := a.DB.Read().Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rs.Next() {
			vals := make([]any, strings.Count(strings.SplitN(q, " FROM ", 2)[0], ",")+1)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		rs.Close()
	}
	last, err := customer.FactsMaxID(ctx, a.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, last)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	var shares []string
	err = customer.FactsEachOf(ctx, a.DB.Read(), ids, func(c customer.Analytics) error {
		shares = append(shares, fmt.Sprintf("%+v", c))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(shares)
	b.WriteString(strings.Join(shares, "\n"))
	return b.String()
}

// TestRollupsOfImportChunksAreExact: orders imported in chunks, older
// history after newer, several orders of a customer on one day and in one
// chunk, cancelled, returned and foreign ones, leave the roll-ups and the
// customers' shares as a rebuild from the orders makes them. The chunks
// fold new orders into the kept shares (the fast path) or recompute a
// customer whose new order falls on their first purchase day.
func TestRollupsOfImportChunksAreExact(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			rng := rand.New(rand.NewPCG(22, 7))
			start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
			statuses := []order.Status{order.Delivered, order.Delivered, order.Cancelled, order.Returned, order.Shipped, order.New}
			channels := []string{"web", "app", "phone"}
			var orders []order.NewOrder
			for i := range 600 {
				c := rng.IntN(40)
				at := start.Add(time.Duration(rng.IntN(400))*24*time.Hour + time.Duration(rng.IntN(20))*time.Hour)
				if rng.IntN(5) == 0 { // another order on an earlier one's day
					at = start.Add(time.Duration(c%7) * 24 * time.Hour).Add(time.Duration(rng.IntN(600)) * time.Minute)
				}
				currency := "RUB"
				if rng.IntN(10) == 0 {
					currency = "EUR"
				}
				orders = append(orders, order.NewOrder{ExternalID: fmt.Sprintf("o-%d", i), PlacedAt: at, Status: statuses[rng.IntN(len(statuses))],
					Customer: customer.Input{ExternalID: fmt.Sprintf("c-%d", c)}, TotalMinor: int64(1000 + rng.IntN(90000)), TotalGiven: true,
					Currency: currency, Channel: channels[rng.IntN(len(channels))]})
			}
			// Newest first, in uneven chunks, so older history keeps arriving.
			slices.SortStableFunc(orders, func(x, y order.NewOrder) int { return y.PlacedAt.Compare(x.PlacedAt) })
			for len(orders) > 0 {
				n := min(len(orders), 1+rng.IntN(120))
				chunk := slices.Clone(orders[:n])
				rng.Shuffle(len(chunk), func(i, j int) { chunk[i], chunk[j] = chunk[j], chunk[i] })
				history(t, a, chunk)
				orders = orders[n:]
			}

			got := rollupSnapshot(t, a)
			if _, err := analytics.Rebuild(context.Background(), a.DB, a.Settings.Shop.Location(), a.Settings.Shop.Currency,
				apptest.Start); err != nil {
				t.Fatal(err)
			}
			want := rollupSnapshot(t, a)
			if got != want {
				t.Errorf("roll-ups after the chunks differ from a rebuild:\n%s", lineDiff(got, want))
			}
		})
	}
}

// lineDiff lists the lines of got and want that the other lacks.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
