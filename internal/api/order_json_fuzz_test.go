package api

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
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
	f.Add(`{"external_id":"1","customer":{"external_id":"c"},"items":[{"qty":4611686018427387905,"price":"0.04"}]}`)
	f.Add(`{"external_id":"1","customer":{"external_id":"c"},"items":[{"qty":19,"price":"9999999999999999.99"}]}`)
	f.Add(`{"external_id":"1","customer":{"external_id":"c","name":"a\u0000"},"total":1,"created_at":"9999-12-31T23:59:59Z"}`)
	settings, err := config.Parse(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var req orderRequest
		if !decodeFuzz(t, body, &req) {
			return
		}
		n, err := req.newOrder(settings.Shop.Location())
		if err == nil {
			err = order.NormalizeAt(&n, settings, order.APIFields, fuzzNow)
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
		if err != nil {
			return
		}
		// What is accepted keeps the limits.
		if n.TotalMinor < 0 || n.TotalMinor > money.MaxAmount {
			t.Fatalf("accepted total %d", n.TotalMinor)
		}
		for _, it := range n.Items {
			if it.Qty < 1 || it.Qty > money.MaxQty || it.PriceMinor < 0 || it.PriceMinor > money.MaxAmount {
				t.Fatalf("accepted item %+v", it)
			}
		}
		if !n.PlacedAt.IsZero() && (!invalid.InRange(n.PlacedAt) || n.PlacedAt.After(fuzzNow.Add(invalid.ClockSkew))) {
			t.Fatalf("accepted created_at %s", n.PlacedAt)
		}
		for field, v := range map[string]string{"external_id": n.ExternalID, "name": n.Customer.Name, "city": n.Customer.City,
			"email": n.Customer.Email, "address": n.Address, "channel": n.Channel} {
			if e := invalid.Text(field, v); e != nil {
				t.Fatalf("accepted %s %q: %v", field, v, e)
			}
		}
	})
}
