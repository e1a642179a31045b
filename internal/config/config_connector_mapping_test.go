package config

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/invalid"
)

// fullMapping is a mapping that uses every key.
const fullMapping = `
order_id: /order/id
number: /order/number
placed_at: /order/created
updated_at: /order/modified
time_format: "2006-01-02 15:04:05"
time_zone: Europe/Riga
event: X-Shop-Event
events: {order.new: order_created, order.paid: order_paid}
status: /order/state
statuses: {Izpildīts: delivered, "waiting~/x": ""}
paid: /order/payment/state
paid_values: [paid]
payment_method: /order/payment/method
payment_methods: {card: prepaid, cash: cod}
currency: /order/currency
total: /order/total
money: minor
customer_id: /customer/id
customer_name: [/customer/first_name, /customer/last_name]
email: /customer/email
phone: /customer/phone
language: /customer/lang
marketing_consent: /customer/newsletter
address: [/delivery/street, /delivery/city]
shipping: /delivery/method
note: /order/comment
items:
  path: /order/lines
  sku: /sku
  name: /title
  qty: /qty
  price: /unit_price
tracking_number: /shipment/tracking
carrier: /shipment/carrier
tracking_url: /shipment/url
delivery_id: /delivery_id
signature:
  header: X-Signature
  algorithm: hmac-sha256
  encoding: base64
  prefix: "sha256="
`

func decodeMapping(t *testing.T, doc string) *Mapping {
	t.Helper()
	var m Mapping
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode mapping: %v", err)
	}
	return &m
}

func TestMappingFullIsValid(t *testing.T) {
	t.Parallel()
	m := decodeMapping(t, fullMapping)
	var errs invalid.List
	m.Validate("connectors[0].mapping", &errs)
	if len(errs) != 0 {
		t.Fatalf("Validate: %v", errs)
	}
	if len(m.CustomerName) != 2 || m.CustomerName[1] != "/customer/last_name" || m.Items.Qty != "/qty" || m.Signature.Encoding != "base64" {
		t.Errorf("decoded %+v", m)
	}
	one := decodeMapping(t, "order_id: /id\ncustomer_name: /name\n")
	if len(one.CustomerName) != 1 || one.CustomerName[0] != "/name" {
		t.Errorf("one pointer: %q", one.CustomerName)
	}
	out, err := yaml.Marshal(one)
	if err != nil || !strings.Contains(string(out), "customer_name: /name\n") {
		t.Errorf("Marshal: %s, %v", out, err)
	}
}

// TestMappingErrorsNameTheKey: every problem names the mapping's key
// under the connector's, with a sentence that says how to fix it.
func TestMappingErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, field, message string
	}{
		{"no order id", "number: /n", "order_id", "required"},
		{"not a pointer", "order_id: id", "order_id", `"id" is not a JSON pointer: it must start with /`},
		{"bad escape", "order_id: /a~2b", "order_id", "write ~ as ~0"},
		{"item qty", "order_id: /id\nitems: {path: /lines, sku: /sku, qty: qty}", "items.qty", `"qty" is not a JSON pointer: it must start with /`},
		{"items without path", "order_id: /id\nitems: {sku: /sku}", "items.path", "items need path"},
		{"items without sku or name", "order_id: /id\nitems: {path: /lines, qty: /qty}", "items.sku", "sku or name"},
		{"name list", "order_id: /id\ncustomer_name: [/first, last]", "customer_name[1]", "must start with /"},
		{"empty in list", "order_id: /id\naddress: [/street, '']", "address[1]", "empty pointer"},
		{"event value", "order_id: /id\nevent: /type\nevents: {created: order_made}", "events.created", `"order_made" is not an event`},
		{"events without event", "order_id: /id\nevents: {created: order_created}", "events", "needs event"},
		{"event header", "order_id: /id\nevent: X Event", "event", "neither a JSON pointer"},
		{"delivery id", "order_id: /id\ndelivery_id: 'X-Id:'", "delivery_id", "neither a JSON pointer"},
		{"status value", "order_id: /id\nstatus: /state\nstatuses: {sent: posted}", "statuses.sent", `"posted" is not an order status`},
		{"statuses without status", "order_id: /id\nstatuses: {sent: shipped}", "statuses", "needs status"},
		{"paid values without paid", "order_id: /id\npaid_values: [paid]", "paid_values", "needs paid"},
		{"payment method", "order_id: /id\npayment_method: /pm\npayment_methods: {cash: cash}", "payment_methods.cash", "cod or prepaid"},
		{"methods without pointer", "order_id: /id\npayment_methods: {cash: cod}", "payment_methods", "needs payment_method"},
		{"money", "order_id: /id\nmoney: cents", "money", "major (12.50) or minor"},
		{"time format", "order_id: /id\ntime_format: yesterday", "time_format", "not a time format"},
		{"time zone", "order_id: /id\ntime_zone: Europe/Rigа", "time_zone", "IANA"},
		{"signature header", "order_id: /id\nsignature: {algorithm: hmac-sha256}", "signature.header", "required"},
		{"signature header name", "order_id: /id\nsignature: {header: 'X Sig'}", "signature.header", "not a header name"},
		{"algorithm", "order_id: /id\nsignature: {header: X-Sig, algorithm: md5}", "signature.algorithm", "hmac-sha256"},
		{"encoding", "order_id: /id\nsignature: {header: X-Sig, encoding: base32}", "signature.encoding", "hex or base64"},
		{"prefix", "order_id: /id\nsignature: {header: X-Sig, prefix: \"a\\nb\"}", "signature.prefix", "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var errs invalid.List
			decodeMapping(t, tt.yaml).Validate("connectors[2].mapping", &errs)
			want := "connectors[2].mapping." + tt.field
			for _, e := range errs {
				if e.Field == want && strings.Contains(e.Message, tt.message) {
					return
				}
			}
			t.Errorf("Validate = %v; want %s: …%s…", errs, want, tt.message)
		})
	}
}

func TestMappingBriefExample(t *testing.T) {
	t.Parallel()
	var errs invalid.List
	decodeMapping(t, "order_id: /id\nitems: {path: /lines, sku: /sku, qty: qty}").Validate("connectors[2].mapping", &errs)
	if len(errs) != 1 || errs.Error() != `connectors[2].mapping.items.qty: "qty" is not a JSON pointer: it must start with /` {
		t.Errorf("errors: %v", errs)
	}
}

func TestMappingPointersRefuseAMap(t *testing.T) {
	t.Parallel()
	var m Mapping
	err := yaml.Unmarshal([]byte("order_id: /id\naddress: {street: /s}\n"), &m)
	if err == nil || !strings.Contains(err.Error(), "want a JSON pointer or a list of them") {
		t.Errorf("Unmarshal = %v", err)
	}
}
