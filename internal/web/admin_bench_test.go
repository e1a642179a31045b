package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// benchSurnames are the seeded customers' last names; the search cases
// look them up by prefix.
var benchSurnames = []string{"Петров", "Иванова", "Смирнов", "Kalniņš", "Bērziņa", "Соколов", "Ozols", "Волкова"}

// seedOrderList fills a store with a year of history (orders of customers,
// most delivered, the last fortnight shipped and some of them late) and
// live new orders, through intake as the CSV import and the API store
// them, then drains the journal so the customers' figures are there.
func seedOrderList(b *testing.B, a *app.App, orders, customers int) {
	b.Helper()
	ctx := context.Background()
	now := a.Clock.Now()
	var batch []order.NewOrder
	flush := func() {
		err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			_, err := a.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := 1; i <= orders; i++ {
		k := 1 + (i*7919)%customers
		placed := now.Add(-time.Duration(orders-i+1) * (365 * 24 * time.Hour / time.Duration(orders)))
		n := order.NewOrder{
			ExternalID: "o-" + strconv.Itoa(i), PlacedAt: placed, TotalMinor: 100000 + int64(i%50)*1000, TotalGiven: true,
			Customer: customer.Input{ExternalID: "c-" + strconv.Itoa(k),
				Name:  fmt.Sprintf("Имя%d %s", k%7, benchSurnames[k%len(benchSurnames)]),
				Email: "c" + strconv.Itoa(k) + "@example.com", Phone: fmt.Sprintf("+7916%07d", k)},
			History: i <= orders-orders/100,
		}
		switch age := now.Sub(placed); {
		case !n.History: // the live tail: new, with call-backs to come
		case age < 14*24*time.Hour:
			n.Status, n.PromisedTo = order.Shipped, placed.AddDate(0, 0, 4).Format(time.DateOnly)
		case i%25 == 0:
			n.Status = order.Cancelled
		default:
			at := placed.Add(72 * time.Hour)
			n.Status, n.DeliveredAt, n.PromisedTo = order.Delivered, &at, placed.AddDate(0, 0, 4).Format(time.DateOnly)
		}
		if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
			b.Fatalf("order %s: %v", n.ExternalID, err)
		}
		if batch = append(batch, n); len(batch) == 500 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		b.Fatal(err)
	}
	if err := a.DB.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOrderList times the order list, the customer list and an
// order's page through the admin's handler, signed in as the owner, on a
// store of 20,000 orders (both engines when SHOPCARE_TEST_DATABASE_URL is
// set). `shopcare bench pages` measures the same pages on a million.
func BenchmarkOrderList(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			a, _ := apptest.New(b, engine, false)
			seedOrderList(b, a, 20000, 6000)
			ctx := context.Background()
			if err := auth.UserAdd(ctx, a.DB, "owner@shop.test", testPassword, auth.Owner, a.Clock.Now()); err != nil {
				b.Fatal(err)
			}
			var id int64
			if err := a.DB.Read().QueryRow(ctx, `SELECT id FROM users WHERE email = 'owner@shop.test'`).Scan(&id); err != nil {
				b.Fatal(err)
			}
			s, err := auth.SessionCreate(ctx, a.DB, id, a.Clock.Now())
			if err != nil {
				b.Fatal(err)
			}
			h := web.New(a)
			week := a.Clock.Now().AddDate(0, 0, -100)
			// rows is how many rows (links to an order or a customer)
			// each page must show, so an empty page is not timed.
			for _, page := range []struct {
				name, path, link string
				rows             int
			}{
				{"first_page", "/orders", "/orders/", 50},
				{"deep_page", "/orders?after=" + url.QueryEscape(order.ListItem{ID: 5000, PlacedAt: week}.Cursor()), "/orders/", 50},
				{"status", "/orders?status=shipped", "/orders/", 50},
				{"late", "/orders?state=late", "/orders/", 50},
				{"at_risk", "/orders?state=at_risk", "/orders/", 1},
				{"week", "/orders?from=" + week.Format(time.DateOnly) + "&to=" + week.AddDate(0, 0, 6).Format(time.DateOnly), "/orders/", 50},
				{"order_number", "/orders?q=o-12345", "/orders/", 1},
				{"surname_prefix", "/orders?q=" + url.QueryEscape("петр"), "/orders/", 50},
				{"name_and_surname", "/orders?q=" + url.QueryEscape("Имя3 Ива"), "/orders/", 50},
				{"phone", "/orders?q=9160001234", "/orders/", 1},
				{"order", "/orders/12345", "/customers/", 1},
				{"customers", "/customers", "/customers/", 50},
				{"customer_search", "/customers?q=" + url.QueryEscape("kaln"), "/customers/", 50},
			} {
				b.Run(page.name, func(b *testing.B) {
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, page.path, nil)
						req.AddCookie(&http.Cookie{Name: "shopcare_session", Value: s.Token})
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("GET %s: %d\n%s", page.path, rec.Code, rec.Body)
						}
						if n := strings.Count(rec.Body.String(), `href="`+page.link); n < page.rows {
							b.Fatalf("GET %s: %d links to %s, want at least %d", page.path, n, page.link, page.rows)
						}
					}
				})
			}
		})
	}
}
