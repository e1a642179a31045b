package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// orderWithMarketing is an order whose customer gave marketing consent on
// e-mail and SMS at the checkout, and order news by SMS.
const orderWithMarketing = `{
  "external_id": "2001",
  "created_at": "2026-11-23T15:20:00+03:00",
  "customer": {"external_id": "c-m", "name": "Мария", "email": "maria@example.com", "phone": "+79161234567", "language": "ru",
    "consent": ["sms", "marketing_email", "marketing_sms"], "consent_source": "checkout checkbox"},
  "items": [{"sku": "POT-1", "name": "Кастрюля", "qty": 1, "price": 2490.50}],
  "carrier": "courier",
  "payment": {"method": "cod", "paid": false}
}`

// TestCustomerMarketingConsentEntries: an order's consent list takes
// marketing_email, marketing_sms and marketing_telegram beside the channel
// names (order news), with consent_source as the proof; an unknown entry
// is a 422 naming it. PATCH /customers takes the same entries in its
// consent object, as the short form of {"sms": {"marketing": …}}; a grant
// without a source, a wrong type, or an entry saying the opposite of its
// channel's "marketing" is a 422 that writes nothing.
func TestCustomerMarketingConsentEntries(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			bad := strings.Replace(orderWithMarketing, `"marketing_sms"]`, `"marketing_fax"]`, 1)
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", bad, e.token); status != http.StatusUnprocessableEntity ||
				!strings.Contains(b["error"].(map[string]any)["field"].(string), "consent[2]") {
				t.Fatalf("marketing_fax: %d %v, want 422 naming consent[2]", status, b)
			}
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", orderWithMarketing, e.token); status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, b)
			}
			path := "/api/v1/customers/c-m"
			status, c, _ := e.call(t, "GET", path, "", e.token)
			cons, _ := c["consent"].(map[string]any)
			if status != http.StatusOK || cons == nil {
				t.Fatalf("get: %d %v", status, c)
			}
			email, sms := cons["email"].(map[string]any), cons["sms"].(map[string]any)
			if email["marketing"] != true || email["marketing_source"] != "checkout checkbox" || sms["marketing"] != true ||
				sms["transactional"] != true || cons["telegram"] != nil {
				t.Fatalf("consents from the order: %v", cons)
			}
			id := int64(c["id"].(float64))

			before := e.customerState(t, id)
			for _, tc := range []struct{ name, body, field, code string }{
				{"grant without proof", `{"consent": {"marketing_telegram": true}}`, "consent_source", "required"},
				{"wrong type", `{"consent": {"marketing_sms": "yes"}}`, "consent.marketing_sms", "wrong_type"},
				{"contradiction", `{"consent": {"marketing_email": true, "email": {"marketing": false}}, "consent_source": "form"}`,
					"consent.marketing_email", "invalid"},
				{"unknown entry", `{"consent": {"marketing_fax": true}}`, "consent.marketing_fax", "unknown"},
			} {
				status, b, _ := e.call(t, "PATCH", path, tc.body, e.token)
				er, _ := b["error"].(map[string]any)
				if status != http.StatusUnprocessableEntity || er == nil || er["field"] != tc.field || er["code"] != tc.code {
					t.Errorf("%s: %d %v; want 422 naming %q (%s)", tc.name, status, b, tc.field, tc.code)
				}
				if after := e.customerState(t, id); after != before {
					t.Errorf("%s: a refused patch wrote: %s → %s", tc.name, before, after)
				}
			}

			status, b, _ := e.call(t, "PATCH", path, `{"consent": {"marketing_telegram": true, "marketing_sms": false}, "consent_source": "newsletter form"}`, e.token)
			cons, _ = b["consent"].(map[string]any)
			if status != http.StatusOK || cons["telegram"].(map[string]any)["marketing"] != true ||
				!strings.HasPrefix(cons["telegram"].(map[string]any)["marketing_source"].(string), "newsletter form") ||
				cons["sms"].(map[string]any)["marketing"] != false || cons["sms"].(map[string]any)["transactional"] != true {
				t.Errorf("marketing entries: %d %v", status, b)
			}
		})
	}
}
