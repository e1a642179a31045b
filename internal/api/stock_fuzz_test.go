package api

import (
	"testing"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// FuzzStockBody feeds arbitrary bodies to PUT /stock's parser: nothing
// may panic, every rejection is a validation error, and whatever it
// accepts either passes the stock's own checks or is refused by them
// with a field named.
func FuzzStockBody(f *testing.F) {
	f.Add(`{"items":[{"sku":"POT-1","name":"Pot","on_hand":5,"incoming":[{"qty":10,"date":"2026-12-15"}]}]}`)
	f.Add(`[{"sku":"A","on_hand":0},{"sku":"B","on_hand":"7"}]`)
	f.Add(`[{"sku":"A","on_hand":1e3}]`)
	f.Add(`{"items":[{"sku":"A","on_hand":-1,"incoming":[{"qty":0,"date":"2026-02-30"}]}]}`)
	f.Add(`{"items":null}`)
	f.Add(`[]`)
	f.Add(`{"items":[{"sku":["x"]}]}`)
	f.Add(`[{"sku":"A\u0000","on_hand":99999999999999999999}]`)
	f.Add("  \n[{\"sku\":\"Кастрюля\",\"on_hand\":3}]")
	f.Fuzz(func(t *testing.T, body string) {
		levels, err := parseStockBody([]byte(body))
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("the error is not a validation error: %v", err)
			}
			return
		}
		if _, err := stock.Validate(levels); err != nil {
			if ie, ok := invalid.First(err); !ok || ie.Field == "" {
				t.Fatalf("a refusal names no field: %v", err)
			}
		}
	})
}
