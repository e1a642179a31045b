package ecwid

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// SignatureHeader carries the webhook's signature.
const SignatureHeader = "X-Ecwid-Webhook-Signature"

// Webhook reads Ecwid's webhooks.
type Webhook struct {
	opts connector.Options
}

// event is a webhook's body.
type event struct {
	EventID      wire.ID `json:"eventId"`
	EventCreated wire.ID `json:"eventCreated"`
	StoreID      wire.ID `json:"storeId"`
	EntityID     wire.ID `json:"entityId"`
	EventType    string  `json:"eventType"`
	Data         *struct {
		OrderID              wire.ID `json:"orderId"`
		OldPaymentStatus     string  `json:"oldPaymentStatus"`
		NewPaymentStatus     string  `json:"newPaymentStatus"`
		OldFulfillmentStatus string  `json:"oldFulfillmentStatus"`
		NewFulfillmentStatus string  `json:"newFulfillmentStatus"`
	} `json:"data"`
}

// Sign is the signature Ecwid puts on a webhook: base64 of HMAC-SHA256
// of "{eventCreated}.{eventId}" keyed with the app's client_secret.
func Sign(eventCreated, eventID, clientSecret string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(eventCreated + "." + eventID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify checks X-Ecwid-Webhook-Signature against eventCreated and
// eventId of the body, in constant time; a connector without the app's
// client secret (api_secret) accepts nothing.
func (w *Webhook) Verify(r connector.Request) error {
	got := strings.TrimSpace(r.Header.Get(SignatureHeader))
	if w.opts.APISecret == "" || got == "" {
		return connector.ErrUnauthorized
	}
	var e event
	if err := json.Unmarshal(r.Body, &e); err != nil || e.EventID == "" || e.EventCreated == "" {
		return connector.ErrUnauthorized
	}
	want := Sign(string(e.EventCreated), string(e.EventID), w.opts.APISecret)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return connector.ErrUnauthorized
	}
	return nil
}

// Parse reads a webhook: order events name the order (data.orderId, or
// entityId on older stores) and leave Order nil for the core to read
// through the API; events about anything else are Ignored.
func (w *Webhook) Parse(r connector.Request) (connector.Delivery, error) {
	var e event
	if err := json.Unmarshal(r.Body, &e); err != nil {
		return connector.Delivery{}, fmt.Errorf("body: not an Ecwid webhook: %w", err)
	}
	switch {
	case e.EventID == "":
		return connector.Delivery{}, fmt.Errorf("eventId: missing")
	case e.EventType == "":
		return connector.Delivery{}, fmt.Errorf("eventType: missing")
	case e.StoreID == "":
		return connector.Delivery{}, fmt.Errorf("storeId: missing")
	}
	if want := strings.TrimSpace(w.opts.StoreID); want != "" && string(e.StoreID) != want {
		return connector.Delivery{}, fmt.Errorf("storeId: %s is not this connector's store (%s)", e.StoreID, want)
	}
	d := connector.Delivery{ID: string(e.EventID), Topic: e.EventType, Event: connector.Ignored}
	if !strings.HasPrefix(e.EventType, "order.") {
		return d, nil
	}
	if e.Data != nil {
		d.OrderID = string(e.Data.OrderID)
	}
	if d.OrderID == "" {
		d.OrderID = string(e.EntityID)
	}
	if d.OrderID == "" {
		return connector.Delivery{}, fmt.Errorf("data.orderId: missing, and no entityId either")
	}
	switch e.EventType {
	case "order.created":
		d.Event = connector.OrderCreated
	case "order.updated":
		d.Event = updated(e)
	case "order.deleted":
		// A deleted order is gone from the store: shopcare stops caring
		// for it as for a cancelled one.
		d.Event = connector.OrderCancelled
	default:
		d.Event, d.OrderID = connector.Ignored, ""
	}
	return d, nil
}

// updated names an order.updated after the change its data reports.
func updated(e event) connector.Event {
	if e.Data == nil {
		return connector.OrderUpdated
	}
	x := e.Data
	changed := func(old, new, to string) bool { return new == to && old != to }
	switch {
	case changed(x.OldPaymentStatus, x.NewPaymentStatus, "CANCELLED"), changed(x.OldFulfillmentStatus, x.NewFulfillmentStatus, "WILL_NOT_DELIVER"):
		return connector.OrderCancelled
	case changed(x.OldPaymentStatus, x.NewPaymentStatus, "REFUNDED"), changed(x.OldFulfillmentStatus, x.NewFulfillmentStatus, "RETURNED"):
		return connector.OrderRefunded
	case changed(x.OldFulfillmentStatus, x.NewFulfillmentStatus, "SHIPPED"):
		return connector.OrderFulfilled
	case changed(x.OldPaymentStatus, x.NewPaymentStatus, "PAID"):
		return connector.OrderPaid
	}
	return connector.OrderUpdated
}
