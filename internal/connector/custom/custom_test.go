package custom

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

const secret = "f3b9c1d27a6e4058b2c9e7d1a4f60b38"

// phpMapping reads testdata/php_site_order.json, signed as the PHP site
// signs it: 'sha256=' . hash_hmac('sha256', $body, $secret).
const phpMapping = `
order_id: /order/id
number: /order/number
placed_at: /order/created
updated_at: /order/modified
time_format: "2006-01-02 15:04:05"
time_zone: Europe/Riga
event: /event
events:
  order.created: order_created
  order.status_changed: order_updated
  order.paid: order_paid
  order.cancelled: order_cancelled
  ping: ping
status: /order/state
statuses:
  Jauns: new
  Apmaksāts: processing
  Komplektē: processing
  Gatavs nosūtīšanai: ready_to_ship
  Nosūtīts: shipped
  Piegādāts: delivered
  Atcelts: cancelled
  Gaida apmaksu: ""
paid: /order/payment/status
paid_values: [paid]
payment_method: /order/payment/method
payment_methods: {card: prepaid, bank: prepaid, cash: cod}
currency: /order/currency
total: /order/total
customer_id: /customer/id
customer_name: [/customer/first_name, /customer/last_name]
email: /customer/email
phone: /customer/phone
language: /customer/lang
marketing_consent: /customer/newsletter
address: [/order/delivery/terminal, /order/delivery/zip]
shipping: /order/delivery/method
note: /order/comment
items:
  path: /order/lines
  sku: /sku
  variant_id: /product_id
  name: /title
  qty: /quantity
  price: /unit_price
tracking_number: /order/shipment/tracking
carrier: /order/shipment/carrier
tracking_url: /order/shipment/url
delivery_id: /delivery_id
signature:
  header: X-Signature
  algorithm: hmac-sha256
  encoding: hex
  prefix: "sha256="
`

func mapping(t testing.TB, doc string) *config.Mapping {
	t.Helper()
	var m config.Mapping
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("mapping: %v", err)
	}
	var errs invalid.List
	m.Validate("mapping", &errs)
	if len(errs) > 0 {
		t.Fatalf("mapping: %v", errs)
	}
	return &m
}

func webhook(t testing.TB, doc string) *Webhook {
	t.Helper()
	return NewWebhook(connector.Options{Name: "site", WebhookSecret: secret, Mapping: mapping(t, doc)})
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(h func() hash.Hash, key string, body []byte) []byte {
	mac := hmac.New(h, []byte(key))
	mac.Write(body)
	return mac.Sum(nil)
}

func signedRequest(body []byte, header, value string) connector.Request {
	h := http.Header{}
	if value != "" {
		h.Set(header, value)
	}
	return connector.Request{Header: h, Query: url.Values{}, Body: body}
}

// TestPHPSiteOrder reads a shop's own PHP site's delivery end to end:
// the signature, then every field of the order.
func TestPHPSiteOrder(t *testing.T) {
	t.Parallel()
	w := webhook(t, phpMapping)
	body := fixture(t, "php_site_order.json")
	req := signedRequest(body, "X-Signature", "sha256="+hex.EncodeToString(sign(sha256.New, secret, body)))
	if err := w.Verify(req); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	d, err := w.Parse(req)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if d.ID != "d7f1c2e4-5b3a-4f7e-9c1d-2a8b6e0f4c11" || d.Event != connector.OrderUpdated || d.Topic != "order.status_changed" || d.OrderID != "4812" {
		t.Errorf("delivery = %+v", d)
	}
	o := d.Order
	riga := time.FixedZone("EET", 2*3600)
	want := connector.Order{
		ID: "4812", Number: "RK-2025-0193",
		PlacedAt:  time.Date(2025, 3, 1, 14, 5, 0, 0, riga),
		UpdatedAt: time.Date(2025, 3, 3, 11, 12, 44, 0, riga),
		Status:    order.Shipped, Payment: order.Payment{Method: "prepaid", Paid: true},
		Currency: "EUR", TotalMinor: 8740,
		Address: "Rīga, Brīvības iela 118 (Rimi), LV-1001", Shipping: "Omniva pakomāts",
		Note: "Lūdzu, zvaniet pirms piegādes",
		Items: []order.Item{
			{SKU: "MUG-CLAY-350", Name: "Māla krūze 350 ml", Qty: 2, PriceMinor: 1850, VariantID: "3107"},
			{SKU: "BOWL-BLUE-L", Name: "Zila bļoda, liela", Qty: 1, PriceMinor: 4240},
		},
	}
	if o.ID != want.ID || o.Number != want.Number || !o.PlacedAt.Equal(want.PlacedAt) || !o.UpdatedAt.Equal(want.UpdatedAt) ||
		o.Status != want.Status || o.Payment != want.Payment || o.Currency != want.Currency || o.TotalMinor != want.TotalMinor ||
		o.Address != want.Address || o.Shipping != want.Shipping || o.Note != want.Note || !slices.Equal(o.Items, want.Items) {
		t.Errorf("order =\n%+v\nwant\n%+v", *o, want)
	}
	c := o.Customer
	if c.ExternalID != "c-2291" || c.Name != "Līga Bērziņa" || c.Email != "liga.berzina@example.lv" || c.Phone != "+371 2612 3456" || c.Language != "lv" {
		t.Errorf("customer = %+v", c)
	}
	if o.MarketingConsent == nil || !*o.MarketingConsent {
		t.Errorf("marketing consent = %v", o.MarketingConsent)
	}
	if len(o.Fulfillments) != 1 || o.Fulfillments[0] != (connector.Fulfillment{Carrier: "Omniva", TrackingNumber: "CC123456785EE",
		TrackingURL: "https://www.omniva.lv/privats/sutijuma_atrasanas_vieta?barcode=CC123456785EE", At: o.UpdatedAt}) {
		t.Errorf("fulfillments = %+v", o.Fulfillments)
	}
}

// TestLemonSqueezyOrder reads a platform shopcare has no adapter for,
// with its documented payload and signature: amounts in cents.
func TestLemonSqueezyOrder(t *testing.T) {
	t.Parallel()
	w := webhook(t, `
order_id: /data/id
number: /data/attributes/order_number
placed_at: /data/attributes/created_at
updated_at: /data/attributes/updated_at
event: /meta/event_name
events: {order_created: order_created, order_refunded: order_refunded}
status: /data/attributes/status
statuses: {pending: "", failed: "", paid: "", refunded: returned, partial_refund: ""}
paid: /data/attributes/status
paid_values: [paid]
currency: /data/attributes/currency
total: /data/attributes/total
money: minor
customer_id: /data/attributes/customer_id
customer_name: /data/attributes/user_name
email: /data/attributes/user_email
signature: {header: X-Signature}
`)
	body := fixture(t, "lemonsqueezy_order_created.json")
	req := signedRequest(body, "X-Signature", hex.EncodeToString(sign(sha256.New, secret, body)))
	if err := w.Verify(req); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	d, err := w.Parse(req)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	o := d.Order
	if d.Event != connector.OrderCreated || d.OrderID != "1" || o.Number != "1" || o.TotalMinor != 1199 || o.Currency != "USD" ||
		!o.Payment.Paid || o.Status != "" || o.Customer.Email != "johndoe@example.com" || o.Customer.ExternalID != "1" ||
		!o.PlacedAt.Equal(time.Date(2021, 8, 17, 9, 45, 53, 0, time.UTC)) {
		t.Errorf("delivery %+v, order %+v", d, o)
	}
	// a subscription event of the same store is stored, not applied
	other := strings.Replace(string(body), `"order_created"`, `"subscription_created"`, 1)
	d, err = w.Parse(connector.Request{Body: []byte(other)})
	if err != nil || d.Event != connector.Ignored || d.Order != nil || d.Topic != "subscription_created" {
		t.Errorf("subscription_created: %+v, %v", d, err)
	}
}

// TestSignatures: hex and base64, with and without a prefix, in each
// algorithm; anything else is ErrUnauthorized.
func TestSignatures(t *testing.T) {
	t.Parallel()
	body := fixture(t, "php_site_order.json")
	mac256 := sign(sha256.New, secret, body)
	tests := []struct {
		name, signature, header string
		ok                      bool
	}{
		{"hex with prefix", `{header: X-Signature, encoding: hex, prefix: "sha256="}`, "sha256=" + hex.EncodeToString(mac256), true},
		{"hex upper case", `{header: X-Signature, prefix: "sha256="}`, "SHA256=" + strings.ToUpper(hex.EncodeToString(mac256)), true},
		{"hex without prefix", `{header: X-Signature}`, hex.EncodeToString(mac256), true},
		{"base64 with prefix", `{header: X-Hub-Signature, encoding: base64, prefix: "v1,"}`, "v1," + base64.StdEncoding.EncodeToString(mac256), true},
		{"base64 unpadded url", `{header: X-Hub-Signature, encoding: base64}`, base64.RawURLEncoding.EncodeToString(mac256), true},
		{"base64 padded", `{header: X-Sig, encoding: base64}`, base64.StdEncoding.EncodeToString(mac256), true},
		{"sha512", `{header: X-Sig, algorithm: hmac-sha512}`, hex.EncodeToString(sign(sha512.New, secret, body)), true},
		{"sha1", `{header: X-Sig, algorithm: hmac-sha1, encoding: base64}`, base64.StdEncoding.EncodeToString(sign(sha1.New, secret, body)), true},
		{"missing header", `{header: X-Signature}`, "", false},
		{"missing prefix", `{header: X-Signature, prefix: "sha256="}`, hex.EncodeToString(mac256), false},
		{"prefix only", `{header: X-Signature, prefix: "sha256="}`, "sha256=", false},
		{"wrong secret", `{header: X-Signature}`, hex.EncodeToString(sign(sha256.New, "another", body)), false},
		{"wrong algorithm", `{header: X-Signature, algorithm: hmac-sha512}`, hex.EncodeToString(mac256), false},
		{"base64 where hex", `{header: X-Signature}`, base64.StdEncoding.EncodeToString(mac256), false},
		{"truncated", `{header: X-Signature}`, hex.EncodeToString(mac256[:16]), false},
		{"not hex", `{header: X-Signature}`, "zz" + hex.EncodeToString(mac256)[2:], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := webhook(t, "order_id: /order/id\nsignature: "+tt.signature)
			err := w.Verify(signedRequest(body, w.m.Signature.Header, tt.header))
			if tt.ok && err != nil {
				t.Errorf("Verify: %v", err)
			}
			if !tt.ok && !errors.Is(err, connector.ErrUnauthorized) {
				t.Errorf("Verify = %v, want ErrUnauthorized", err)
			}
		})
	}
	// a body changed after signing
	w := webhook(t, "order_id: /order/id\nsignature: {header: X-Signature}")
	tampered := []byte(strings.Replace(string(body), `"87.40"`, `"0.01"`, 1))
	if err := w.Verify(signedRequest(tampered, "X-Signature", hex.EncodeToString(mac256))); !errors.Is(err, connector.ErrUnauthorized) {
		t.Errorf("tampered body: %v", err)
	}
	// a signed connector ignores a secret in the address
	req := signedRequest(body, "X-Other", "x")
	req.PathSecret = secret
	if err := w.Verify(req); !errors.Is(err, connector.ErrUnauthorized) {
		t.Errorf("path secret on a signed connector: %v", err)
	}
}

// TestPathSecret: without a signature the secret in the address guards
// the connector; a connector without a secret refuses everything.
func TestPathSecret(t *testing.T) {
	t.Parallel()
	w := webhook(t, "order_id: /id")
	tests := []struct {
		name, path, query string
		ok                bool
	}{
		{"in the path", secret, "", true},
		{"in the query", "", secret, true},
		{"path wins", secret, "wrong", true},
		{"wrong", "wrong", "", false},
		{"prefix of it", secret[:10], "", false},
		{"longer", secret + "x", "", false},
		{"none", "", "", false},
		{"wrong path, right query", "wrong", secret, false},
	}
	for _, tt := range tests {
		req := connector.Request{Header: http.Header{}, Query: url.Values{}, PathSecret: tt.path, Body: []byte(`{"id": 1}`)}
		if tt.query != "" {
			req.Query.Set("secret", tt.query)
		}
		err := w.Verify(req)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, connector.ErrUnauthorized)) {
			t.Errorf("%s: Verify = %v", tt.name, err)
		}
	}
	none := NewWebhook(connector.Options{Mapping: mapping(t, "order_id: /id")})
	if err := none.Verify(connector.Request{PathSecret: "", Query: url.Values{}}); !errors.Is(err, connector.ErrUnauthorized) {
		t.Errorf("no webhook secret: %v", err)
	}
	if err := none.Verify(connector.Request{PathSecret: "x", Query: url.Values{}}); !errors.Is(err, connector.ErrUnauthorized) {
		t.Errorf("no webhook secret, any path: %v", err)
	}
}

func TestNewAdapter(t *testing.T) {
	t.Parallel()
	a := New(connector.Options{WebhookSecret: secret, Mapping: mapping(t, "order_id: /id")})
	if a.Webhook == nil || a.API != nil || a.Registrar != nil || a.Writer != nil {
		t.Errorf("adapter = %+v", a)
	}
	none := New(connector.Options{WebhookSecret: secret})
	if _, err := none.Webhook.Parse(connector.Request{Body: []byte(`{}`)}); !errors.Is(err, ErrNoMapping) {
		t.Errorf("no mapping: %v", err)
	}
}

// TestSettingsNameTheContract: the settings' lists of events and
// statuses are the connector's and the order's.
func TestSettingsNameTheContract(t *testing.T) {
	t.Parallel()
	events := []connector.Event{connector.OrderCreated, connector.OrderUpdated, connector.OrderPaid, connector.OrderCancelled,
		connector.OrderRefunded, connector.OrderFulfilled, connector.Ping, connector.Ignored}
	if len(events) != len(config.MappingEvents) {
		t.Errorf("config.MappingEvents = %v", config.MappingEvents)
	}
	for _, e := range events {
		if !slices.Contains(config.MappingEvents, string(e)) {
			t.Errorf("config.MappingEvents lacks %s", e)
		}
	}
	if len(order.Statuses) != len(config.MappingStatuses) {
		t.Errorf("config.MappingStatuses = %v", config.MappingStatuses)
	}
	for _, s := range order.Statuses {
		if !slices.Contains(config.MappingStatuses, string(s)) {
			t.Errorf("config.MappingStatuses lacks %s", s)
		}
	}
}
