package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

// FuzzOrderRequest feeds arbitrary bodies through the decoding and
// validation of POST /api/v1/orders: nothing may panic, and every rejection
// must be a validation error, never an internal one.
func FuzzOrderRequest(f *testing.F) {
	f.Add(`{"external_id":"1","customer":{"email":"a@b.lv"},"total":5}`)
	f.Add(`{"external_id":"1","customer":{"phone":"+37120000000"},"items":[{"qty":1,"price":"2.50"}]}`)
	f.Add(`{"external_id":1}`)
	f.Add(`{"total":"1e400","created_at":"2026-13-40"}`)
	f.Add(`{"external_id":"1","customer":{"email":"a@b.lv"},"total":5,"delivery_address":"Brīvības iela 1,\n Rīga\u0007"}`)
	f.Add(`{"external_id":"1","customer":{"email":"a@b.lv"},"total":5,"address":"ул. Ленина, 1","delivery_address":""}`)
	f.Add(`[]`)
	f.Add(``)
	settings, err := config.Parse(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/orders", strings.NewReader(body))
		var req orderRequest
		if err := decode(r, &req); err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("decode error is not a validation error: %v", err)
			}
			return
		}
		n, err := req.newOrder(settings.Shop.Location())
		if err == nil {
			err = order.Normalize(&n, settings, order.APIFields)
		}
		var list invalid.List
		var one *invalid.Error
		if err != nil && !errors.As(err, &list) && !errors.As(err, &one) {
			t.Fatalf("validation error of an unexpected type: %T %v", err, err)
		}
		if a := order.TidyAddress(n.Address); err == nil && (utf8.RuneCountInString(a) > order.MaxAddressLen ||
			strings.IndexFunc(a, unicode.IsControl) >= 0 || !utf8.ValidString(a)) {
			t.Fatalf("accepted delivery address %q", a)
		}
	})
}
