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
		`SELECT day, carrier, country, city, delivered, on_time, late, delay_days FROM delivery_days ORDER BY 1, 2, 3, 4`,
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
// chunk, cancelled, returned and foreign ones, delivered ones with and
// without a promise to several destinations, leave the roll-ups, the
// promise record and the customers' shares as a rebuild from the orders
// makes them. The chunks
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
			carriers := []string{"post", "courier", ""}
			countries, cities := []string{"RU", "LV", "RU"}, []string{"Moscow", "Riga", "Kazan", ""}
			var orders []order.NewOrder
			for i := range 600 {
				c := rng.IntN(40)
				at := start.Add(time.Duration(rng.IntN(400))*24*time.Hour + time.Duration(rng.IntN(20))*time.Hour)
				if rng.IntN(5) == 0 { // another order on an earlier one's day
					at = start.Add(time.Duration(c%7) * 24 * time.Hour).Add(time.Duration(rng.IntN(600)) * time.Minute)
				}
				if i%4 == 0 { // customers who come later, a few orders each
					c = 40 + rng.IntN(60)
					at = start.Add(time.Duration(150+rng.IntN(250))*24*time.Hour + time.Duration(rng.IntN(20))*time.Hour)
				}
				currency := "RUB"
				if rng.IntN(10) == 0 {
					currency = "EUR"
				}
				o := order.NewOrder{ExternalID: fmt.Sprintf("o-%d", i), PlacedAt: at, Status: statuses[rng.IntN(len(statuses))],
					Customer:   customer.Input{ExternalID: fmt.Sprintf("c-%d", c), Country: countries[c%len(countries)], City: cities[c%len(cities)]},
					TotalMinor: int64(1000 + rng.IntN(90000)), TotalGiven: true,
					Currency: currency, Channel: channels[rng.IntN(len(channels))], Carrier: carriers[rng.IntN(len(carriers))]}
				if o.Status == order.Delivered && rng.IntN(4) > 0 {
					// Delivered before, on or after the promised day, or
					// without a promise (which the record leaves out).
					delivered := at.Add(time.Duration(1+rng.IntN(9)) * 24 * time.Hour)
					o.DeliveredAt = &delivered
					if rng.IntN(5) > 0 {
						o.PromisedTo = at.AddDate(0, 0, 5).Format(time.DateOnly)
					}
				}
				orders = append(orders, o)
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
			var late, onTime, places int64
			if err := a.DB.Read().QueryRow(context.Background(), `SELECT CAST(COALESCE(SUM(late), 0) AS BIGINT),
				CAST(COALESCE(SUM(on_time), 0) AS BIGINT), COUNT(DISTINCT city) FROM delivery_days`).Scan(&late, &onTime, &places); err != nil {
				t.Fatal(err)
			}
			if late == 0 || onTime == 0 || places < 3 {
				t.Fatalf("the promise record has %d late and %d on-time orders to %d cities: the test needs both, to several", late, onTime, places)
			}
			if _, err := analytics.Rebuild(context.Background(), a.DB, a.Settings.Shop.Location(), a.Settings.Shop.Currency,
				apptest.Start); err != nil {
				t.Fatal(err)
			}
			want := rollupSnapshot(t, a)
			if got != want {
				t.Errorf("roll-ups after the chunks differ from a rebuild:\n%s", lineDiff(got, want))
			}
			windowBuyersAsCounted(t, a)
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

// windowBuyersAsCounted: the windowed report's buyers and repeat buyers
// (counted from the roll-ups' new customers and the few who bought twice
// in the window) are those order.FactsCountBuyers counts from every
// buyer's acquisition day, over months, days and odd spans.
func windowBuyersAsCounted(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	loc := a.Settings.Shop.Location()
	var windows []analytics.Window
	for m := range 15 {
		first := time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
		windows = append(windows, analytics.Window{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, -1).Format(time.DateOnly)})
	}
	windows = append(windows, analytics.Window{From: "2024-01-01", To: "2024-01-01"}, analytics.Window{From: "2024-01-03", To: "2024-01-09"},
		analytics.Window{From: "2024-02-17", To: "2024-11-02"}, analytics.Window{From: "2024-06-01"}, analytics.Window{To: "2024-03-31"})
	several := 0
	for _, w := range windows {
		m, err := a.Analytics.Metrics(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		from, to := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		first := "0000-01-01"
		if w.From != "" {
			from, _ = time.ParseInLocation(time.DateOnly, w.From, loc)
			first = w.From
		}
		if w.To != "" {
			d, _ := time.ParseInLocation(time.DateOnly, w.To, loc)
			to = d.AddDate(0, 0, 1)
		}
		want, err := order.FactsCountBuyers(ctx, a.DB.Read(), from, to, first)
		if err != nil {
			t.Fatal(err)
		}
		shares, err := order.FactsCountBuyerShares(ctx, a.DB.Read(), from, to, first)
		if err != nil {
			t.Fatal(err)
		}
		if shares.SeveralAcquired > 0 && m.NewCustomers > shares.SeveralAcquired && shares.Several > shares.SeveralAcquired {
			several++ // new customers who bought once, new and old ones who bought twice
		}
		if m.Customers != want.Customers || want.Repeat == nil || m.RepeatCustomers != *want.Repeat {
			t.Errorf("window %+v: %d customers, %d repeat; order.FactsCountBuyers counts %d, %v", w, m.Customers, m.RepeatCustomers,
				want.Customers, *want.Repeat)
		}
	}
	if several == 0 {
		t.Error("no window has new customers who bought once and twice, and older ones who bought twice: the test needs some")
	}
}
