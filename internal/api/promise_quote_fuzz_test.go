package api

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/stock"
)

func FuzzParseCart(f *testing.F) {
	for _, s := range []string{"", "mug", "mug,vase:12", "a:0,b:365", "a:366", ",", "x:-1", "x:1e3", " mug , vase : 3 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, items string) {
		var req promise.Request
		_, err := parseCart(items, &req)
		made, days := req.MadeToOrder, req.ProductionDays
		if err != nil {
			ie, ok := invalid.First(err)
			if !ok || !strings.HasPrefix(ie.Field, "items") {
				t.Fatalf("%q: error %v does not name the items field", items, err)
			}
			return
		}
		if days < 0 || days > 365 || !made && days != 0 {
			t.Fatalf("%q: made %v, days %d", items, made, days)
		}
	})
}

// FuzzCartStock: any cart, against a stock where some SKUs are out, in
// or coming: the plain lines' SKUs are checked once each, only tracked
// ones are answered, and a quote waits exactly when one of them has
// nothing available, never before the received day would allow.
func FuzzCartStock(f *testing.F) {
	for _, s := range []string{"", "mug", "mug,mug", "mug,vase:12", "out,soon", "out:3", "soon, mug ,out", "ghost", ",,", "a:b"} {
		f.Add(s)
	}
	restock := calendar.MustParseDay("2026-12-14")
	st := fakeAvailability{
		"mug":  {Available: 4},
		"out":  {},
		"soon": {Available: -1, NextOn: calendar.MustParseDay("2026-12-10")},
	}
	f.Fuzz(func(t *testing.T, items string) {
		var req promise.Request
		skus, err := parseCart(items, &req)
		if err != nil {
			return
		}
		got := cartStock(st, skus, &req, restock)
		var seen []string
		waits := false
		for _, q := range got {
			a, ok := st[q.SKU]
			if !ok || slices.Contains(seen, q.SKU) || !slices.Contains(skus, q.SKU) || q.Available != a.Available {
				t.Fatalf("%q: answered %+v", items, q)
			}
			seen = append(seen, q.SKU)
			if q.Available <= 0 {
				waits = true
				if q.NextOn == nil || *q.NextOn < calendar.MustParseDay("2026-12-10") {
					t.Fatalf("%q: %s out of stock with next_on %v", items, q.SKU, q.NextOn)
				}
			}
		}
		if waits != (req.StockOn != 0) || len(req.Waiting) > len(got) {
			t.Fatalf("%q: waits %v, StockOn %s, %d waiting", items, waits, req.StockOn, len(req.Waiting))
		}
	})
}

// fakeAvailability is a stock of a few SKUs, for the quote's tests while
// the real stock's memory is built beside this code.
type fakeAvailability map[string]stock.Availability

func (f fakeAvailability) Available(sku string) (stock.Availability, bool) {
	a, ok := f[sku]
	return a, ok
}

func (f fakeAvailability) Holds(context.Context, int64) ([]stock.Hold, error) { return nil, nil }
