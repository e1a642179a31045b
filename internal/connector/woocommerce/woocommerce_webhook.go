package woocommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/invalid"
)

// The headers of a delivery, as class-wc-webhook.php sets them.
const (
	headerSignature = "X-WC-Webhook-Signature"
	headerTopic     = "X-WC-Webhook-Topic"
)

// ping is the activation ping's form body: webhook_id=N, unsigned.
var ping = regexp.MustCompile(`^webhook_id=([0-9]{1,20})$`)

// isPing tells whether a request is WooCommerce's activation ping: a form
// body with the webhook's id and no topic.
func isPing(r connector.Request) (string, bool) {
	if r.Header.Get(headerTopic) != "" {
		return "", false
	}
	m := ping.FindSubmatch(bytes.TrimSpace(r.Body))
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// Verify checks X-WC-Webhook-Signature: the base64 HMAC-SHA256 of the raw
// body keyed with the webhook's secret, in constant time. The activation
// ping is the one exception: WooCommerce sends it unsigned and disables
// the webhook unless it gets a 200, and it carries nothing to apply.
func (a *Adapter) Verify(r connector.Request) error {
	if _, ok := isPing(r); ok {
		return nil
	}
	if !wire.SignedBase64(r.Header.Get(headerSignature), a.opts.WebhookSecret, r.Body) {
		return connector.ErrUnauthorized
	}
	return nil
}

// Parse reads a verified delivery. WooCommerce's X-WC-Webhook-Delivery-ID
// is a hash of the webhook id and the time of sending, new on every send,
// so the delivery's ID is the topic, the order's id and its
// date_modified_gmt: the same change sent twice has the same ID, a new
// change a new one. (Without date_modified_gmt the ID is left to the
// core, which keys the delivery by its body.)
func (a *Adapter) Parse(r connector.Request) (connector.Delivery, error) {
	if id, ok := isPing(r); ok {
		return connector.Delivery{ID: "ping:" + id, Topic: "ping", Event: connector.Ping}, nil
	}
	topic := strings.TrimSpace(r.Header.Get(headerTopic))
	if topic == "" {
		return connector.Delivery{}, invalid.Field(headerTopic, "required", "the delivery names no topic")
	}
	d := connector.Delivery{Topic: topic, Event: connector.Ignored}
	switch topic {
	case "order.created", "order.updated", "order.restored":
		var p orderPayload
		if err := decode(r.Body, &p); err != nil {
			return connector.Delivery{}, err
		}
		o, err := p.order(a.opts.Statuses)
		if err != nil {
			return connector.Delivery{}, err
		}
		if m := strings.TrimSpace(p.DateModifiedGMT); m != "" {
			d.ID = topic + ":" + o.ID + ":" + m
		} // else "": the core keys the delivery by its body
		d.OrderID, d.Order = o.ID, o
		d.Event = event(topic, p.Status, o)
	case "order.deleted":
		// Only the id: the order went to the trash or away. shopcare
		// keeps its order as it was and logs the delivery.
		var p struct {
			ID id `json:"id"`
		}
		if err := decode(r.Body, &p); err != nil {
			return connector.Delivery{}, err
		}
		d.ID, d.OrderID = topic+":"+string(p.ID), string(p.ID)
	default:
		// Another resource (product, customer, coupon): stored, not applied.
		var p struct {
			ID              id     `json:"id"`
			DateModifiedGMT string `json:"date_modified_gmt"`
		}
		_ = json.Unmarshal(r.Body, &p)
		if p.ID != "" {
			d.ID = topic + ":" + string(p.ID) + ":" + p.DateModifiedGMT
		}
	}
	return d, nil
}

// event is what an order delivery amounts to: a new order, or the change
// its status says.
func event(topic, status string, o *connector.Order) connector.Event {
	if topic == "order.created" {
		return connector.OrderCreated
	}
	switch status {
	case "cancelled":
		return connector.OrderCancelled
	case "refunded":
		return connector.OrderRefunded
	}
	if len(o.Fulfillments) > 0 {
		return connector.OrderFulfilled
	}
	return connector.OrderUpdated
}

// decode reads a JSON body, naming the field of a type mismatch.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			want := "a " + te.Type.Kind().String()
			switch te.Type {
			case reflect.TypeFor[id]():
				want = "a numeric id"
			case reflect.TypeFor[decimal]():
				want = "a decimal number"
			}
			return invalid.Field(te.Field, "type", "must be %s, not %s", want, te.Value)
		}
		return invalid.Field("", "json", "the body is not the JSON WooCommerce sends: %v", err)
	}
	return nil
}
