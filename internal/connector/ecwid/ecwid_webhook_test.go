package ecwid

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

const clientSecret = "abcde123456789"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signed is a delivery of a fixture as Ecwid sends it.
func signed(t testing.TB, name string) connector.Request {
	t.Helper()
	h := http.Header{}
	h.Set(SignatureHeader, Sign("1234567", eventIDOf(t, name), clientSecret))
	return connector.Request{Header: h, Body: fixture(t, name)}
}

func eventIDOf(t testing.TB, name string) string {
	t.Helper()
	if name == "webhook_order_updated.json" {
		return "123456-1234-1234-1234-123412341234"
	}
	return "80aece08-40e8-4145-8764-6c2f0d38678"
}

func TestSignIsTheDocumentedHMAC(t *testing.T) {
	t.Parallel()
	// HMAC-SHA256("abcde123456789", "1234567.80aece08-40e8-4145-8764-6c2f0d38678"),
	// base64, computed apart from this code (openssl dgst -sha256 -hmac … -binary | base64).
	const want = "lidx/4J5L2Pp4auvwGBp6DwPkpPmyVLI3oLB440X358="
	if got := Sign("1234567", "80aece08-40e8-4145-8764-6c2f0d38678", clientSecret); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	good := signed(t, "webhook_order_created.json")
	cases := []struct {
		name   string
		secret string
		edit   func(r *connector.Request)
		ok     bool
	}{
		{"signed", clientSecret, func(*connector.Request) {}, true},
		{"the body is not signed: another order with the same event passes", clientSecret, func(r *connector.Request) {
			r.Body = []byte(strings.Replace(string(r.Body), "XJ12H", "OTHER", 1))
		}, true},
		{"another event id", clientSecret, func(r *connector.Request) {
			r.Body = []byte(strings.Replace(string(r.Body), "80aece08", "80aece09", 1))
		}, false},
		{"another time", clientSecret, func(r *connector.Request) {
			r.Body = []byte(strings.Replace(string(r.Body), "1234567", "1234568", 1))
		}, false},
		{"no header", clientSecret, func(r *connector.Request) { r.Header = http.Header{} }, false},
		{"wrong key", "secret_token", func(*connector.Request) {}, false},
		{"no key configured", "", func(*connector.Request) {}, false},
		{"body not json", clientSecret, func(r *connector.Request) { r.Body = []byte("eventId=1") }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := connector.Request{Header: good.Header.Clone(), Body: append([]byte(nil), good.Body...)}
			c.edit(&r)
			err := New(connector.Options{APISecret: c.secret}).Webhook.Verify(r)
			if c.ok && err != nil {
				t.Fatalf("Verify = %v", err)
			}
			if !c.ok && !errors.Is(err, connector.ErrUnauthorized) {
				t.Fatalf("Verify = %v, want ErrUnauthorized", err)
			}
		})
	}
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file  string
		event connector.Event
		order string
		topic string
	}{
		{"webhook_order_created.json", connector.OrderCreated, "XJ12H", "order.created"},
		{"webhook_order_updated.json", connector.OrderFulfilled, "103", "order.updated"},
		{"webhook_order_deleted.json", connector.OrderCancelled, "102", "order.deleted"},
		{"webhook_unfinished_order_deleted.json", connector.Ignored, "", "unfinished_order.deleted"},
		{"webhook_application_installed.json", connector.Ignored, "", "application.installed"},
	}
	w := New(connector.Options{APISecret: clientSecret, StoreID: "1003"}).Webhook
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			r := signed(t, c.file)
			if err := w.Verify(r); err != nil {
				t.Fatal(err)
			}
			d, err := w.Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if d.Event != c.event || d.OrderID != c.order || d.Topic != c.topic || d.Order != nil || d.ID != eventIDOf(t, c.file) {
				t.Fatalf("delivery = %+v", d)
			}
		})
	}
}

func TestParseNamesAnUpdateAfterItsChange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		data  string
		event connector.Event
	}{
		{`"oldPaymentStatus":"AWAITING_PAYMENT","newPaymentStatus":"PAID"`, connector.OrderPaid},
		{`"oldPaymentStatus":"PAID","newPaymentStatus":"REFUNDED"`, connector.OrderRefunded},
		{`"oldPaymentStatus":"AWAITING_PAYMENT","newPaymentStatus":"CANCELLED"`, connector.OrderCancelled},
		{`"oldFulfillmentStatus":"SHIPPED","newFulfillmentStatus":"RETURNED"`, connector.OrderRefunded},
		{`"oldFulfillmentStatus":"PROCESSING","newFulfillmentStatus":"WILL_NOT_DELIVER"`, connector.OrderCancelled},
		{`"oldPaymentStatus":"PAID","newPaymentStatus":"PAID","oldFulfillmentStatus":"SHIPPED","newFulfillmentStatus":"DELIVERED"`, connector.OrderUpdated},
	}
	w := New(connector.Options{StoreID: "1003"}).Webhook
	for _, c := range cases {
		body := `{"eventId":"e1","eventCreated":1,"storeId":1003,"entityId":7,"eventType":"order.updated","data":{"orderId":"AB1",` + c.data + `}}`
		d, err := w.Parse(connector.Request{Body: []byte(body)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Event != c.event || d.OrderID != "AB1" {
			t.Errorf("%s: event %s order %s, want %s", c.data, d.Event, d.OrderID, c.event)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, body, field string }{
		{"not json", `eventId=1`, "body:"},
		{"no event id", `{"eventCreated":1,"storeId":1003,"eventType":"order.created"}`, "eventId: missing"},
		{"no type", `{"eventId":"e","eventCreated":1,"storeId":1003}`, "eventType: missing"},
		{"no store", `{"eventId":"e","eventCreated":1,"eventType":"order.created"}`, "storeId: missing"},
		{"another store", `{"eventId":"e","eventCreated":1,"storeId":42,"entityId":1,"eventType":"order.created"}`, "storeId: 42 is not this connector's store"},
		{"no order", `{"eventId":"e","eventCreated":1,"storeId":1003,"eventType":"order.created","data":{}}`, "data.orderId"},
		{"an object for an id", `{"eventId":{},"eventCreated":1,"storeId":1003,"eventType":"order.created"}`, "body:"},
	}
	w := New(connector.Options{StoreID: "1003"}).Webhook
	for _, c := range cases {
		_, err := w.Parse(connector.Request{Body: []byte(c.body)})
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: Parse = %v, want an error naming %q", c.name, err, c.field)
		}
	}
}
