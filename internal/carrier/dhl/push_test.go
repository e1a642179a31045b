package dhl

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/carrier"
)

func pushRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhooks/dhl", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestParsePush(t *testing.T) {
	t.Parallel()
	c := New(carrier.Options{Key: testKey})
	got, err := c.Parse(pushRequest(golden(t, "push.json")))
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got[:2], "JVGL0599912345678901", []want{
		{carrier.InTransit, "2026-05-03T22:40:00+02:00", "transit", "The parcel has been sorted", "Nieuwegein, NL"},
		{carrier.OutForDelivery, "2026-05-04T09:12:00+02:00", "transit", "The parcel is out for delivery", "3511 Utrecht, NL"},
	})
	// A shipment pushed with its status only is told by that status.
	checkEvents(t, got[2:], "1234567890", []want{
		{carrier.Delivered, "2026-05-04T10:01:00+03:00", "OK", "Delivered", "RIGA - LATVIA"},
	})
}

func TestParsePushLifecycleMessages(t *testing.T) {
	t.Parallel()
	c := New(carrier.Options{Key: testKey})
	for _, body := range []string{
		`{"scope":"subscription.validate","self":"https://api-eu.dhl.com/tracking/push/v1/subscription/sub-1","secret":"i5b65gX4CC3j6E8O"}`,
		`{"scope":"subscription.ready","self":"https://api-eu.dhl.com/tracking/push/v1/subscription/sub-1"}`,
		`{"scope":"subscription.failure","self":"https://api-eu.dhl.com/tracking/push/v1/subscription/sub-1",` +
			`"failure":{"title":"Not Found","status":404,"detail":"Shipment not found"}}`,
	} {
		got, err := c.Parse(pushRequest(body))
		if err != nil || len(got) != 0 {
			t.Errorf("Parse(%s) = %v, %v; want no events, no error", body, got, err)
		}
	}
}

func TestParsePushMalformed(t *testing.T) {
	t.Parallel()
	c := New(carrier.Options{Key: testKey})
	for _, body := range []string{"", "not json", `["shipments"]`, `{"scope":"subscription.push","shipments":{}}`, `{}`} {
		if got, err := c.Parse(pushRequest(body)); !errors.Is(err, errMalformed) {
			t.Errorf("Parse(%q) = %v, %v; want a malformed-body error", body, got, err)
		}
	}
}
