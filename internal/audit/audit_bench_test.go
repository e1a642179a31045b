package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// benchShop is an audit with ten years of weekly checks of every point
// (4,680 checks, each answering the point's checklist).
func benchShop(b *testing.B) (*audit.Service, map[audit.Point][]audit.Item) {
	b.Helper()
	ctx := context.Background()
	db, _ := storetest.OpenTest(b, store.SQLite)
	settings := config.Default()
	s := audit.New(service.Deps{DB: db, Settings: settings}, audit.Params{})
	items, err := s.Items(ctx, at)
	if err != nil {
		b.Fatal(err)
	}
	day := at.AddDate(-10, 0, 0)
	for i := 0; day.Before(at); i++ {
		for _, p := range audit.Points() {
			in := audit.CheckInput{Point: p, Day: day.Format(time.DateOnly), Kind: audit.KindSelf, Who: "Анна", Score: 1 + i%5}
			for j, it := range items[p] {
				in.Results = append(in.Results, audit.ResultInput{ItemID: it.ID, Passed: (i+j)%3 != 0})
			}
			if _, err := s.CheckAdd(ctx, in, at); err != nil {
				b.Fatal(err)
			}
		}
		day = day.AddDate(0, 0, 7)
	}
	return s, items
}

// BenchmarkAuditBoard reads the board (every point's checklist, last
// check, twelve months' trend) over ten years of weekly checks.
func BenchmarkAuditBoard(b *testing.B) {
	s, _ := benchShop(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Board(ctx, at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditCheckAdd records checks of four answered items each.
func BenchmarkAuditCheckAdd(b *testing.B) {
	ctx := context.Background()
	db, _ := storetest.OpenTest(b, store.SQLite)
	s := audit.New(service.Deps{DB: db, Settings: config.Default()}, audit.Params{})
	items, err := s.Items(ctx, at)
	if err != nil {
		b.Fatal(err)
	}
	in := audit.CheckInput{Point: audit.PointCall, Day: "2026-12-01", Kind: audit.KindSelf, Who: "Анна", Score: 4}
	for _, it := range items[audit.PointCall] {
		in.Results = append(in.Results, audit.ResultInput{ItemID: it.ID, Passed: true})
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.CheckAdd(ctx, in, at); err != nil {
			b.Fatal(err)
		}
	}
}
