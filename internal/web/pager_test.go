package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// placeMany places n orders, each by a customer of its own, and lets the
// playbook make their call-backs and messages.
func placeMany(t *testing.T, e *env, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		e.clock.Set(e.clock.Now().Add(7 * time.Minute))
		no := order.NewOrder{ExternalID: fmt.Sprintf("P-%03d", i), Carrier: "courier",
			Customer: customer.Input{ExternalID: fmt.Sprintf("pc-%03d", i), Name: fmt.Sprintf("Покупатель %03d", i),
				Phone: fmt.Sprintf("+7 916 100-%02d-%02d", i/100, i%100), Email: fmt.Sprintf("p%03d@example.com", i), Language: "ru"},
			Items: []order.Item{{SKU: "PAN", Name: "Сковородка", Qty: 1, PriceMinor: 99000}}}
		if err := order.Normalize(&no, e.app.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Orders.Create(ctx, no); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// addFindTasks opens n find_parcel tasks on the first order, one a minute.
func addFindTasks(t *testing.T, e *env, n int, due time.Time) {
	t.Helper()
	err := e.app.DB.InTx(context.Background(), func(tx *store.Tx) error {
		for i := range n {
			if _, err := tx.Exec(context.Background(), `INSERT INTO tasks (kind, order_id, dedupe_key, status, due_at, created_at, updated_at)
				VALUES ('find_parcel', (SELECT MIN(id) FROM orders), $1, 'open', $2, $2, $2)`,
				fmt.Sprintf("find_parcel:test:%d:%d", due.Unix(), i), due.Add(time.Duration(i)*time.Minute)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pagedLists are the admin's keyset-paged lists: where each row links to,
// and how many rows the database holds.
var pagedLists = []struct {
	path  string
	row   *regexp.Regexp
	count string
}{
	{"/orders", regexp.MustCompile(`<td><a href="/orders/(\d+)">`), `SELECT COUNT(*) FROM orders`},
	{"/customers", regexp.MustCompile(`<tr><td><a href="/customers/(\d+)">`), `SELECT COUNT(*) FROM customers WHERE last_order_at IS NOT NULL`},
	{"/callbacks", regexp.MustCompile(`<td><a href="/callbacks/(\d+)">`), `SELECT COUNT(*) FROM tasks WHERE kind = 'callback' AND status = 'open'`},
	{"/outbox", regexp.MustCompile(`<td><a href="/outbox/(\d+)">`), `SELECT COUNT(*) FROM messages`},
	{"/parcels", regexp.MustCompile(`action="/tasks/(\d+)/resolve"`), `SELECT COUNT(*) FROM tasks WHERE kind = 'find_parcel' AND status = 'open'`},
}

var (
	year10000 = regexp.MustCompile(`\b10000\b`)
	nextLink  = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	prevLink  = regexp.MustCompile(`<a href="([^"]+)" rel="prev">`)
)

// TestListPaging walks every paged admin list forward to its end and back
// to its start: each row once, at most a page of rows at a time, and
// "previous" shows the page before again.
func TestListPaging(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			placeMany(t, e, 120)
			addFindTasks(t, e, 110, e.clock.Now().Add(-48*time.Hour))
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			for _, l := range pagedLists {
				var want int
				if err := e.app.DB.Read().QueryRow(context.Background(), l.count).Scan(&want); err != nil {
					t.Fatal(err)
				}
				if want <= 100 {
					t.Fatalf("%s: only %d rows to page through", l.path, want)
				}
				var pages [][]string
				seen := map[string]bool{}
				for url := l.path; url != ""; {
					status, _, body := b.do("GET", url, nil)
					if status != http.StatusOK {
						t.Fatalf("%s: %d", url, status)
					}
					var ids []string
					for _, m := range l.row.FindAllStringSubmatch(body, -1) {
						if seen[m[1]] {
							t.Errorf("%s: row %s again on page %d", url, m[1], len(pages)+1)
						}
						seen[m[1]] = true
						ids = append(ids, m[1])
					}
					if len(ids) == 0 || len(ids) > 50 {
						t.Fatalf("%s: %d rows on a page", url, len(ids))
					}
					if len(pages) > 0 {
						m := prevLink.FindStringSubmatch(body)
						if m == nil {
							t.Fatalf("%s: page %d has no previous link", url, len(pages)+1)
						}
						_, _, prev := b.do("GET", html.UnescapeString(m[1]), nil)
						var back []string
						for _, m := range l.row.FindAllStringSubmatch(prev, -1) {
							back = append(back, m[1])
						}
						if !slices.Equal(back, pages[len(pages)-1]) {
							t.Errorf("%s: previous shows %v, want %v", url, back, pages[len(pages)-1])
						}
					} else if prevLink.MatchString(body) {
						t.Errorf("%s: the first page has a previous link", url)
					}
					pages = append(pages, ids)
					url = ""
					if m := nextLink.FindStringSubmatch(body); m != nil {
						url = html.UnescapeString(m[1])
					}
					if len(pages) > 10 {
						t.Fatalf("%s: more than 10 pages", l.path)
					}
				}
				if len(seen) != want {
					t.Errorf("%s: %d rows over %d pages, the database has %d", l.path, len(seen), len(pages), want)
				}
			}
		})
	}
}

// TestListPagingKeepsFilters: the next page of a filtered list is of the
// same filter.
func TestListPagingKeepsFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	placeMany(t, e, 60)
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	_, _, body := b.do("GET", "/orders?status=new&q=", nil)
	m := nextLink.FindStringSubmatch(body)
	if m == nil || !strings.Contains(html.UnescapeString(m[1]), "status=new") {
		t.Fatalf("the next page of new orders: %v", m)
	}
	_, _, body = b.do("GET", html.UnescapeString(m[1]), nil)
	m = prevLink.FindStringSubmatch(body)
	if m == nil || html.UnescapeString(m[1]) != "/orders?q=&status=new" {
		t.Fatalf("the previous page of new orders: %v", m)
	}
}

// TestListBadRow: a row stored with a date in year 10000 (written past
// the API's checks) leaves every list readable: the page answers 200,
// shows the other rows and flags that one.
func TestListBadRow(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			placeMany(t, e, 3)
			addFindTasks(t, e, 2, e.clock.Now().Add(-48*time.Hour))
			far := time.Date(10000, 1, 2, 3, 4, 5, 0, time.UTC)
			ctx := context.Background()
			err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
				for _, q := range []string{
					`UPDATE tasks SET due_at = $1 WHERE id = (SELECT MIN(id) FROM tasks WHERE kind = 'callback')`,
					`UPDATE tasks SET due_at = $1 WHERE id = (SELECT MIN(id) FROM tasks WHERE kind = 'find_parcel')`,
					`UPDATE orders SET placed_at = $1 WHERE external_id = 'P-001'`,
					`UPDATE messages SET scheduled_at = $1 WHERE id = (SELECT MIN(id) FROM messages)`,
				} {
					if _, err := tx.Exec(ctx, q, far); err != nil {
						return fmt.Errorf("%s: %w", q, err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			// The order whose call-back is due in year 10000 (P-000).
			var first int64
			if err := e.app.DB.Read().QueryRow(ctx, `SELECT id FROM orders WHERE external_id = 'P-000'`).Scan(&first); err != nil {
				t.Fatal(err)
			}
			if status, _, body := b.do("GET", orderPath(first), nil); status != http.StatusOK || !strings.Contains(body, "⚠") {
				t.Errorf("the order page of a call-back due in year 10000: %d, flagged %v", status, strings.Contains(body, "⚠"))
			}
			for _, l := range pagedLists[:5] {
				if l.path == "/customers" {
					continue
				}
				status, _, body := b.do("GET", l.path, nil)
				if status != http.StatusOK {
					t.Errorf("%s with a row of year 10000: %d", l.path, status)
					continue
				}
				if n := len(l.row.FindAllString(body, -1)); n < 2 {
					t.Errorf("%s shows %d rows, want the good ones too", l.path, n)
				}
				if !strings.Contains(body, "⚠") {
					t.Errorf("%s does not flag the unreadable row", l.path)
				}
				if year10000.MatchString(body) {
					t.Errorf("%s shows the year 10000 as a date", l.path)
				}
			}
		})
	}
}
