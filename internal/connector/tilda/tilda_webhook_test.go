package tilda

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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

var at = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

func TestVerify(t *testing.T) {
	t.Parallel()
	const key = "16f488f0-7878-11ed-ae0a-3bffc393cabc"
	bearer := http.Header{"Authorization": {"Bearer " + key}}
	cases := []struct {
		name       string
		configured string
		r          connector.Request
		ok         bool
	}{
		{"path", "s3cret", connector.Request{PathSecret: "s3cret", Body: fixture(t, "form.txt")}, true},
		{"query", "s3cret", connector.Request{Query: url.Values{"secret": {"s3cret"}}, Body: fixture(t, "form.txt")}, true},
		{"wrong path", "s3cret", connector.Request{PathSecret: "s3cre7", Body: fixture(t, "form.txt")}, false},
		{"nothing", "s3cret", connector.Request{Body: fixture(t, "form.txt")}, false},
		{"header key", key, connector.Request{Header: bearer, Body: fixture(t, "form.txt")}, true},
		{"wrong header key", "other", connector.Request{Header: bearer, Body: fixture(t, "form.txt")}, false},
		{"field key (JSON)", key, connector.Request{Body: fixture(t, "cart.json")}, true},
		{"field key, another secret", "s3cret", connector.Request{Body: fixture(t, "cart.json")}, false},
		{"test request with the secret", "s3cret", connector.Request{PathSecret: "s3cret", Body: fixture(t, "test.txt")}, true},
		{"test request without", "s3cret", connector.Request{Body: fixture(t, "test.txt")}, false},
		{"none configured", "", connector.Request{PathSecret: "", Body: fixture(t, "form.txt")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := New(connector.Options{WebhookSecret: c.configured}).Webhook.Verify(c.r)
			if c.ok && err != nil {
				t.Fatalf("Verify = %v", err)
			}
			if !c.ok && !errors.Is(err, connector.ErrUnauthorized) {
				t.Fatalf("Verify = %v, want ErrUnauthorized", err)
			}
		})
	}
}

func parse(t *testing.T, name string) connector.Delivery {
	t.Helper()
	d, err := New(connector.Options{WebhookSecret: "s"}).Webhook.Parse(connector.Request{Body: fixture(t, name), ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestTheConnectTestIsAPing(t *testing.T) {
	t.Parallel()
	d := parse(t, "test.txt")
	if d.Event != connector.Ping || d.Order != nil || d.ID != "" {
		t.Fatalf("delivery = %+v", d)
	}
}

func TestAFormIsANewOrder(t *testing.T) {
	t.Parallel()
	d := parse(t, "form.txt")
	if d.ID != "3456789:1234567890" || d.Event != connector.OrderCreated || d.Topic != "form:form123456789" || d.OrderID != "3456789:1234567890" {
		t.Fatalf("delivery = %+v", d)
	}
	o := d.Order
	if o.Customer.Name != "Анна Петрова" || o.Customer.Email != "anna@example.com" || o.Customer.Phone != "+7 (912) 345-67-89" || o.Customer.Language != "ru" {
		t.Fatalf("customer = %+v", o.Customer)
	}
	if !o.PlacedAt.Equal(at) || o.Note != "Перезвоните после 18:00" || len(o.Items) != 0 || o.Payment != (order.Payment{}) {
		t.Fatalf("order = %+v", o)
	}
}

func TestACartFormEncoded(t *testing.T) {
	t.Parallel()
	d := parse(t, "cart.txt")
	if d.ID != "3456789:1234567891" || d.Topic != "cart:form754184595" || d.OrderID != "2100966246" {
		t.Fatalf("delivery = %+v", d)
	}
	o := d.Order
	if o.ID != "2100966246" || o.Number != "2100966246" || o.TotalMinor != 315000 || o.Currency != "" {
		t.Fatalf("order = %+v", o)
	}
	if o.Payment != (order.Payment{Method: "prepaid", Paid: true}) {
		t.Fatalf("payment = %+v", o.Payment)
	}
	want := []order.Item{
		{SKU: "CANDLE-LAV", Name: "Свеча ручной работы «Лаванда»", Qty: 3, PriceMinor: 90000, VariantID: "k9gjeIlUdA36PVIfCbbt"},
		{Name: "Подарочная упаковка", Qty: 1, PriceMinor: 15000},
	}
	if len(o.Items) != 2 || o.Items[0] != want[0] || o.Items[1] != want[1] {
		t.Fatalf("items = %+v", o.Items)
	}
	if o.Shipping != "СДЭК до пункта выдачи" || o.Address != "RU: Point: Екатеринбург, ул. Малышева, 51 (EKB12)" || o.Customer.City != "Екатеринбург" {
		t.Fatalf("shipping %q address %q", o.Shipping, o.Address)
	}
}

func TestACartAsJSONWithProductStrings(t *testing.T) {
	t.Parallel()
	d := parse(t, "cart.json")
	o := d.Order
	if d.ID != "3456789:1234567892" || o.ID != "1173042542" || o.Currency != "EUR" || o.TotalMinor != 3450 {
		t.Fatalf("order = %+v", o)
	}
	if o.Payment != (order.Payment{Method: "cod", Paid: false}) || o.Customer.Language != "lv" {
		t.Fatalf("payment %+v language %q", o.Payment, o.Customer.Language)
	}
	if len(o.Items) != 2 || o.Items[0] != (order.Item{Name: "Sveču komplekts", Qty: 1, PriceMinor: 2450}) || o.Items[1].PriceMinor != 1000 {
		t.Fatalf("items = %+v", o.Items)
	}
}

func TestParseRefusesWithTheField(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, body, field string }{
		{"empty", "", "body: empty"},
		{"no tranid", "Name=A&Email=a%40b.c", "tranid: missing"},
		{"bad form", "a=%zz", "body:"},
		{"bad json", `{"tranid":`, "body:"},
		{"payment not json", "tranid=1:2&payment=%7Bnope", "payment:"},
		{"bad quantity", `{"tranid":"1:2","payment":{"products":[{"name":"A","quantity":0,"price":1}]}}`, "payment.products[0].quantity: must be at least 1"},
		{"bad price", `{"tranid":"1:2","payment":{"products":[{"name":"A","quantity":1,"price":"free"}]}}`, "payment.products[0].price"},
		{"bad amount", `{"tranid":"1:2","payment":{"amount":"-3"}}`, "payment.amount: must not be negative"},
	}
	w := New(connector.Options{WebhookSecret: "s"}).Webhook
	for _, c := range cases {
		_, err := w.Parse(connector.Request{Body: []byte(c.body)})
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: Parse = %v, want an error naming %q", c.name, err, c.field)
		}
	}
}

func TestProductAmountWithoutPrice(t *testing.T) {
	t.Parallel()
	w := New(connector.Options{}).Webhook
	d, err := w.Parse(connector.Request{Body: []byte(`{"tranid":"1:2","payment":{"sys":"none","products":[{"name":"A","quantity":"2","amount":"30"}],"amount":30}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if it := d.Order.Items[0]; it.Qty != 2 || it.PriceMinor != 1500 || d.Order.Payment != (order.Payment{}) {
		t.Fatalf("item %+v payment %+v", it, d.Order.Payment)
	}
}

func TestAdapterHasWebhooksOnly(t *testing.T) {
	t.Parallel()
	a := New(connector.Options{URL: "https://example.tilda.ws", WebhookSecret: "s"})
	if a.Webhook == nil || a.API != nil || a.Registrar != nil || a.Writer != nil {
		t.Fatalf("adapter = %+v", a)
	}
}
