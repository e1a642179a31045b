package api

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// FuzzStockResolve feeds arbitrary bodies to POST
// /orders/{id}/stock/resolve's parser: nothing may panic, every
// rejection is a validation error naming a field, and what it accepts is
// a resolution the stock service takes.
func FuzzStockResolve(f *testing.F) {
	f.Add(`{"resolution": "refund", "refund": "12.50"}`)
	f.Add(`{"resolution": "refund", "refund": 12.5, "note": "по телефону"}`)
	f.Add(`{"resolution": "alternative", "alternative": "Зелёная кружка"}`)
	f.Add(`{"resolution": "split"}`)
	f.Add(`{"resolution": "wait", "note": "ждёт до 15 декабря"}`)
	f.Add(`{"resolution": "refund", "refund": "-1"}`)
	f.Add(`{"resolution": "refund", "refund": "1e400"}`)
	f.Add(`{"resolution": "alternative", "alternative": "a\u0000b"}`)
	f.Add(`{"resolution": ["refund"]}`)
	f.Add(`{"resolution": "wait", "refund": "99999999999999999999"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		var req stockResolveRequest
		if err := decodeJSON(strings.NewReader(body), &req); err != nil {
			return // the shared decoder's own fuzzers cover its answers
		}
		for _, currency := range []string{"EUR", "RUB", "JPY", "XXX"} {
			res, err := req.resolution(42, currency)
			if err != nil {
				if _, ok := invalid.First(err); !ok {
					t.Fatalf("the error is not a validation error: %v", err)
				}
				continue
			}
			if res.OrderID != 42 || !slices.Contains(stock.Resolutions(), res.Resolution) {
				t.Fatalf("accepted %+v", res)
			}
			if res.Resolution == stock.ResolveRefund && res.RefundMinor <= 0 || res.Resolution != stock.ResolveRefund && res.RefundMinor != 0 {
				t.Fatalf("accepted a refund of %d for %s", res.RefundMinor, res.Resolution)
			}
			if again := res; again.Validate() != nil {
				t.Fatalf("accepted %+v, which Validate refuses", res)
			}
		}
	})
}
