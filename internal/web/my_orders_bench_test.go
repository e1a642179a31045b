package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// BenchmarkMyHome times the customer's own page through the web handler,
// signed in with a customer's session: the list of their orders (first
// and second page) and one order's page, on a store of 20,000 orders of
// 500 customers, 40 each (SHOPCARE_BENCH_ORDERS sets another size; both
// engines when SHOPCARE_TEST_DATABASE_URL is set). The list is a range
// of the orders_customer index (TestListOfCustomerPlan), so its time
// does not grow with the store.
func BenchmarkMyHome(b *testing.B) {
	orders := 20000
	if n, err := strconv.Atoi(os.Getenv("SHOPCARE_BENCH_ORDERS")); err == nil && n > 0 {
		orders = n
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			a, _ := apptest.New(b, engine, false)
			seedOrderList(b, a, orders, 500)
			ctx := context.Background()
			var customerID, count int64
			if err := a.DB.Read().QueryRow(ctx, `SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id
				ORDER BY COUNT(*) DESC, customer_id LIMIT 1`).Scan(&customerID, &count); err != nil {
				b.Fatal(err)
			}
			list, _, err := a.Orders.ListOfCustomer(ctx, customerID, "", 20)
			if err != nil || len(list) != 20 {
				b.Fatalf("customer %d with %d orders: a page of %d, %v", customerID, count, len(list), err)
			}
			s, err := a.SignIns.SessionCreate(ctx, customerID, signin.ViaCode, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			h := web.New(a)
			for _, page := range []struct {
				name, path, want string
				rows             int // links to an order's page the page must have
			}{
				{"first_page", "/my", `href="/my/orders/`, 20},
				{"second_page", "/my?after=" + url.QueryEscape(list[19].Cursor()), `href="/my/orders/`, 20},
				{"order", "/my/orders/" + strconv.FormatInt(list[0].ID, 10), `id="timeline"`, 1},
			} {
				b.Run(page.name, func(b *testing.B) {
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, page.path, nil)
						req.AddCookie(&http.Cookie{Name: "shopcare_my", Value: s.Token})
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("GET %s: %d\n%s", page.path, rec.Code, rec.Body)
						}
						if n := strings.Count(rec.Body.String(), page.want); n < page.rows {
							b.Fatalf("GET %s: %d of %q, want at least %d", page.path, n, page.want, page.rows)
						}
					}
				})
			}
		})
	}
}
