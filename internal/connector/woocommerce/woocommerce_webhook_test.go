package woocommerce

import (
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

// sign computes X-WC-Webhook-Signature as WC_Webhook::generate_signature
// does: base64 of the raw HMAC-SHA256 of the body.
func sign(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// delivery is a request as WC_Webhook::deliver sends it.
func delivery(topic string, body []byte) connector.Request {
	resource, event, _ := strings.Cut(topic, ".")
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "WooCommerce/9.4.0 Hookshot (WordPress/6.7)")
	h.Set("X-WC-Webhook-Source", "https://example.com/")
	h.Set("X-WC-Webhook-Topic", topic)
	h.Set("X-WC-Webhook-Resource", resource)
	h.Set("X-WC-Webhook-Event", event)
	h.Set("X-WC-Webhook-Signature", sign(hookSecret, body))
	h.Set("X-WC-Webhook-ID", "142")
	h.Set("X-WC-Webhook-Delivery-ID", "36e520ebabc2fa725092ff4a47acedf2")
	return connector.Request{Header: h, Body: body, ReceivedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
}

// pingRequest is the activation ping of WC_Webhook::deliver_ping.
func pingRequest() connector.Request {
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("User-Agent", "WooCommerce/9.4.0 Hookshot (WordPress/6.7)")
	return connector.Request{Header: h, Body: []byte("webhook_id=142")}
}

func adapter() *Adapter { return NewAdapter(connector.Options{Name: "woo", WebhookSecret: hookSecret}) }

func TestVerify(t *testing.T) {
	t.Parallel()
	body := readFile(t, "order.json")
	tests := []struct {
		name string
		r    func() connector.Request
		ok   bool
	}{
		{"as sent", func() connector.Request { return delivery("order.created", body) }, true},
		{"the activation ping", pingRequest, true},
		{"a ping body under a topic", func() connector.Request {
			r := delivery("order.created", []byte("webhook_id=142"))
			r.Header.Del(headerSignature)
			return r
		}, false},
		{"a ping with more", func() connector.Request { r := pingRequest(); r.Body = []byte("webhook_id=142&x=1"); return r }, false},
		{"body changed", func() connector.Request {
			r := delivery("order.created", body)
			r.Body = append(append([]byte(nil), r.Body...), '\n')
			return r
		}, false},
		{"other secret", func() connector.Request {
			r := delivery("order.created", body)
			r.Header.Set(headerSignature, sign("other", body))
			return r
		}, false},
		{"no signature", func() connector.Request {
			r := delivery("order.created", body)
			r.Header.Del(headerSignature)
			return r
		}, false},
	}
	for _, tt := range tests {
		err := adapter().Verify(tt.r())
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, connector.ErrUnauthorized) {
			t.Errorf("%s: Verify = %v", tt.name, err)
		}
	}
	if err := NewAdapter(connector.Options{}).Verify(delivery("order.created", body)); !errors.Is(err, connector.ErrUnauthorized) {
		t.Errorf("without a secret: %v", err)
	}
}

func TestParsePing(t *testing.T) {
	t.Parallel()
	d, err := adapter().Parse(pingRequest())
	if err != nil || d.Event != connector.Ping || d.ID != "ping:142" {
		t.Errorf("ping = %+v, %v", d, err)
	}
}

func TestParseOrder(t *testing.T) {
	t.Parallel()
	d, err := adapter().Parse(delivery("order.created", readFile(t, "order.json")))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "order.created:727:2017-03-22T19:28:08" || d.Event != connector.OrderCreated || d.OrderID != "727" || d.Topic != "order.created" {
		t.Errorf("delivery = %+v", d)
	}
	o := d.Order
	if o.Number != "727" || !o.PlacedAt.Equal(time.Date(2017, 3, 22, 19, 28, 2, 0, time.UTC)) || o.Status != order.Processing ||
		o.Currency != "USD" || o.TotalMinor != 2935 || o.Payment != (order.Payment{Method: "prepaid", Paid: true}) {
		t.Errorf("order = %+v", o)
	}
	c := o.Customer
	if c.ExternalID != "" || c.Name != "John Doe" || c.Email != "john.doe@example.com" || c.Phone != "(555) 555-5555" || c.Country != "US" || c.City != "San Francisco" {
		t.Errorf("customer = %+v (customer_id 0 is a guest)", c)
	}
	if o.Address != "969 Market, San Francisco, CA, 94103, US" || o.Shipping != "Flat Rate" || o.MarketingConsent != nil {
		t.Errorf("address %q, shipping %q", o.Address, o.Shipping)
	}
	// A simple product (variation_id 0) is named by its product_id, a
	// variation of a variable product by its variation_id.
	want := []order.Item{{Name: "Woo Single #1", Qty: 2, PriceMinor: 300, VariantID: "93"},
		{SKU: "Bar3", Name: "Ship Your Idea &ndash; Color: Black, Size: M Test", Qty: 1, PriceMinor: 1200, VariantID: "23"}}
	if len(o.Items) != 2 || o.Items[0] != want[0] || o.Items[1] != want[1] {
		t.Errorf("items = %+v", o.Items)
	}
}

func TestParseDeliveryIDIsStable(t *testing.T) {
	t.Parallel()
	body := readFile(t, "order.json")
	first, _ := adapter().Parse(delivery("order.updated", body))
	again := delivery("order.updated", body)
	again.Header.Set("X-WC-Webhook-Delivery-ID", "b1946ac92492d2347c6235b4d2611184") // a re-send: a new hash
	second, _ := adapter().Parse(again)
	if first.ID != second.ID {
		t.Errorf("a re-send changed the id: %q → %q", first.ID, second.ID)
	}
	changed, _ := adapter().Parse(delivery("order.updated", readFile(t, "order_tracking.json")))
	if changed.ID == first.ID {
		t.Error("a new change of the order has the old id")
	}
}

func TestParseEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		topic, fixture, status string
		statuses               map[string]string
		event                  connector.Event
		want                   order.Status
	}{
		{"order.updated", "order.json", "", nil, connector.OrderUpdated, order.Processing},
		{"order.updated", "order.json", "pending", nil, connector.OrderUpdated, order.New},
		{"order.updated", "order.json", "on-hold", nil, connector.OrderUpdated, order.New},
		{"order.updated", "order.json", "cancelled", nil, connector.OrderCancelled, order.Cancelled},
		{"order.updated", "order.json", "refunded", nil, connector.OrderRefunded, order.Cancelled},
		{"order.updated", "order_tracking.json", "refunded", nil, connector.OrderRefunded, order.Returned},
		{"order.updated", "order_tracking.json", "", nil, connector.OrderFulfilled, order.Shipped},
		{"order.updated", "order.json", "delivered", map[string]string{"delivered": "delivered"}, connector.OrderUpdated, order.Delivered},
		{"order.updated", "order.json", "ready-pickup", nil, connector.OrderUpdated, ""},
		{"order.restored", "order.json", "", nil, connector.OrderUpdated, order.Processing},
	}
	for _, tt := range tests {
		body := readFile(t, tt.fixture)
		if tt.status != "" {
			body = []byte(strings.Replace(string(body), `"status": "`+statusOf(t, tt.fixture)+`"`, `"status": "`+tt.status+`"`, 1))
		}
		a := NewAdapter(connector.Options{WebhookSecret: hookSecret, Statuses: tt.statuses})
		d, err := a.Parse(delivery(tt.topic, body))
		if err != nil {
			t.Fatal(err)
		}
		if d.Event != tt.event || d.Order.Status != tt.want {
			t.Errorf("%s %s %s: event %s, status %q; want %s, %q", tt.topic, tt.fixture, tt.status, d.Event, d.Order.Status, tt.event, tt.want)
		}
	}
}

func statusOf(t *testing.T, fixture string) string {
	t.Helper()
	s, _ := readOrder(t, fixture)["status"].(string)
	return s
}

func TestParseTracking(t *testing.T) {
	t.Parallel()
	d, err := adapter().Parse(delivery("order.updated", readFile(t, "order_tracking.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Fulfillment{ID: "5c6cf0e0d1a3b0a8a5a4f3d2c1b0a9f8", Carrier: "Omniva", TrackingNumber: "CC123456785LV",
		TrackingURL: "https://www.omniva.lv/private/track-and-trace?barcode=CC123456785LV", At: time.Unix(1490227200, 0).UTC()}
	if len(d.Order.Fulfillments) != 1 || d.Order.Fulfillments[0] != want {
		t.Errorf("fulfillments = %+v", d.Order.Fulfillments)
	}
}

func TestParseCODAndCustomer(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"55","number":"RU-55","status":"processing","currency":"RUB","date_created_gmt":"2026-11-30T09:00:00",
		"total":"1990.00","customer_id":17,"payment_method":"cod","date_paid_gmt":null,
		"billing":{"first_name":"Анна","last_name":"Петрова","email":"anna@example.ru","phone":"+7 912 000-00-00","country":"RU","city":"Пермь","address_1":"ул. Ленина, 1"},
		"shipping":{"address_1":""},"line_items":[{"name":"Чашка","quantity":3,"subtotal":"1990.00","price":663.3333333}],
		"shipping_lines":[{"method_title":"СДЭК до пункта выдачи"}]}`)
	d, err := adapter().Parse(delivery("order.created", body))
	if err != nil {
		t.Fatal(err)
	}
	o := d.Order
	if o.Payment != (order.Payment{Method: "cod"}) || o.Customer.ExternalID != "17" || o.Address != "ул. Ленина, 1, Пермь, RU" ||
		o.Shipping != "СДЭК до пункта выдачи" || o.Items[0].PriceMinor != 66333 || o.TotalMinor != 199000 || o.Number != "RU-55" {
		t.Errorf("order = %+v", o)
	}
}

func TestParseDeletedAndOthers(t *testing.T) {
	t.Parallel()
	d, err := adapter().Parse(delivery("order.deleted", []byte(`{"id":727}`)))
	if err != nil || d.Event != connector.Ignored || d.OrderID != "727" || d.ID != "order.deleted:727" || d.Order != nil {
		t.Errorf("deleted = %+v, %v", d, err)
	}
	d, err = adapter().Parse(delivery("product.updated", []byte(`{"id":93,"date_modified_gmt":"2017-03-22T19:28:08"}`)))
	if err != nil || d.Event != connector.Ignored || d.ID != "product.updated:93:2017-03-22T19:28:08" {
		t.Errorf("product = %+v, %v", d, err)
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, field string }{
		{`{"id":1,"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00","line_items":[{"quantity":1},{"quantity":2},{"quantity":0}]}`, "line_items[2].quantity"},
		{`{"id":1,"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00","total":"1.234"}`, "total"},
		{`{"id":1,"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00","line_items":[{"quantity":1,"subtotal":"x"}]}`, "line_items[0].subtotal"},
		{`{"id":1,"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00","line_items":[{"quantity":1,"price":"x"}]}`, "line_items[0].price"},
		{`{"id":1,"currency":"EUR","date_created_gmt":"yesterday"}`, "date_created_gmt"},
		{`{"id":1,"currency":"EUR"}`, "date_created_gmt"},
		{`{"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00"}`, "id"},
		{`{"id":"x1"}`, "id"},
		{`{"id":1,"total":{}}`, "total"},
		{`{"id":1,"billing":"none"}`, "billing"},
		{`{"id":1,"currency":"EUR","date_created_gmt":"2024-01-01T00:00:00","meta_data":[{"key":"a"},{"key":"_wc_shipment_tracking_items","value":"CC1"}]}`, "meta_data[1].value"},
	}
	for _, tt := range tests {
		_, err := adapter().Parse(delivery("order.updated", []byte(tt.body)))
		e, ok := invalid.First(err)
		if !ok || e.Field != tt.field {
			t.Errorf("%s: err = %v, want one on %s", tt.body, err, tt.field)
		}
	}
	r := delivery("order.updated", []byte(`{}`))
	r.Header.Del(headerTopic)
	if _, err := adapter().Parse(r); err == nil {
		t.Error("a delivery without a topic was taken")
	}
}

func TestParseShopStatusesAndMissingModified(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":9,"status":"shipped","currency":"EUR","date_created_gmt":"2026-11-30T09:00:00"}`)
	a := NewAdapter(connector.Options{WebhookSecret: hookSecret, Statuses: map[string]string{"wc-shipped": "shipped"}})
	d, err := a.Parse(delivery("order.updated", body))
	if err != nil {
		t.Fatal(err)
	}
	if d.Order.Status != order.Shipped {
		t.Errorf("status = %q: the shop's wc-shipped maps to shipped", d.Order.Status)
	}
	if d.ID != "" {
		t.Errorf("ID = %q: without date_modified_gmt the core keys the delivery by its body", d.ID)
	}
	if got := SiteURL("shop.example.lv/"); got != "https://shop.example.lv" {
		t.Errorf("SiteURL = %q", got)
	}
}

func TestNewHasEveryPart(t *testing.T) {
	t.Parallel()
	ad := New(connector.Options{URL: "shop.example.lv"})
	if ad.Webhook == nil || ad.API == nil || ad.Registrar == nil || ad.Writer == nil {
		t.Errorf("adapter = %+v", ad)
	}
}

func BenchmarkVerifyParse(b *testing.B) {
	a := adapter()
	body, err := os.ReadFile("testdata/order_tracking.json")
	if err != nil {
		b.Fatal(err)
	}
	r := delivery("order.updated", body)
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

// TestParseLanguageFromWPML: a multilingual shop's order carries the
// language it was placed in as WPML's wpml_language meta; a language
// shopcare does not speak leaves the customer's language to the shop's.
func TestParseLanguageFromWPML(t *testing.T) {
	t.Parallel()
	for meta, want := range map[string]string{`"lv"`: "lv", `"ru"`: "ru", `"en_US"`: "en", `"de"`: "", `17`: ""} {
		body := strings.Replace(string(readFile(t, "order.json")), `"meta_data": [`,
			`"meta_data": [{"id": 1, "key": "wpml_language", "value": `+meta+`},`, 1)
		d, err := adapter().Parse(delivery("order.created", []byte(body)))
		if err != nil {
			t.Fatalf("%s: %v", meta, err)
		}
		if got := d.Order.Customer.Language; got != want {
			t.Errorf("wpml_language %s: language %q, want %q", meta, got, want)
		}
	}
}

// TestParseChannelFromAttribution: WooCommerce's order attribution gives
// the acquisition channel: the utm_source, or direct for a visit typed in.
func TestParseChannelFromAttribution(t *testing.T) {
	t.Parallel()
	for meta, want := range map[string]string{
		`{"key": "_wc_order_attribution_utm_source", "value": "Instagram"}`:                                                                 "instagram",
		`{"key": "_wc_order_attribution_source_type", "value": "typein"}, {"key": "_wc_order_attribution_utm_source", "value": "(direct)"}`: "direct",
		`{"key": "_wc_order_attribution_source_type", "value": "organic"}`:                                                                  "",
	} {
		body := strings.Replace(string(readFile(t, "order.json")), `"meta_data": [`, `"meta_data": [`+meta+`,`, 1)
		d, err := adapter().Parse(delivery("order.created", []byte(body)))
		if err != nil {
			t.Fatalf("%s: %v", meta, err)
		}
		if d.Order.Channel != want {
			t.Errorf("%s: channel %q, want %q", meta, d.Order.Channel, want)
		}
	}
}

// TestVariantID: the line's id for ?add-to-cart= is the variation's when
// there is one, else the product's, else none.
func TestVariantID(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		product, variation id
		want               string
	}{
		{"93", "0", "93"},
		{"22", "23", "23"},
		{"22", "", "22"},
		{"0", "0", ""},
		{"", "", ""},
	} {
		if got := variantID(c.product, c.variation); got != c.want {
			t.Errorf("product %q, variation %q: %q, want %q", c.product, c.variation, got, c.want)
		}
	}
}
