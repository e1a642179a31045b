package api

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/loyalty"
)

// FuzzLoyaltyRequest feeds arbitrary bodies through the decoding and
// validation of the loyalty and coupon endpoints: nothing may panic, and
// every rejection must be a validation error naming a field.
func FuzzLoyaltyRequest(f *testing.F) {
	f.Add(`{"customer_id": 42, "order_id": "A-1", "points": 150}`)
	f.Add(`{"customer_id": "c-7", "points": -5, "reason": "x", "kind": "adjustment", "coupon": {"percent": 10, "valid_days": 30}}`)
	f.Add(`{"code": "spring-10", "percent": "1e400", "min_order": "-1", "max_uses": 0}`)
	f.Add(`{"code": "ЁЖ", "amount": 5, "customer_id": {"x": 1}}`)
	f.Add(`{"customer": {"birthday": "02-29"}}`)
	f.Add(`{"customer": {"birthday": "1990-02-30"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		check := func(what string, err error) {
			if err == nil {
				return
			}
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("%s: the error is not a validation error: %v", what, err)
			}
		}
		decodeAs := func(v any) error {
			return decode(httptest.NewRequest("POST", "/api/v1/loyalty", strings.NewReader(body)), v)
		}
		var grant grantRequest
		if err := decodeAs(&grant); err != nil {
			check("grant", err)
		} else if grant.Coupon != nil {
			var errs invalid.List
			spec := grant.Coupon.spec(&errs, "coupon.")
			config.ValidateCoupon(&errs, "coupon", spec)
			check("grant coupon", errs.Err())
		}
		var cc couponCreateRequest
		if err := decodeAs(&cc); err != nil {
			check("coupon", err)
		} else {
			var errs invalid.List
			config.ValidateCoupon(&errs, "coupon", cc.spec(&errs, ""))
			check("coupon", errs.Err())
			if code := loyalty.NormalizeCode(cc.Code); strings.ContainsAny(code, " -\t") {
				t.Fatalf("NormalizeCode(%q) = %q keeps a separator", cc.Code, code)
			}
		}
		var redeem redeemRequest
		check("redeem", decodeAs(&redeem))
		var order orderRequest
		if err := decodeAs(&order); err == nil {
			_, err := customer.Normalize(order.Customer, customer.Defaults{Country: "LV", Language: "lv", Timezone: "Europe/Riga"}, "customer.")
			check("customer", err)
		}
	})
}
