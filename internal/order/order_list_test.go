package order_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// searchShop is a shop whose customers make every kind of search: common
// words (more customers than a search resolves by id) and rare ones.
type searchShop struct {
	customers map[int64][]string // customer id → search terms
	orders    []order.ListItem   // every order: ID, ExternalID, PlacedAt, CustomerID
}

// seedSearchShop places 15,000 orders of 10,000 customers: half of them
// Петров (petrov… e-mails), one in fifty Сидоров, the rest Kalniņš,
// with four first names; five in six have a +7 916 number, the others
// +7 925.
func seedSearchShop(t *testing.T, engine store.Engine) (*searchShop, func(order.ListFilter) ([]order.ListItem, bool, error),
	func(customer.ListFilter) ([]*customer.Customer, bool, error), store.Querier) {
	t.Helper()
	ctx := context.Background()
	a, _ := apptest.New(t, engine, false)
	firsts := []string{"Иван", "Пётр", "Анна", "Мария"}
	var batch []order.NewOrder
	start := apptest.Start.Add(-12000 * time.Hour)
	n := 0
	for k := 1; k <= 10000; k++ {
		last, email := "Kalniņš", "kalnins"
		switch {
		case k%50 == 1:
			last, email = "Сидоров", "sidorov"
		case k%2 == 0:
			last, email = "Петров", "petrov"
		}
		in := customer.Input{ExternalID: "c-" + strconv.Itoa(k), Name: firsts[k%4] + " " + last,
			Email: email + strconv.Itoa(k) + "@example.com", Phone: fmt.Sprintf("+7916%07d", k)}
		if k%6 == 0 {
			in.Phone = fmt.Sprintf("+7925%07d", k)
		}
		for range 1 + k%2 {
			n++
			// Customers' orders interleave in time; some share an hour.
			placed := start.Add(time.Duration((n*7919)%12000) * time.Hour)
			o := order.NewOrder{ExternalID: "o-" + strconv.Itoa(n), PlacedAt: placed, Customer: in, History: true,
				TotalMinor: 1000, TotalGiven: true, Status: order.Delivered}
			at := placed.Add(48 * time.Hour)
			o.DeliveredAt = &at
			if err := order.Normalize(&o, a.Settings, order.APIFields); err != nil {
				t.Fatal(err)
			}
			batch = append(batch, o)
		}
	}
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := a.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	shop := &searchShop{customers: map[int64][]string{}}
	q := a.DB.Read()
	rows, err := q.Query(ctx, `SELECT id, name, email, phone FROM customers`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var name, email, phone string
		if err := rows.Scan(&id, &name, &email, &phone); err != nil {
			t.Fatal(err)
		}
		shop.customers[id] = customer.SearchTerms(name, email, phone)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT id, external_id, placed_at, customer_id FROM orders`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var it order.ListItem
		if err := rows.Scan(&it.ID, &it.ExternalID, &it.PlacedAt, &it.CustomerID); err != nil {
			t.Fatal(err)
		}
		shop.orders = append(shop.orders, it)
	}
	rows.Close()
	if len(shop.orders) != n || len(shop.customers) != 10000 {
		t.Fatalf("seeded %d orders of %d customers, want %d of 10000", len(shop.orders), len(shop.customers), n)
	}
	return shop, func(f order.ListFilter) ([]order.ListItem, bool, error) { return order.List(ctx, q, f) },
		func(f customer.ListFilter) ([]*customer.Customer, bool, error) { return customer.List(ctx, q, f) }, q
}

// matches tells whether every word starts one of the customer's terms.
func (s *searchShop) matches(id int64, words []string) bool {
	for _, w := range words {
		if !slices.ContainsFunc(s.customers[id], func(term string) bool { return strings.HasPrefix(term, w) }) {
			return false
		}
	}
	return true
}

// TestSearchListsAgreeWithAScan: the order and customer lists, searched
// by rare words (resolved to customer ids) and by common ones (checked
// row by row while the list walks its own order), list exactly the rows a
// scan of everything finds, in order, page after page.
func TestSearchListsAgreeWithAScan(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			shop, listOrders, listCustomers, q := seedSearchShop(t, engine)
			for _, tt := range []struct {
				name, query string
				words       []string
				byID        bool // the search resolves to customer ids
			}{
				{"common surname", "Петр", []string{"петр"}, false},
				{"rare surname", "сидор", []string{"сидор"}, true},
				{"first name", "Анна", []string{"анна"}, true},
				{"first name and common surname", "анна петр", []string{"анна", "петр"}, true},
				{"two common words, nobody has both", "петр kaln", []string{"петр", "kaln"}, true},
				{"two common words, many have both", "петр 916", []string{"петр", "916"}, false},
				{"phone as written", "+7 916 000-12-34", []string{"79160001234"}, true},
				{"national number's start", "9160001", []string{"9160001"}, true},
				{"order number", "#o-17", []string{"o-17"}, true},
				{"nothing", "zzz", []string{"zzz"}, true},
			} {
				t.Run(tt.name, func(t *testing.T) {
					m, ok, err := customer.SearchMatch(context.Background(), q, tt.query)
					if err != nil || !ok || m.All != tt.byID {
						t.Fatalf("SearchMatch(%q): all=%v ok=%v err=%v, want all=%v", tt.query, m.All, ok, err, tt.byID)
					}

					var want []int64
					wantOrders := slices.Clone(shop.orders)
					slices.SortFunc(wantOrders, func(a, b order.ListItem) int {
						return cmp.Or(b.PlacedAt.Compare(a.PlacedAt), cmp.Compare(b.ID, a.ID))
					})
					for _, o := range wantOrders {
						if o.ExternalID == strings.TrimPrefix(tt.query, "#") || shop.matches(o.CustomerID, tt.words) {
							want = append(want, o.ID)
						}
					}
					var got []int64
					after := ""
					for page := 0; ; page++ {
						items, more, err := listOrders(order.ListFilter{Query: tt.query, After: after, Limit: 200})
						if err != nil {
							t.Fatal(err)
						}
						for _, it := range items {
							got = append(got, it.ID)
						}
						if !more || page > 100 {
							break
						}
						after = items[len(items)-1].Cursor()
					}
					if !slices.Equal(got, want) {
						t.Errorf("orders %q: %d listed, want %d (first difference at %d)", tt.query, len(got), len(want), firstDiff(got, want))
					}

					want, got = nil, nil
					last := map[int64]time.Time{}
					for _, o := range shop.orders {
						if o.PlacedAt.After(last[o.CustomerID]) {
							last[o.CustomerID] = o.PlacedAt
						}
					}
					for id := range shop.customers {
						if shop.matches(id, tt.words) {
							want = append(want, id)
						}
					}
					slices.SortFunc(want, func(a, b int64) int {
						return cmp.Or(last[b].Compare(last[a]), cmp.Compare(b, a))
					})
					after = ""
					for page := 0; ; page++ {
						list, more, err := listCustomers(customer.ListFilter{Query: tt.query, After: after, Limit: 200})
						if err != nil {
							t.Fatal(err)
						}
						for _, c := range list {
							got = append(got, c.ID)
						}
						if !more || page > 100 {
							break
						}
						after = list[len(list)-1].Cursor()
					}
					if !slices.Equal(got, want) {
						t.Errorf("customers %q: %d listed, want %d (first difference at %d)", tt.query, len(got), len(want), firstDiff(got, want))
					}
				})
			}
		})
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
