package custom

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

func parse(t *testing.T, w *Webhook, body string) (connector.Delivery, error) {
	t.Helper()
	return w.Parse(connector.Request{Header: http.Header{}, Body: []byte(body)})
}

// TestStatusMap: the mapping's statuses (exact, then ignoring case), the
// connector's own statuses under them, a shopcare status's own name, ""
// to leave the status alone; any other value is an error naming it.
func TestStatusMap(t *testing.T) {
	t.Parallel()
	m := mapping(t, "order_id: /id\nstatus: /state\nstatuses: {Sent: shipped, Waiting: \"\", Done: delivered}")
	w := NewWebhook(connectorOptions(m, map[string]string{"Done": "cancelled", "Packed": "ready_to_ship", "Odd": "lost"}))
	tests := []struct {
		state string
		want  order.Status
		err   string
	}{
		{"Sent", order.Shipped, ""},
		{"sent", order.Shipped, ""},
		{"Done", order.Delivered, ""}, // the mapping's wins over the connector's
		{"Packed", order.ReadyToShip, ""},
		{"Waiting", "", ""},
		{"returned", order.Returned, ""},
		{"", "", ""},
		{"Lost in space", "", `status: "Lost in space" at /state is not in the mapping's statuses`},
		{"Odd", "", `status: the mapping sends "Odd" at /state to "lost", which is not an order status`},
	}
	for _, tt := range tests {
		d, err := parse(t, w, `{"id": 7, "state": "`+tt.state+`"}`)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.state, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.state, err)
		case d.Order.Status != tt.want:
			t.Errorf("%q: status %q, want %q", tt.state, d.Order.Status, tt.want)
		}
	}
	// a numeric status is read as its digits
	w = webhook(t, "order_id: /id\nstatus: /state\nstatuses: {\"3\": shipped}")
	if d, err := parse(t, w, `{"id": 7, "state": 3}`); err != nil || d.Order.Status != order.Shipped {
		t.Errorf("numeric status: %+v, %v", d.Order, err)
	}
}

func connectorOptions(m *config.Mapping, statuses map[string]string) connector.Options {
	return connector.Options{WebhookSecret: secret, Statuses: statuses, Mapping: m}
}

// TestEvents: order_updated without an event key; the events map; an
// event's own name; anything else ignored (no order needed); a missing
// event is an error; the event may come from a header.
func TestEvents(t *testing.T) {
	t.Parallel()
	w := webhook(t, "order_id: /id")
	if d, err := parse(t, w, `{"id": "A-1"}`); err != nil || d.Event != connector.OrderUpdated || d.OrderID != "A-1" {
		t.Errorf("no event key: %+v, %v", d, err)
	}
	w = webhook(t, "order_id: /order/id\nevent: /type\nevents: {new_order: order_created, PAID: order_paid, hello: ping}")
	tests := []struct {
		body string
		want connector.Event
		err  string
	}{
		{`{"type": "new_order", "order": {"id": 1}}`, connector.OrderCreated, ""},
		{`{"type": "paid", "order": {"id": 1}}`, connector.OrderPaid, ""},
		{`{"type": "order_cancelled", "order": {"id": 1}}`, connector.OrderCancelled, ""},
		{`{"type": "hello"}`, connector.Ping, ""},
		{`{"type": "product.updated", "product": {"id": 9}}`, connector.Ignored, ""},
		{`{"order": {"id": 1}}`, "", "event: nothing at /type"},
		{`{"type": {"name": "x"}, "order": {"id": 1}}`, "", "event: /type is an object, want text"},
		{`{"type": "new_order"}`, "", "order_id: no order id at /order/id"},
	}
	for _, tt := range tests {
		d, err := parse(t, w, tt.body)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err = %v, want %q", tt.body, err, tt.err)
			}
		case err != nil || d.Event != tt.want:
			t.Errorf("%s: %+v, %v; want %s", tt.body, d, err, tt.want)
		}
	}
	// settings that were never validated cannot smuggle in an event
	unchecked := NewWebhook(connector.Options{WebhookSecret: secret, Mapping: &config.Mapping{OrderID: "/id", Event: "/e", Events: map[string]string{"x": "order_exploded"}}})
	if _, err := parse(t, unchecked, `{"id": 1, "e": "x"}`); err == nil || !strings.Contains(err.Error(), `event: the mapping sends "x" to "order_exploded", which is not an event`) {
		t.Errorf("unchecked event: %v", err)
	}
	noID := NewWebhook(connector.Options{WebhookSecret: secret, Mapping: &config.Mapping{Number: "/n"}})
	if _, err := parse(t, noID, `{"n": 1}`); err == nil || !strings.Contains(err.Error(), "order_id: the mapping has no order_id") {
		t.Errorf("no order_id: %v", err)
	}
	// a problem elsewhere does not hide a missing event
	both := webhook(t, "order_id: /id\nevent: /e\ndelivery_id: /dlv")
	if _, err := parse(t, both, `{"id": 1, "dlv": {}}`); err == nil || !strings.Contains(err.Error(), "event: nothing at /e") || !strings.Contains(err.Error(), "delivery_id: /dlv is an object") {
		t.Errorf("two problems: %v", err)
	}
	h := webhook(t, "order_id: /id\nevent: X-Shop-Event\nevents: {created: order_created}\ndelivery_id: X-Delivery")
	req := connector.Request{Header: http.Header{}, Body: []byte(`{"id": 5}`)}
	req.Header.Set("X-Shop-Event", "created")
	req.Header.Set("X-Delivery", "dlv-77")
	if d, err := h.Parse(req); err != nil || d.Event != connector.OrderCreated || d.ID != "dlv-77" || d.Topic != "created" {
		t.Errorf("header event: %+v, %v", d, err)
	}
	req.Header.Del("X-Shop-Event")
	if _, err := h.Parse(req); err == nil || !strings.Contains(err.Error(), "event: no X-Shop-Event header") {
		t.Errorf("no event header: %v", err)
	}
}

// TestTimes reads every time format, in the mapping's zone where the
// text has no offset; MySQL's zero date and unix 0 are no time.
func TestTimes(t *testing.T) {
	t.Parallel()
	riga, _ := time.LoadLocation("Europe/Riga")
	tests := []struct {
		format, zone, value string
		want                time.Time
	}{
		{"", "", `"2025-03-01T14:05:00+02:00"`, time.Date(2025, 3, 1, 12, 5, 0, 0, time.UTC)},
		{"rfc3339", "Europe/Riga", `"2025-03-01T14:05:00"`, time.Date(2025, 3, 1, 14, 5, 0, 0, riga)},
		{"unix", "", `1740837900`, time.Unix(1740837900, 0)},
		{"unix", "", `"1740837900"`, time.Unix(1740837900, 0)},
		{"unix", "", `1740837900.25`, time.Unix(1740837900, 250_000_000)},
		{"unix_ms", "", `1740837900123`, time.UnixMilli(1740837900123)},
		{"02.01.2006 15:04", "Europe/Riga", `"01.03.2025 14:05"`, time.Date(2025, 3, 1, 14, 5, 0, 0, riga)},
		{"2006-01-02 15:04:05", "", `"0000-00-00 00:00:00"`, time.Time{}},
		{"unix", "", `0`, time.Time{}},
		{"unix", "", `null`, time.Time{}},
	}
	for _, tt := range tests {
		doc := "order_id: /id\nplaced_at: /at\n"
		if tt.format != "" {
			doc += "time_format: \"" + tt.format + "\"\n"
		}
		if tt.zone != "" {
			doc += "time_zone: " + tt.zone + "\n"
		}
		d, err := parse(t, webhook(t, doc), `{"id": 1, "at": `+tt.value+`}`)
		if err != nil || !d.Order.PlacedAt.Equal(tt.want) {
			t.Errorf("%s %s: %v, %v; want %v", tt.format, tt.value, d.Order, err, tt.want)
		}
	}
}

// TestParseErrorsNameTheField: every problem names the mapping's key and
// the pointer, and all of a delivery's problems come at once.
func TestParseErrorsNameTheField(t *testing.T) {
	t.Parallel()
	const full = `
order_id: /id
number: /number
placed_at: /placed
currency: /currency
total: /total
paid: /paid
payment_method: /pm
language: /lang
marketing_consent: /consent
email: /customer/email
customer_name: [/customer/first, /customer/last]
items: {path: /lines, sku: /sku, name: /name, qty: /qty, price: /price}
`
	tests := []struct {
		name, mapping, body, want string
	}{
		{"no order id", full, `{"number": "1"}`, "order_id: no order id at /id: the order's id is required"},
		{"empty order id", full, `{"id": ""}`, "order_id: no order id at /id"},
		{"order id object", full, `{"id": {"x": 1}}`, "order_id: /id is an object, want text or a number"},
		{"order id true", full, `{"id": true}`, "order_id: /id is true or false, want text or a number"},
		{"through a string", full, `{"id": 1, "customer": "guest"}`, `email: cannot follow /customer/email: /customer is a string, not an object or an array`},
		{"total text", full, `{"id": 1, "total": "lots"}`, `total: "lots" at /total is not an amount`},
		{"total decimals", full, `{"id": 1, "total": 1.005}`, `total: "1.005" at /total has more than 2 decimal places`},
		{"total yen decimals", full, `{"id": 1, "currency": "JPY", "total": "100.5"}`, "more than 0 decimal places"},
		{"total negative", full, `{"id": 1, "total": -5}`, `total: "-5" at /total is negative`},
		{"total array", full, `{"id": 1, "total": [1]}`, "total: /total is an array, want a number"},
		{"minor fraction", full + "money: minor\n", `{"id": 1, "total": 12.5}`, "not a whole number of minor units"},
		{"currency", full, `{"id": 1, "currency": "EURO"}`, `currency: "EURO" at /currency is not an ISO 4217 currency code`},
		{"paid", full, `{"id": 1, "paid": "maybe"}`, `paid: "maybe" at /paid is not true or false`},
		{"paid object", full + "paid_values: [ok]\n", `{"id": 1, "paid": {}}`, "paid: /paid is an object"},
		{"consent", full, `{"id": 1, "consent": [true]}`, "marketing_consent: /consent is an array, want true or false"},
		{"language", full, `{"id": 1, "lang": "Latviešu"}`, `language: "Latviešu" at /lang is not a language code`},
		{"payment method", full, `{"id": 1, "pm": "crypto"}`, `payment_method: "crypto" at /pm is not in the mapping's payment_methods`},
		{"placed at", full, `{"id": 1, "placed": "yesterday"}`, `placed_at: "yesterday" at /placed is not an RFC 3339 time`},
		{"placed at layout", full + "time_format: \"2006-01-02\"\n", `{"id": 1, "placed": "01.03.2025"}`, `placed_at: "01.03.2025" at /placed is not a time written as "2006-01-02"`},
		{"placed at unix", full + "time_format: unix\n", `{"id": 1, "placed": "2025-03-01"}`, "placed_at: \"2025-03-01\" at /placed is not a time in seconds since 1970"},
		{"items object", full, `{"id": 1, "lines": {"sku": "A"}}`, "items: /lines is an object, want an array of lines"},
		{"item qty text", full, `{"id": 1, "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": "two"}]}`, `items[1].qty: "two" at /qty is not a whole number`},
		{"item qty zero", full, `{"id": 1, "lines": [{"sku": "A", "qty": 0}]}`, "items[0].qty: 0 at /qty: must be at least 1"},
		{"item qty fraction", full, `{"id": 1, "lines": [{"sku": "A", "qty": 1.5}]}`, `items[0].qty: "1.5" at /qty is not a whole number`},
		{"item nameless", full, `{"id": 1, "lines": [{"sku": "A"}, {"qty": 1}]}`, "items[1].sku: line 1 has neither a SKU (/sku) nor a name (/name)"},
		{"item price", full, `{"id": 1, "lines": [{"sku": "A", "price": "1,2,3"}]}`, `items[0].price: "1,2,3" at /price is not an amount`},
		{"item not an object", full, `{"id": 1, "lines": ["A"]}`, "items[0]: line 0 of /lines is a string, want an object"},
		{"control character", full, `{"id": 1, "customer": {"email": "a\u0000@b.lv"}}`, "email: /customer/email:"},
		{"name list", full, `{"id": 1, "customer": {"first": 5, "last": {}}}`, "customer_name: /customer/last is an object"},
		{"not JSON", full, `{"id": 1`, "the body is not JSON"},
		{"two documents", full, `{"id": 1} {"id": 2}`, "more after the JSON document"},
		{"array document", full, `[1, 2]`, `order_id: cannot follow /id: the document is an array and "id" is not an index of it`},
		{"too many lines", full, `{"id": 1, "lines": [` + strings.Repeat(`{"sku": "A"},`, maxItems) + `{"sku": "A"}]}`, "more than 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := parse(t, webhook(t, tt.mapping), tt.body)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse = %+v, %v; want an error saying %q", d, err, tt.want)
			}
		})
	}
}

// TestAllProblemsAtOnce: one delivery reports each of its problems, but
// never more than maxProblems.
func TestAllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	w := webhook(t, "order_id: /id\ntotal: /total\nitems: {path: /lines, sku: /sku, qty: /qty}")
	_, err := parse(t, w, `{"total": "x", "lines": [{"sku": "A", "qty": 0}]}`)
	var list invalid.List
	if !errors.As(err, &list) || len(list) != 3 || list[0].Field != "order_id" || list[1].Field != "total" || list[2].Field != "items[0].qty" {
		t.Fatalf("Parse = %v", err)
	}
	_, err = parse(t, w, `{"id": 1, "lines": [`+strings.Repeat(`{"sku": "A", "qty": 0},`, 99)+`{"sku": "A", "qty": 0}]}`)
	if !errors.As(err, &list) || len(list) != maxProblems {
		t.Errorf("problems = %d, want %d", len(list), maxProblems)
	}
}

// TestNumbersAsWritten: ids keep their digits (no float rounding), and
// amounts and quantities come as JSON numbers or numeric strings.
func TestNumbersAsWritten(t *testing.T) {
	t.Parallel()
	w := webhook(t, "order_id: /id\ntotal: /total\nitems: {path: /lines, sku: /sku, qty: /qty, price: /price}\npaid: /paid\nmarketing_consent: /c")
	d, err := parse(t, w, `{"id": 9007199254740993, "total": "1 234,50", "lines": [{"sku": 42, "qty": "3", "price": 10}], "paid": 1, "c": "no"}`)
	if err != nil {
		t.Fatal(err)
	}
	o := d.Order
	if o.ID != "9007199254740993" || o.TotalMinor != 123450 || o.Items[0].SKU != "42" || o.Items[0].Qty != 3 || o.Items[0].PriceMinor != 1000 ||
		!o.Payment.Paid || o.MarketingConsent == nil || *o.MarketingConsent {
		t.Errorf("order = %+v", o)
	}
	if o.Status != "" || o.Fulfillments != nil || o.Customer.Name != "" {
		t.Errorf("unmapped fields are empty: %+v", o)
	}
}

// TestEventsSayWhatThePayloadDoesNot: order_cancelled cancels an order
// whose status says nothing; order_paid pays one without a paid flag.
func TestEventsSayWhatThePayloadDoesNot(t *testing.T) {
	t.Parallel()
	w := webhook(t, "order_id: /id\nevent: /e\nevents: {void: order_cancelled, money: order_paid}\nstatus: /s\nstatuses: {open: \"\", sent: shipped}")
	tests := []struct {
		body   string
		status order.Status
		paid   bool
	}{
		{`{"id": 1, "e": "void"}`, order.Cancelled, false},
		{`{"id": 1, "e": "void", "s": "open"}`, order.Cancelled, false},
		{`{"id": 1, "e": "void", "s": "sent"}`, order.Shipped, false}, // the status, when it says one
		{`{"id": 1, "e": "money"}`, "", true},
		{`{"id": 1, "e": "order_updated"}`, "", false},
	}
	for _, tt := range tests {
		d, err := parse(t, w, tt.body)
		if err != nil || d.Order.Status != tt.status || d.Order.Payment.Paid != tt.paid {
			t.Errorf("%s: %+v, %v", tt.body, d.Order, err)
		}
	}
	flagged := webhook(t, "order_id: /id\nevent: /e\npaid: /paid")
	if d, err := parse(t, flagged, `{"id": 1, "e": "order_paid", "paid": false}`); err != nil || d.Order.Payment.Paid {
		t.Errorf("a paid flag wins: %+v, %v", d.Order, err)
	}
}
