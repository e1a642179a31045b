package insales

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/order"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyComparesTheSecretOfTheAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		configured string
		path       string
		query      url.Values
		ok         bool
	}{
		{"path secret", "s3cret", "s3cret", nil, true},
		{"query secret", "s3cret", "", url.Values{"secret": {"s3cret"}}, true},
		{"wrong path secret", "s3cret", "guess", nil, false},
		{"wrong query secret", "s3cret", "", url.Values{"secret": {"s3cre"}}, false},
		{"no secret sent", "s3cret", "", nil, false},
		{"none configured", "", "", nil, false},
		{"none configured, one sent", "", "anything", nil, false},
		{"path wins over query", "s3cret", "bad", url.Values{"secret": {"s3cret"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := New(connector.Options{WebhookSecret: c.configured}).Webhook
			err := w.Verify(connector.Request{PathSecret: c.path, Query: c.query, Body: fixture(t, "order_create.json")})
			if c.ok && err != nil {
				t.Fatalf("Verify = %v, want nil", err)
			}
			if !c.ok && !errors.Is(err, connector.ErrUnauthorized) {
				t.Fatalf("Verify = %v, want ErrUnauthorized", err)
			}
		})
	}
}

func TestParseOrderCreate(t *testing.T) {
	t.Parallel()
	w := New(connector.Options{WebhookSecret: "s"}).Webhook
	d, err := w.Parse(connector.Request{Body: fixture(t, "order_create.json")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Topic != "orders/create" || d.Event != connector.OrderCreated || d.OrderID != "123" {
		t.Fatalf("delivery = %+v", d)
	}
	if d.ID != "orders/create:123:2024-11-21T10:15:02.111+03:00" {
		t.Fatalf("ID = %q", d.ID)
	}
	o := d.Order
	placed := time.Date(2024, 11, 21, 7, 15, 2, 111e6, time.UTC)
	if o.ID != "123" || o.Number != "1001" || !o.PlacedAt.Equal(placed) || o.Status != order.New {
		t.Fatalf("order = %+v", o)
	}
	if o.Currency != "RUB" || o.TotalMinor != 361000 {
		t.Fatalf("money = %s %d, want RUB 361000", o.Currency, o.TotalMinor)
	}
	if o.Payment != (order.Payment{Method: "cod", Paid: false}) {
		t.Fatalf("payment = %+v", o.Payment)
	}
	if len(o.Items) != 2 || o.Items[0] != (order.Item{SKU: "TEA-001", Name: "Иван-чай ферментированный", Qty: 2, PriceMinor: 145000, VariantID: "56"}) ||
		o.Items[1].SKU != "" || o.Items[1].VariantID != "57" || o.Items[1].PriceMinor != 1000 {
		t.Fatalf("items = %+v", o.Items)
	}
	c := o.Customer
	if c.ExternalID != "5" || c.Name != "Name Surname" || c.Email != "client@example.com" || c.Phone != "+7(495)888-99-06" || c.Country != "RU" || c.City != "Manchester" {
		t.Fatalf("customer = %+v", c)
	}
	if o.MarketingConsent == nil || !*o.MarketingConsent {
		t.Fatalf("consent = %v", o.MarketingConsent)
	}
	if o.Address != "567887, state, Manchester, address" || o.Shipping != "Курьерская доставка" || o.Note != "Позвонить за час" {
		t.Fatalf("address %q shipping %q note %q", o.Address, o.Shipping, o.Note)
	}
	if len(o.Fulfillments) != 0 {
		t.Fatalf("fulfillments = %+v", o.Fulfillments)
	}
}

func TestParseOrderUpdates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file     string
		query    url.Values
		statuses map[string]string
		topic    string
		event    connector.Event
		status   order.Status
		paid     bool
		tracking string
	}{
		{"order_update_dispatched.json", nil, nil, "orders/update", connector.OrderFulfilled, order.Shipped, true, "1234567890"},
		{"order_update_dispatched.json", url.Values{"topic": {"orders/update"}}, map[string]string{"dispatched": "ready_to_ship"}, "orders/update", connector.OrderUpdated, order.ReadyToShip, true, "1234567890"},
		{"order_update_custom_status.json", nil, map[string]string{"Собран": "ready_to_ship"}, "orders/update", connector.OrderUpdated, order.ReadyToShip, false, "RA123456789RU"},
		{"order_update_custom_status.json", nil, nil, "orders/update", connector.OrderUpdated, order.Processing, false, "RA123456789RU"},
		{"order_create.json", url.Values{"topic": {"orders/update"}}, nil, "orders/update", connector.OrderUpdated, order.New, false, ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			w := New(connector.Options{Statuses: c.statuses}).Webhook
			d, err := w.Parse(connector.Request{Body: fixture(t, c.file), Query: c.query})
			if err != nil {
				t.Fatal(err)
			}
			if d.Topic != c.topic || d.Event != c.event || d.Order.Status != c.status || d.Order.Payment.Paid != c.paid {
				t.Fatalf("topic %s event %s status %s paid %v", d.Topic, d.Event, d.Order.Status, d.Order.Payment.Paid)
			}
			got := ""
			if len(d.Order.Fulfillments) == 1 {
				got = d.Order.Fulfillments[0].TrackingNumber
			}
			if got != c.tracking {
				t.Fatalf("tracking = %q, want %q", got, c.tracking)
			}
			if !strings.HasPrefix(d.ID, c.topic+":123:") {
				t.Fatalf("ID = %q", d.ID)
			}
		})
	}
}

func TestParseRefusesWhatInSalesDoesNotSendAsJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, statusMap, field string
	}{
		{"xml of something else", `<?xml version="1.0"?><client><id>1</id></client>`, "", "body: not an InSales order in XML"},
		{"broken xml", `<order><id>1</order>`, "", "body: not an InSales order in XML"},
		{"empty", "  ", "", "body: empty"},
		{"not json", "order=1", "", "body:"},
		{"no id", `{"number": 1}`, "", "id: missing"},
		{"bad quantity", `{"id": 1, "order_lines": [{"quantity": 1}, {"quantity": 1}, {"quantity": 0}]}`, "", "order_lines[2].quantity: must be at least 1"},
		{"fractional quantity", `{"id": 1, "order_lines": [{"quantity": "1.5"}]}`, "", "order_lines[0].quantity"},
		{"bad price", `{"id": 1, "order_lines": [{"quantity": 1, "sale_price": "abc"}]}`, "", "order_lines[0].sale_price"},
		{"negative total", `{"id": 1, "total_price": "-5"}`, "", "total_price: must not be negative"},
		{"bad time", `{"id": 1, "created_at": "yesterday"}`, "", "created_at"},
		{"unknown status", `{"id": 1, "fulfillment_status": "sobran"}`, "", "fulfillment_status"},
		{"status mapped to nothing", `{"id": 1, "fulfillment_status": "new"}`, "new=lost", "statuses[\"new\"]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var st map[string]string
			if k, v, ok := strings.Cut(c.statusMap, "="); ok {
				st = map[string]string{k: v}
			}
			_, err := New(connector.Options{Statuses: st}).Webhook.Parse(connector.Request{Body: []byte(c.body)})
			if err == nil || !strings.Contains(err.Error(), c.field) {
				t.Fatalf("Parse = %v, want an error naming %q", err, c.field)
			}
		})
	}
}

func TestParseXMLAsJSON(t *testing.T) {
	t.Parallel()
	w := New(connector.Options{}).Webhook
	fromJSON, err := w.Parse(connector.Request{Body: fixture(t, "order_update_dispatched.json")})
	if err != nil {
		t.Fatal(err)
	}
	fromXML, err := w.Parse(connector.Request{Body: fixture(t, "order_update_dispatched.xml")})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON, fromXML) {
		t.Fatalf("XML read as\n%+v\n%+v\nJSON as\n%+v\n%+v", fromXML, *fromXML.Order, fromJSON, *fromJSON.Order)
	}
	if fromXML.Order.Fulfillments[0].TrackingNumber != "1234567890" || len(fromXML.Order.Items) != 2 || fromXML.Order.TotalMinor != 361000 ||
		fromXML.Order.Items[0].VariantID != "56" || fromXML.Order.Items[1].VariantID != "57" {
		t.Fatalf("order = %+v", fromXML.Order)
	}
}
