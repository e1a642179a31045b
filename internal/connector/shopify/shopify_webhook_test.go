package shopify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

const secret = "hush"

// sign computes X-Shopify-Hmac-Sha256 as Shopify does.
func sign(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// delivery is a request as Shopify sends it.
func delivery(topic string, body []byte) connector.Request {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Shopify-Topic", topic)
	h.Set("X-Shopify-Hmac-Sha256", sign(secret, body))
	h.Set("X-Shopify-Shop-Domain", "johns-apparel.myshopify.com")
	h.Set("X-Shopify-API-Version", APIVersion)
	h.Set("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
	h.Set("X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5")
	h.Set("X-Shopify-Triggered-At", "2023-03-29T18:00:27.877041743Z")
	return connector.Request{Header: h, Body: body, ReceivedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
}

func adapter() *Adapter { return NewAdapter(connector.Options{Name: "shop", WebhookSecret: secret}) }

func TestVerify(t *testing.T) {
	t.Parallel()
	body := readFixture(t, "orders_create.json")
	tests := []struct {
		name   string
		mutate func(r *connector.Request, a *Adapter)
		ok     bool
	}{
		{"as sent", func(*connector.Request, *Adapter) {}, true},
		{"body changed", func(r *connector.Request, _ *Adapter) { r.Body = append([]byte(" "), r.Body...) }, false},
		{"other secret", func(r *connector.Request, _ *Adapter) { r.Header.Set(headerHMAC, sign("other", r.Body)) }, false},
		{"no header", func(r *connector.Request, _ *Adapter) { r.Header.Del(headerHMAC) }, false},
		{"not base64", func(r *connector.Request, _ *Adapter) { r.Header.Set(headerHMAC, "%%%") }, false},
		{"hex instead of base64", func(r *connector.Request, _ *Adapter) {
			m := hmac.New(sha256.New, []byte(secret))
			m.Write(r.Body)
			r.Header.Set(headerHMAC, strings.ToLower(string(m.Sum(nil))))
		}, false},
		{"no secret configured", func(_ *connector.Request, a *Adapter) { a.opts.WebhookSecret = "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := adapter()
			r := delivery("orders/create", append([]byte(nil), body...))
			tt.mutate(&r, a)
			err := a.Verify(r)
			if tt.ok && err != nil || !tt.ok && !errors.Is(err, connector.ErrUnauthorized) {
				t.Errorf("Verify = %v", err)
			}
		})
	}
}

func TestParseOrderCreate(t *testing.T) {
	t.Parallel()
	r := delivery("orders/create", readFixture(t, "orders_create.json"))
	d, err := adapter().Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "orders/create:98880550-7158-44d4-b7cd-2c97c8a091b5" || d.Event != connector.OrderCreated || d.OrderID != "820982911946154508" {
		t.Errorf("delivery = %+v", d)
	}
	o := d.Order
	placed := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	if o.ID != "820982911946154508" || o.Number != "#9999" || !o.PlacedAt.Equal(placed) || o.Currency != "USD" || o.TotalMinor != 40495 {
		t.Errorf("order = %+v", o)
	}
	// The documented sample is a cancelled, voided test order.
	if o.Status != order.Cancelled || o.Payment != (order.Payment{Method: "prepaid"}) {
		t.Errorf("status %q, payment %+v", o.Status, o.Payment)
	}
	c := o.Customer
	if c.ExternalID != "115310627314723954" || c.Name != "John Smith" || c.Email != "jon@example.com" || c.Phone != "555-555-SHIP" ||
		c.Language != "en" || c.Country != "US" || c.City != "Shippington" {
		t.Errorf("customer = %+v", c)
	}
	if o.MarketingConsent == nil || !*o.MarketingConsent {
		t.Errorf("consent = %v, want buyer_accepts_marketing true", o.MarketingConsent)
	}
	if o.Address != "123 Shipping Street, Shippington, Kentucky, 40003, United States" || o.Shipping != "Generic Shipping" {
		t.Errorf("address %q, shipping %q", o.Address, o.Shipping)
	}
	// The sample's line has "variant_id": null: no variant id.
	if len(o.Items) != 1 || o.Items[0] != (order.Item{SKU: "SKU2006-001", Name: "Aviator sunglasses", Qty: 1, PriceMinor: 8999}) {
		t.Errorf("items = %+v", o.Items)
	}
}

// TestParseVariantID: a line's variant_id, a number in Shopify's payload,
// is kept as its decimal digits for the cart permalink; null leaves none,
// and what is not an id is refused naming the field.
func TestParseVariantID(t *testing.T) {
	t.Parallel()
	sample := readFixture(t, "orders_create.json")
	for _, c := range []struct{ value, want string }{
		{"44102623193251", "44102623193251"},
		{`"44102623193251"`, "44102623193251"},
		{`"gid://shopify/ProductVariant/44102623193251"`, "44102623193251"},
		{"null", ""},
	} {
		body := bytes.Replace(sample, []byte(`"variant_id": null`), []byte(`"variant_id": `+c.value), 1)
		d, err := adapter().Parse(delivery("orders/create", body))
		if err != nil {
			t.Errorf("variant_id %s: %v", c.value, err)
			continue
		}
		if got := d.Order.Items[0].VariantID; got != c.want {
			t.Errorf("variant_id %s gave %q, want %q", c.value, got, c.want)
		}
	}
	body := bytes.Replace(sample, []byte(`"variant_id": null`), []byte(`"variant_id": 4.4e13`), 1)
	if _, err := adapter().Parse(delivery("orders/create", body)); err == nil || !strings.Contains(err.Error(), "variant_id") {
		t.Errorf("a variant_id that is no id: %v, want an error naming it", err)
	}
}

func TestParseTopics(t *testing.T) {
	t.Parallel()
	ord := readFixture(t, "orders_create.json")
	tests := []struct {
		topic, fixture string
		event          connector.Event
		orderID        string
		hasOrder       bool
	}{
		{"orders/updated", "orders_create.json", connector.OrderUpdated, "820982911946154508", true},
		{"orders/paid", "orders_create.json", connector.OrderPaid, "820982911946154508", true},
		{"orders/cancelled", "orders_create.json", connector.OrderCancelled, "820982911946154508", true},
		{"orders/fulfilled", "orders_create.json", connector.OrderFulfilled, "820982911946154508", true},
		{"orders/partially_fulfilled", "orders_create.json", connector.OrderUpdated, "820982911946154508", true},
		{"fulfillments/create", "fulfillments_create.json", connector.OrderFulfilled, "820982911946154508", false},
		{"fulfillments/update", "fulfillments_create.json", connector.OrderFulfilled, "820982911946154508", false},
		{"refunds/create", "refunds_create.json", connector.OrderRefunded, "820982911946154508", false},
		{"products/update", "orders_create.json", connector.Ignored, "", false},
		{"orders/delete", "orders_create.json", connector.Ignored, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			t.Parallel()
			body := ord
			if tt.fixture != "orders_create.json" {
				body = readFixture(t, tt.fixture)
			}
			d, err := adapter().Parse(delivery(tt.topic, body))
			if err != nil {
				t.Fatal(err)
			}
			if d.Event != tt.event || d.OrderID != tt.orderID || (d.Order != nil) != tt.hasOrder || d.Topic != tt.topic {
				t.Errorf("delivery = %+v", d)
			}
			if !strings.HasPrefix(d.ID, tt.topic+":") {
				t.Errorf("ID = %q", d.ID)
			}
		})
	}
}

func TestParseDeliveryID(t *testing.T) {
	t.Parallel()
	body := readFixture(t, "orders_create.json")
	r := delivery("orders/paid", body)
	first, _ := adapter().Parse(r)
	r.Header.Set("X-Shopify-Webhook-Id", "another-attempt") // a retry: new webhook id, same event id
	retry, _ := adapter().Parse(r)
	if first.ID != retry.ID {
		t.Errorf("a retry changed the delivery id: %q → %q", first.ID, retry.ID)
	}
	other, _ := adapter().Parse(delivery("orders/updated", body)) // same merchant action, other topic
	if other.ID == first.ID {
		t.Errorf("two topics of one event share the id %q", first.ID)
	}
	r.Header.Del("X-Shopify-Event-Id")
	old, _ := adapter().Parse(r)
	if old.ID != "orders/paid:another-attempt" {
		t.Errorf("without an event id: %q", old.ID)
	}
}

func TestParseFulfilledOrder(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":450789469,"name":"#1001","created_at":"2008-01-10T11:00:00-05:00","currency":"RUB","total_price":"1500.00",
		"financial_status":"pending","fulfillment_status":"fulfilled","gateway":"Cash on Delivery (COD)","customer_locale":"ru-RU",
		"customer":{"id":207119551,"email":"bob@example.ru","email_marketing_consent":{"state":"not_subscribed"},"accepts_marketing":true},
		"fulfillments":[{"id":255858046,"status":"cancelled","tracking_company":"СДЭК","tracking_numbers":["0"]},
		{"id":255858047,"status":"success","created_at":"2008-01-11T11:00:00-05:00","tracking_company":"СДЭК","tracking_number":"1234567890","tracking_numbers":["1234567890"],"tracking_urls":["https://www.cdek.ru/ru/tracking?order_id=1234567890"]}],
		"line_items":[{"sku":"A","title":"Кружка","quantity":3,"price":"500"}]}`)
	d, err := adapter().Parse(delivery("orders/fulfilled", body))
	if err != nil {
		t.Fatal(err)
	}
	o := d.Order
	if o.Status != order.Shipped || o.Payment != (order.Payment{Method: "cod"}) || o.TotalMinor != 150000 || o.Customer.Language != "ru" {
		t.Errorf("order = %+v", o)
	}
	if o.MarketingConsent == nil || *o.MarketingConsent {
		t.Errorf("consent = %v: email_marketing_consent says not subscribed", o.MarketingConsent)
	}
	if len(o.Fulfillments) != 1 || o.Fulfillments[0].ID != "255858047" || o.Fulfillments[0].Carrier != "СДЭК" ||
		o.Fulfillments[0].TrackingNumber != "1234567890" || o.Fulfillments[0].TrackingURL == "" {
		t.Errorf("fulfillments = %+v", o.Fulfillments)
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, field string }{
		{`{"id":1,"created_at":"2024-01-01T00:00:00Z","currency":"EUR","line_items":[{"quantity":1,"price":"1"},{"quantity":1,"price":"2"},{"quantity":0,"price":"3"}]}`, "line_items[2].quantity"},
		{`{"id":1,"created_at":"2024-01-01T00:00:00Z","currency":"EUR","line_items":[{"quantity":1,"price":"1.234"}]}`, "line_items[0].price"},
		{`{"id":1,"created_at":"2024-01-01T00:00:00Z","currency":"EUR","total_price":"abc"}`, "total_price"},
		{`{"id":1,"created_at":"yesterday","currency":"EUR"}`, "created_at"},
		{`{"created_at":"2024-01-01T00:00:00Z"}`, "id"},
		{`{"id":{"x":1}}`, "id"},
		{`{"id":"12a"}`, "id"},
		{`{"id":1,"line_items":[{"quantity":"two"}]}`, "line_items.quantity"},
		{`{"id":1,"customer":[]}`, "customer"},
	}
	for _, tt := range tests {
		_, err := adapter().Parse(delivery("orders/create", []byte(tt.body)))
		e, ok := invalid.First(err)
		if !ok || e.Field != tt.field {
			t.Errorf("%s: err = %v, want one on %s", tt.body, err, tt.field)
		}
	}
	if _, err := adapter().Parse(delivery("refunds/create", []byte(`{"id":1}`))); err == nil {
		t.Error("a refund without its order was accepted")
	}
	r := delivery("orders/create", []byte(`{}`))
	r.Header.Del("X-Shopify-Topic")
	if _, err := adapter().Parse(r); err == nil {
		t.Error("a delivery without a topic was accepted")
	}
}

func TestParseOtherShop(t *testing.T) {
	t.Parallel()
	body := readFixture(t, "orders_create.json")
	for url, ok := range map[string]bool{
		"https://johns-apparel.myshopify.com": true,  // the shop of the delivery
		"JOHNS-APPAREL.myshopify.com":         true,  // pasted without https, in capitals
		"https://shop.example.lv":             true,  // a custom domain: nothing to compare
		"https://another.myshopify.com":       false, // the same app in another shop
	} {
		a := NewAdapter(connector.Options{URL: url, WebhookSecret: secret})
		_, err := a.Parse(delivery("orders/create", body))
		if e, isField := invalid.First(err); ok && err != nil || !ok && (!isField || e.Field != "X-Shopify-Shop-Domain") {
			t.Errorf("%s: %v", url, err)
		}
	}
}

func TestNewHasEveryPart(t *testing.T) {
	t.Parallel()
	ad := New(connector.Options{URL: "myshop.myshopify.com"})
	if ad.Webhook == nil || ad.API == nil || ad.Registrar == nil || ad.Writer == nil {
		t.Errorf("adapter = %+v", ad)
	}
}

func BenchmarkVerifyParse(b *testing.B) {
	a := adapter()
	body, err := os.ReadFile("testdata/orders_create.json")
	if err != nil {
		b.Fatal(err)
	}
	r := delivery("orders/create", body)
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Verify(r); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Parse(r); err != nil {
			b.Fatal(err)
		}
	}
}
