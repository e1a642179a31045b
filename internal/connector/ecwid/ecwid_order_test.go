package ecwid

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/order"
)

func TestStatuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		payment, fulfillment string
		custom               map[string]string
		want                 order.Status
	}{
		{"AWAITING_PAYMENT", "AWAITING_PROCESSING", nil, order.New},
		{"PAID", "PROCESSING", nil, order.Processing},
		{"PAID", "OUT_FOR_DELIVERY", nil, order.Shipped},
		{"PAID", "READY_FOR_PICKUP", nil, order.ReadyForPickup},
		{"CANCELLED", "AWAITING_PROCESSING", nil, order.Cancelled},
		{"REFUNDED", "PROCESSING", nil, order.Cancelled},
		{"REFUNDED", "DELIVERED", nil, order.Returned},
		{"PARTIALLY_REFUNDED", "DELIVERED", nil, order.Delivered},
		{"PAID", "WILL_NOT_DELIVER", nil, order.Cancelled},
		{"PAID", "CUSTOM_FULFILLMENT_STATUS_1", map[string]string{"CUSTOM_FULFILLMENT_STATUS_1": "ready_to_ship"}, order.ReadyToShip},
		{"INCOMPLETE", "", nil, ""},
	}
	for _, c := range cases {
		o := Order{ID: "A", PaymentStatus: c.payment, FulfillmentStatus: c.fulfillment}
		m, err := o.Map("EUR", c.custom)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.payment, c.fulfillment, err)
		}
		if m.Status != c.want {
			t.Errorf("%s/%s = %s, want %s", c.payment, c.fulfillment, m.Status, c.want)
		}
	}
}

func TestMapRefusesWithTheField(t *testing.T) {
	t.Parallel()
	cases := []struct{ body, field string }{
		{`{}`, "id: missing"},
		{`{"id":"A","fulfillmentStatus":"CUSTOM_FULFILLMENT_STATUS_2"}`, "fulfillmentStatus"},
		{`{"id":"A","items":[{"quantity":1,"price":1},{"quantity":0,"price":1}]}`, "items[1].quantity: must be at least 1"},
		{`{"id":"A","items":[{"quantity":1,"price":-1}]}`, "items[0].price: must not be negative"},
		{`{"id":"A","total":"ten"}`, "total"},
		{`{"id":"A","createDate":"4 Sept"}`, "createDate"},
	}
	for _, c := range cases {
		var o Order
		if err := json.Unmarshal([]byte(c.body), &o); err != nil {
			t.Fatal(err)
		}
		_, err := o.Map("EUR", nil)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: Map = %v, want an error naming %q", c.body, err, c.field)
		}
	}
}

func TestMapRoundsFloatPricesToCents(t *testing.T) {
	t.Parallel()
	o := Order{ID: "A"}
	if err := json.Unmarshal([]byte(`{"id":"A","total":9.090000000000001,"items":[{"quantity":3,"price":3.03}]}`), &o); err != nil {
		t.Fatal(err)
	}
	m, err := o.Map("EUR", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.TotalMinor != 909 || m.Items[0].PriceMinor != 303 {
		t.Fatalf("total %d price %d", m.TotalMinor, m.Items[0].PriceMinor)
	}
	m, err = o.Map("JPY", nil)
	if err != nil || m.TotalMinor != 9 {
		t.Fatalf("JPY total %d, %v", m.TotalMinor, err)
	}
}
