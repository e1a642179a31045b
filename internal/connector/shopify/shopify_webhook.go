package shopify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/invalid"
)

// The headers of a delivery, as Shopify documents them.
const (
	headerHMAC      = "X-Shopify-Hmac-Sha256"
	headerTopic     = "X-Shopify-Topic"
	headerEventID   = "X-Shopify-Event-Id"
	headerWebhookID = "X-Shopify-Webhook-Id"
	headerShop      = "X-Shopify-Shop-Domain"
)

// topics maps the order topics shopcare follows to its events; every
// other topic is Ignored.
var topics = map[string]connector.Event{
	"orders/create":              connector.OrderCreated,
	"orders/updated":             connector.OrderUpdated,
	"orders/paid":                connector.OrderPaid,
	"orders/cancelled":           connector.OrderCancelled,
	"orders/fulfilled":           connector.OrderFulfilled,
	"orders/partially_fulfilled": connector.OrderFulfilled,
	"fulfillments/create":        connector.OrderFulfilled,
	"fulfillments/update":        connector.OrderFulfilled,
	"refunds/create":             connector.OrderRefunded,
}

// Verify checks X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the raw
// body keyed with the app's client secret, compared in constant time.
// Without a secret configured nothing passes.
func (a *Adapter) Verify(r connector.Request) error {
	if !wire.SignedBase64(r.Header.Get(headerHMAC), a.opts.WebhookSecret, r.Body) {
		return connector.ErrUnauthorized
	}
	return nil
}

// Parse reads a verified delivery. Its ID is the topic with
// X-Shopify-Event-Id: the event id stays the same across Shopify's
// retries of one delivery, but one merchant action (marking an order
// paid) sends several topics under the same event id, so the topic keeps
// them apart. Without an event id, X-Shopify-Webhook-Id is used.
func (a *Adapter) Parse(r connector.Request) (connector.Delivery, error) {
	topic := strings.TrimSpace(r.Header.Get(headerTopic))
	if topic == "" {
		return connector.Delivery{}, invalid.Field(headerTopic, "required", "the delivery names no topic")
	}
	if err := a.sameShop(r.Header.Get(headerShop)); err != nil {
		return connector.Delivery{}, err
	}
	d := connector.Delivery{Topic: topic, Event: connector.Ignored}
	if id := strings.TrimSpace(r.Header.Get(headerEventID)); id != "" {
		d.ID = topic + ":" + id
	} else if id := strings.TrimSpace(r.Header.Get(headerWebhookID)); id != "" {
		d.ID = topic + ":" + id
	}
	ev, ok := topics[topic]
	if !ok {
		return d, nil
	}
	d.Event = ev
	switch {
	case strings.HasPrefix(topic, "orders/"):
		var p orderPayload
		if err := decode(r.Body, &p); err != nil {
			return connector.Delivery{}, err
		}
		o, err := p.order()
		if err != nil {
			return connector.Delivery{}, err
		}
		d.OrderID, d.Order = o.ID, o
		if topic == "orders/partially_fulfilled" && len(o.Fulfillments) == 0 {
			d.Event = connector.OrderUpdated
		}
	default:
		// A fulfillment or a refund names its order; the core reads the
		// whole order (with every shipment and refund) from the API.
		var p struct {
			OrderID id `json:"order_id"`
		}
		if err := decode(r.Body, &p); err != nil {
			return connector.Delivery{}, err
		}
		if p.OrderID == "" {
			return connector.Delivery{}, invalid.Field("order_id", "required", "the %s delivery names no order", topic)
		}
		d.OrderID = string(p.OrderID)
	}
	return d, nil
}

// sameShop refuses a delivery about another shop: one app's client secret
// signs the webhooks of every shop it is installed in, so a signature
// alone does not say which shop a delivery is about. Only a connector
// whose address is the shop's myshopify.com domain can tell.
func (a *Adapter) sameShop(domain string) error {
	domain = strings.ToLower(strings.TrimSpace(domain))
	own := ""
	if u, err := url.Parse(SiteURL(a.opts.URL)); err == nil {
		own = strings.ToLower(u.Hostname())
	}
	if domain == "" || !strings.HasSuffix(own, ".myshopify.com") {
		return nil
	}
	if domain != own {
		return invalid.Field(headerShop, "other_shop", "the delivery is about %s, this connector is for %s", domain, own)
	}
	return nil
}

// decode reads a JSON body, naming the field of a type mismatch.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			want := kind(te.Type.Kind())
			if te.Type == reflect.TypeFor[id]() {
				want = "a numeric id"
			}
			return invalid.Field(te.Field, "type", "must be %s, not %s", want, te.Value)
		}
		return invalid.Field("", "json", "the body is not the JSON Shopify sends: %v", err)
	}
	return nil
}

// kind names a Go kind the way a JSON payload's author thinks of it.
func kind(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	default:
		return "an object"
	}
}

// id is a platform id that Shopify sends as a JSON number (often above
// 2^53, so never through a float) or, in some payloads, as a string.
type id string

// UnmarshalJSON takes a number or a string of digits (or a GraphQL
// global id ending in one), or null. Anything else is a type error, which
// the decoder names with the field's path.
func (i *id) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	bad := func(what string) error {
		return &json.UnmarshalTypeError{Value: what, Type: reflect.TypeFor[id]()}
	}
	switch {
	case s == "null":
		*i = ""
		return nil
	case strings.HasPrefix(s, `"`):
		if err := json.Unmarshal(b, &s); err != nil {
			return bad("a broken string")
		}
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "gid://shopify/") {
			s = s[strings.LastIndexByte(s, '/')+1:]
		}
	case strings.HasPrefix(s, "{"):
		return bad("an object")
	case strings.HasPrefix(s, "["):
		return bad("a list")
	}
	if s == "" {
		*i = ""
		return nil
	}
	if len(s) > 24 {
		return bad(fmt.Sprintf("%.24q…", s))
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return bad(fmt.Sprintf("%q", s))
		}
	}
	*i = id(s)
	return nil
}
