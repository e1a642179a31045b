package tilda

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// Webhook reads Tilda's form and cart submissions.
type Webhook struct {
	opts connector.Options
}

// Verify compares the secret in the address (POST /hooks/{name}/{secret}
// or ?secret=), or the API key Tilda sends for marketplace integrations
// (Authorization: Bearer … as a header or as a field of the body), with
// the connector's webhook secret, in constant time.
func (w *Webhook) Verify(r connector.Request) error {
	want := w.opts.WebhookSecret
	if want == "" {
		return connector.ErrUnauthorized
	}
	if r.PathSecret != "" {
		return check(r.PathSecret, want)
	}
	if r.Query != nil && r.Query.Get("secret") != "" {
		return check(r.Query.Get("secret"), want)
	}
	if r.Header != nil && r.Header.Get("Authorization") != "" {
		return check(bearer(r.Header.Get("Authorization")), want)
	}
	if f, err := readFields(r.Body); err == nil {
		if v := f.get("Authorization"); v != "" {
			return check(bearer(v), want)
		}
	}
	return connector.ErrUnauthorized
}

func check(got, want string) error {
	if !wire.SecretMatches(got, want) {
		return connector.ErrUnauthorized
	}
	return nil
}

func bearer(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return v
}

// Parse reads a submission: test=test is Tilda's connect test (Ping);
// anything else is a new order, tranid its id.
func (w *Webhook) Parse(r connector.Request) (connector.Delivery, error) {
	f, err := readFields(r.Body)
	if err != nil {
		return connector.Delivery{}, err
	}
	if strings.EqualFold(f.get("test"), "test") && f.get("tranid") == "" {
		return connector.Delivery{Topic: "test", Event: connector.Ping}, nil
	}
	tranid := f.get("tranid")
	if tranid == "" {
		return connector.Delivery{}, errors.New("tranid: missing")
	}
	o, err := f.order(tranid, r)
	if err != nil {
		return connector.Delivery{}, err
	}
	topic := "form"
	if f.payment != nil {
		topic = "cart"
	}
	if id := f.get("formid"); id != "" {
		topic += ":" + id
	}
	return connector.Delivery{ID: tranid, Topic: topic, Event: connector.OrderCreated, OrderID: o.ID, Order: o}, nil
}

// fields are a submission's fields, the names as the form's author wrote
// them, and its cart.
type fields struct {
	values  map[string]string
	payment *payment
}

// get is a field by name, ignoring case (Tilda's default fields are Name,
// Email, Phone; a form's author may write them otherwise).
func (f fields) get(name string) string {
	if v, ok := f.values[name]; ok {
		return strings.TrimSpace(v)
	}
	for k, v := range f.values {
		if strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// readFields reads a form-urlencoded or JSON body.
func readFields(body []byte) (fields, error) {
	f := fields{values: map[string]string{}}
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return f, errors.New("body: empty")
	}
	var rawPayment json.RawMessage
	if b[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return f, fmt.Errorf("body: not a Tilda submission: %w", err)
		}
		for k, v := range m {
			if k == "payment" {
				rawPayment = v
				continue
			}
			var s string
			if json.Unmarshal(v, &s) == nil {
				f.values[k] = s
			} else {
				f.values[k] = string(bytes.TrimSpace(v))
			}
		}
	} else {
		q, err := url.ParseQuery(string(b))
		if err != nil {
			return f, fmt.Errorf("body: not a Tilda submission: %w", err)
		}
		for k, v := range q {
			if len(v) == 0 {
				continue
			}
			if k == "payment" {
				rawPayment = json.RawMessage(v[0])
				continue
			}
			f.values[k] = strings.Join(v, ", ")
		}
	}
	if len(rawPayment) > 0 {
		p, err := readPayment(rawPayment)
		if err != nil {
			return f, err
		}
		f.payment = p
	}
	return f, nil
}
