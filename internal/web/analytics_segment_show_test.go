package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestAnalyticsSegmentPages lists a segment's members, the most valuable
// first, fifty a page, and sends the whole segment as a CSV file; a
// segment that is none is a 404.
func TestAnalyticsSegmentPages(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			seedHistory(t, e, 10)
			addPeople(t, e)
			addCustomers(t, e, 60)
			// The first 60 customers at risk (two pages), the others loyal.
			members := seedScores(t, e, true, func(i int) string {
				if i < 60 {
					return "at_risk"
				}
				return "loyal"
			})
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			status, _, body := b.do("GET", "/analytics/segments/at_risk", nil)
			if status != http.StatusOK {
				t.Fatalf("the at_risk segment: %d\n%.400s", status, body)
			}
			wantAll(t, "the at_risk segment", body, "<h1>Под угрозой <small>60 клиентов</small></h1>", "1–50 из 60",
				`href="/analytics/segments/at_risk.csv"`, `href="/analytics/segments/at_risk?page=2" rel="next"`,
				`<a href="/analytics" aria-current="page">Аналитика</a>`)
			wantNone(t, "the at_risk segment", body, "[analytics", "<no value>", `rel="prev"`)
			if n := strings.Count(between(body, `id="members"`, "</table>"), "<tr><td>"); n != 50 {
				t.Errorf("the first page lists %d members, want 50", n)
			}
			// The most valuable first: seedScores gives later customers more.
			last := members["at_risk"][59]
			if first := between(body, `<tbody>`, `</a>`); !strings.Contains(first, `/customers/`+strconv.FormatInt(last, 10)+`"`) {
				t.Errorf("the first member is %q, want customer %d", first, last)
			}
			_, _, body = b.do("GET", "/analytics/segments/at_risk?page=2", nil)
			wantAll(t, "the second page", body, "51–60 из 60", `href="/analytics/segments/at_risk" rel="prev"`)
			wantNone(t, "the second page", body, `rel="next"`)
			if n := strings.Count(between(body, `id="members"`, "</table>"), "<tr><td>"); n != 10 {
				t.Errorf("the second page lists %d members, want 10", n)
			}
			_, _, body = b.do("GET", "/analytics/segments/champions", nil)
			wantAll(t, "an empty segment", body, "В этом сегменте никого нет.", "0 клиентов")

			status, h, body := b.do("GET", "/analytics/segments/at_risk.csv", nil)
			if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") ||
				!strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="segment-at_risk-`) {
				t.Fatalf("the CSV: %d %q %q", status, h.Get("Content-Type"), h.Get("Content-Disposition"))
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 61 || rows[0][0] != "customer_id" || rows[1][0] != strconv.FormatInt(last, 10) {
				t.Errorf("the CSV has %d rows, starting %v %v; want the header and 60 members, the most valuable first", len(rows), rows[0], rows[1])
			}

			for _, path := range []string{"/analytics/segments/whales", "/analytics/segments/whales.csv", "/analytics/segments/.csv"} {
				if status, _, _ := b.do("GET", path, nil); status != http.StatusNotFound {
					t.Errorf("%s: %d, want 404", path, status)
				}
			}
		})
	}
}

// TestAnalyticsOwnerOnly: the analytics are the owner's; the operator and
// the packer get the 403 page and see no menu entry, nor the banner.
func TestAnalyticsOwnerOnly(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			for _, role := range []auth.Role{auth.Operator, auth.Packer} {
				b := newBrowser(t, e)
				b.login(people[role])
				for _, rt := range []struct{ method, path string }{
					{"GET", "/analytics"}, {"POST", "/analytics/spend"}, {"GET", "/analytics/segments/loyal"},
					{"GET", "/analytics/segments/loyal.csv"}, {"GET", "/alerts/banner"}, {"POST", "/alerts/1/dismiss"},
				} {
					status, _, body := b.do(rt.method, rt.path, formOf(b, "month", "2026-11", "channel", "ads", "amount", "1"))
					if status != http.StatusForbidden {
						t.Errorf("%s %s %s: %d, want 403", role, rt.method, rt.path, status)
					}
					wantNone(t, string(role)+" "+rt.path, body, "segment-", "customer_id")
				}
				_, _, body := b.do("GET", "/account", nil)
				wantNone(t, string(role)+"'s account page", body, `href="/analytics"`, `hx-get="/alerts/banner"`)
			}
		})
	}
}

// addCustomers imports one past order each of n more customers.
func addCustomers(t *testing.T, e *env, n int) {
	t.Helper()
	ctx := context.Background()
	var batch []order.NewOrder
	for i := range n {
		placed := e.clock.Now().AddDate(0, 0, -30-i)
		o := order.NewOrder{ExternalID: fmt.Sprintf("X-%d", i), PlacedAt: placed, History: true, Channel: "ads",
			Customer: customer.Input{ExternalID: fmt.Sprintf("xc-%d", i), Name: fmt.Sprintf("Покупатель %d", i),
				Email: fmt.Sprintf("x%d@example.com", i)},
			Items: []order.Item{{SKU: "LID", Name: "Крышка", Qty: 1, PriceMinor: 5000}}, Status: order.Delivered}
		delivered := placed.Add(48 * time.Hour)
		o.DeliveredAt = &delivered
		if err := order.Normalize(&o, e.app.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, o)
	}
	if err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := e.app.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	drainJournal(t, e)
}
