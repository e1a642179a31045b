package insales

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/order"
)

// Webhook reads InSales' order webhooks.
type Webhook struct {
	opts connector.Options
}

// Verify compares the secret in the address (POST /hooks/{name}/{secret}
// or ?secret=) with the connector's webhook secret in constant time:
// InSales signs nothing, so the secret is all there is.
func (w *Webhook) Verify(r connector.Request) error {
	got := r.PathSecret
	if got == "" && r.Query != nil {
		got = r.Query.Get("secret")
	}
	if !wire.SecretMatches(got, w.opts.WebhookSecret) {
		return connector.ErrUnauthorized
	}
	return nil
}

// Parse reads an order webhook. InSales sends the order itself, in JSON
// (or wrapped as {"order": …}) or, for a webhook set to format_type xml,
// as <order>…</order> with Rails' dashed names; the topic comes from the address shopcare
// registered (?topic=orders/update), otherwise from the order: created
// and updated at the same moment is orders/create.
func (w *Webhook) Parse(r connector.Request) (connector.Delivery, error) {
	body := bytes.TrimSpace(r.Body)
	if len(body) == 0 {
		return connector.Delivery{}, errors.New("body: empty")
	}
	if t := productTopic(r); t != "" {
		return connector.Delivery{Topic: t, Event: connector.Ignored}, nil // stock: ParseStock reads it
	}
	src, err := decode(body)
	if err != nil {
		return connector.Delivery{}, err
	}
	o, err := src.Map(w.opts.Statuses)
	if err != nil {
		return connector.Delivery{}, err
	}
	topic := ""
	if r.Query != nil {
		topic = r.Query.Get("topic")
	}
	if topic != "orders/create" && topic != "orders/update" {
		topic = "orders/update"
		if src.CreatedAt != "" && src.CreatedAt == src.UpdatedAt {
			topic = "orders/create"
		}
	}
	return connector.Delivery{
		ID:      topic + ":" + o.ID + ":" + src.UpdatedAt,
		Topic:   topic,
		Event:   event(topic, o),
		OrderID: o.ID,
		Order:   o,
	}, nil
}

// event is what an order webhook says happened: InSales sends the whole
// order on every change, so an update is named after where the order
// stands.
func event(topic string, o *connector.Order) connector.Event {
	if topic == "orders/create" {
		return connector.OrderCreated
	}
	switch o.Status {
	case order.Cancelled:
		return connector.OrderCancelled
	case order.Returned:
		return connector.OrderRefunded
	case order.Shipped:
		if len(o.Fulfillments) > 0 {
			return connector.OrderFulfilled
		}
	}
	return connector.OrderUpdated
}

// decode reads the order of a webhook's body, JSON or XML.
func decode(body []byte) (Order, error) {
	if body[0] == '<' {
		var x struct {
			XMLName xml.Name `xml:"order"`
			Order
		}
		if err := xml.Unmarshal(body, &x); err != nil {
			return Order{}, fmt.Errorf("body: not an InSales order in XML: %w", err)
		}
		return x.Order, nil
	}
	// One pass reads either form: the order's own fields, or its
	// wrapper's "order".
	var src struct {
		Order
		Wrapped *Order `json:"order"`
	}
	if err := json.Unmarshal(body, &src); err != nil {
		return Order{}, fmt.Errorf("body: not an InSales order: %w", err)
	}
	if src.Wrapped != nil {
		return *src.Wrapped, nil
	}
	return src.Order, nil
}
