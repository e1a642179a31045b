package insider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// benchCustomers is how many customers the benchmarks' shop has.
const benchCustomers = 5000

// benchShop is a shop of benchCustomers customers, each with one order,
// and their ids.
func benchShop(b *testing.B) (*insiderBench, []int64) {
	b.Helper()
	a, _ := apptest.New(b, store.SQLite, false)
	ctx := context.Background()
	orders := make([]order.NewOrder, 0, benchCustomers)
	for i := range benchCustomers {
		n := order.NewOrder{ExternalID: fmt.Sprintf("B-%d", i), Carrier: "courier",
			Customer: customer.Input{ExternalID: fmt.Sprintf("c-%d", i), Name: "Anna", Email: fmt.Sprintf("a%d@example.com", i), Language: "en"},
			Items:    []order.Item{{SKU: "TEA", Name: "Tea", Qty: 1, PriceMinor: 500}}}
		if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
			b.Fatal(err)
		}
		orders = append(orders, n)
	}
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := a.Orders.CreateBatch(ctx, tx, orders, order.SourceImport)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	err = store.Each(ctx, a.DB.Read(), `SELECT customer_id FROM orders ORDER BY id`, nil, func(r store.Rows) error {
		var id int64
		ids = append(ids, 0)
		err := r.Scan(&id)
		ids[len(ids)-1] = id
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return &insiderBench{svc: a.Insiders}, ids
}

type insiderBench struct{ svc *insider.Service }

// project makes an open project.
func (s *insiderBench) project(b *testing.B) int64 {
	b.Helper()
	id, err := s.svc.ProjectSave(context.Background(), insider.ProjectInput{Kind: insider.PreOrder, Title: map[string]string{"en": "x"}})
	if err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkJoin: sign-ups recorded per second, each in its own
// transaction with its consent and its insider.joined event (SQLite).
func BenchmarkJoin(b *testing.B) {
	s, ids := benchShop(b)
	ctx := context.Background()
	project := s.project(b)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if i == len(ids) {
			project, i = s.project(b), 0
		}
		if _, err := s.svc.Join(ctx, insider.JoinInput{ProjectID: project, CustomerID: ids[i], Source: insider.FromLink, Lang: "en"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "joins/s")
}

// BenchmarkMembersExport: walking a project of benchCustomers members
// with their contacts and consent, as the CSV and the campaign audience
// do.
func BenchmarkMembersExport(b *testing.B) {
	s, ids := benchShop(b)
	ctx := context.Background()
	project := s.project(b)
	for _, id := range ids {
		if _, err := s.svc.Join(ctx, insider.JoinInput{ProjectID: project, CustomerID: id, Source: insider.FromMyPage, Lang: "en"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if err := s.svc.EachMember(ctx, project, func(insider.Member) error { n++; return nil }); err != nil || n != len(ids) {
			b.Fatalf("%d members, %v", n, err)
		}
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "members/s")
}
