package custom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/jsonpointer"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// maxItems is the most lines one order may carry.
const maxItems = 1000

// ErrNoMapping is Parse's answer on a connector whose settings have no
// mapping: there is nothing to read a delivery with.
var ErrNoMapping = errors.New("the custom connector has no mapping: add mapping: to its settings")

// Parse reads a verified delivery through the mapping. Every problem is
// reported at once, as an invalid.List whose fields are the mapping's
// keys ("order_id", "items[2].qty") and whose messages name the pointer:
// a missing order id, a value of the wrong type, a status or payment
// method the mapping does not know.
func (w *Webhook) Parse(req connector.Request) (connector.Delivery, error) {
	if w.m == nil {
		return connector.Delivery{}, ErrNoMapping
	}
	doc, err := decode(req.Body)
	if err != nil {
		return connector.Delivery{}, fmt.Errorf("the body is not JSON: %w", err)
	}
	m := w.m
	r := &reader{doc: doc}
	d := connector.Delivery{ID: w.headerOrText(r, req, "delivery_id", m.DeliveryID)}
	d.Event, d.Topic = w.event(r, req)
	if len(r.errs) > 0 {
		return connector.Delivery{}, r.errs
	}
	if d.Event == connector.Ping || d.Event == connector.Ignored {
		return d, nil
	}
	o := w.order(r)
	if len(r.errs) > 0 {
		return connector.Delivery{}, r.errs
	}
	// The event says what the payload may not: a cancellation whose
	// status maps to nothing is a cancellation, and a payment is paid
	// when the mapping reads no paid flag.
	if d.Event == connector.OrderCancelled && o.Status == "" {
		o.Status = order.Cancelled
	}
	if d.Event == connector.OrderPaid && m.Paid == "" {
		o.Payment.Paid = true
	}
	d.OrderID, d.Order = o.ID, o
	return d, nil
}

// decode reads one JSON document, numbers kept as written.
func decode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("more after the JSON document")
	}
	return doc, nil
}

// headerOrText reads a key that names a header or points into the body.
func (w *Webhook) headerOrText(r *reader, req connector.Request, field, key string) string {
	switch {
	case key == "":
		return ""
	case config.IsPointer(key):
		return r.text(field, key, r.doc)
	default:
		v := strings.TrimSpace(req.Header.Get(key))
		if e := invalid.Text(field, v); e != nil {
			r.add(field, e.Code, "the %s header: %s", key, e.Message)
			return ""
		}
		return v
	}
}

// event reads what happened: order_updated without an event key; the
// events map's entry, or the value itself when it is an event's name;
// ignored otherwise (a delivery about something shopcare does not follow).
func (w *Webhook) event(r *reader, req connector.Request) (connector.Event, string) {
	m := w.m
	if m.Event == "" {
		return connector.OrderUpdated, ""
	}
	topic := w.headerOrText(r, req, "event", m.Event)
	if topic == "" {
		if !r.has("event") {
			if config.IsPointer(m.Event) {
				r.add("event", "required", "nothing at %s: the mapping reads what happened there", m.Event)
			} else {
				r.add("event", "required", "no %s header: the mapping reads what happened there", m.Event)
			}
		}
		return connector.OrderUpdated, ""
	}
	if e, ok := lookupFold(m.Events, topic); ok {
		if !slices.Contains(config.MappingEvents, e) {
			r.add("event", "invalid", "the mapping sends %q to %q, which is not an event (%s)", topic, e, strings.Join(config.MappingEvents, ", "))
		}
		return connector.Event(e), topic
	}
	if slices.Contains(config.MappingEvents, topic) {
		return connector.Event(topic), topic
	}
	return connector.Ignored, topic
}

// order reads the order's fields.
func (w *Webhook) order(r *reader) *connector.Order {
	m, doc := w.m, r.doc
	o := &connector.Order{}
	o.ID = r.text("order_id", m.OrderID, doc)
	switch {
	case m.OrderID == "":
		r.add("order_id", "required", "the mapping has no order_id: a JSON pointer to the order's id")
	case o.ID == "" && !r.has("order_id"):
		r.add("order_id", "required", "no order id at %s: the order's id is required", m.OrderID)
	}
	o.Number = r.text("number", m.Number, doc)
	o.PlacedAt = r.when("placed_at", m.PlacedAt, m.TimeFormat, w.loc, doc)
	o.UpdatedAt = r.when("updated_at", m.UpdatedAt, m.TimeFormat, w.loc, doc)
	o.Status = w.status(r)
	o.Payment = w.payment(r)
	o.Currency = strings.ToUpper(r.text("currency", m.Currency, doc))
	if o.Currency != "" && !money.ValidCurrency(o.Currency) {
		r.add("currency", "invalid", "%q at %s is not an ISO 4217 currency code", o.Currency, m.Currency)
	}
	scale, minor := money.Scale(o.Currency), m.Money == "minor"
	o.TotalMinor, _ = r.amount("total", m.Total, minor, scale, doc)
	o.Customer = customer.Input{
		ExternalID: r.text("customer_id", m.CustomerID, doc),
		Name:       r.texts("customer_name", m.CustomerName, " ", doc),
		Email:      r.text("email", m.Email, doc),
		Phone:      r.text("phone", m.Phone, doc),
		Language:   w.language(r),
	}
	if v, ok := r.boolean("marketing_consent", m.MarketingConsent, doc); ok {
		o.MarketingConsent = &v
	}
	o.Address = r.texts("address", m.Address, ", ", doc)
	o.Shipping = r.text("shipping", m.Shipping, doc)
	o.Note = r.texts("note", m.Note, "\n", doc)
	o.Items = w.items(r, minor, scale)
	if tn := r.text("tracking_number", m.TrackingNumber, doc); tn != "" {
		o.Fulfillments = []connector.Fulfillment{{
			Carrier:        r.text("carrier", m.Carrier, doc),
			TrackingNumber: tn,
			TrackingURL:    r.text("tracking_url", m.TrackingURL, doc),
			At:             o.UpdatedAt,
		}}
	}
	return o
}

// has reports whether a problem about field is already recorded.
func (r *reader) has(field string) bool {
	for _, e := range r.errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// status maps the platform's status: the mapping's statuses (exact, then
// ignoring case), then a shopcare status's own name; any other value is
// a problem, so that a status the mapping forgot is seen and added.
func (w *Webhook) status(r *reader) order.Status {
	ptr := w.m.Status
	v := r.text("status", ptr, r.doc)
	if v == "" {
		return ""
	}
	if s, ok := lookupFold(w.statuses, v); ok {
		if s == "" {
			return "" // mapped to "": leave the order's status alone
		}
		st, ok := order.ParseStatus(s)
		if !ok {
			r.add("status", "invalid", "the mapping sends %q at %s to %q, which is not an order status (%s)", v, ptr, s, order.StatusNames())
		}
		return st
	}
	if st, ok := order.ParseStatus(v); ok {
		return st
	}
	r.add("status", "invalid", "%q at %s is not in the mapping's statuses: add it there with a shopcare status (%s), or \"\" to leave the order's status alone", v, ptr, order.StatusNames())
	return ""
}

// payment reads the method (the mapping's payment_methods, or cod and
// prepaid themselves) and whether the order is paid (a boolean, or a
// value in paid_values).
func (w *Webhook) payment(r *reader) order.Payment {
	m := w.m
	var p order.Payment
	if v := r.text("payment_method", m.PaymentMethod, r.doc); v != "" {
		method, ok := lookupFold(m.PaymentMethods, v)
		if !ok && (strings.EqualFold(v, "cod") || strings.EqualFold(v, "prepaid")) {
			method, ok = strings.ToLower(v), true
		}
		if !ok || (method != "cod" && method != "prepaid") {
			r.add("payment_method", "invalid", "%q at %s is not in the mapping's payment_methods: add it there as cod or prepaid", v, m.PaymentMethod)
		}
		p.Method = method
	}
	if len(m.PaidValues) == 0 {
		p.Paid, _ = r.boolean("paid", m.Paid, r.doc)
		return p
	}
	v, ok := r.lookup("paid", m.Paid, r.doc)
	if !ok {
		return p
	}
	switch v := v.(type) {
	case bool:
		p.Paid = v
	case string, json.Number:
		s := strings.TrimSpace(fmt.Sprint(v))
		p.Paid = slices.ContainsFunc(m.PaidValues, func(x string) bool { return strings.EqualFold(x, s) })
	default:
		r.add("paid", "invalid", "%s is %s, want text, a number or true/false", m.Paid, jsonpointer.Kind(v))
	}
	return p
}

// language reads the customer's language as its two- or three-letter
// code: "ru-RU" and "RU" are "ru".
func (w *Webhook) language(r *reader) string {
	v := r.text("language", w.m.Language, r.doc)
	if v == "" {
		return ""
	}
	code := strings.ToLower(v)
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	if len(code) < 2 || len(code) > 3 || strings.Trim(code, "abcdefghijklmnopqrstuvwxyz") != "" {
		r.add("language", "invalid", "%q at %s is not a language code such as ru, lv or en", v, w.m.Language)
		return ""
	}
	return code
}

// items reads the order's lines; each problem names its line.
func (w *Webhook) items(r *reader, minor bool, scale int) []order.Item {
	im := w.m.Items
	if im == nil {
		return nil
	}
	v, ok := r.lookup("items", im.Path, r.doc)
	if !ok {
		return nil
	}
	lines, isArray := v.([]any)
	if !isArray {
		r.add("items", "invalid", "%s is %s, want an array of lines", im.Path, jsonpointer.Kind(v))
		return nil
	}
	if len(lines) > maxItems {
		r.add("items", "invalid", "%s has %d lines, more than %d", im.Path, len(lines), maxItems)
		return nil
	}
	items := make([]order.Item, 0, len(lines))
	for i, line := range lines {
		key := fmt.Sprintf("items[%d]", i)
		if _, ok := line.(map[string]any); !ok {
			r.add(key, "invalid", "line %d of %s is %s, want an object", i, im.Path, jsonpointer.Kind(line))
			continue
		}
		it := order.Item{
			SKU:  r.text(key+".sku", im.SKU, line),
			Name: r.text(key+".name", im.Name, line),
			Qty:  1,
			// The shop platform's id of the line, for the customer's
			// "order again" cart link; a number is kept as its digits.
			VariantID: r.text(key+".variant_id", im.VariantID, line),
		}
		if it.SKU == "" && it.Name == "" && !r.has(key+".sku") && !r.has(key+".name") {
			r.add(key+".sku", "required", "line %d has neither a SKU (%s) nor a name (%s)", i, orNone(im.SKU), orNone(im.Name))
		}
		if q, ok := r.whole(key+".qty", im.Qty, line); ok {
			if q < 1 {
				r.add(key+".qty", "invalid", "%d at %s: must be at least 1", q, im.Qty)
			}
			it.Qty = q
		}
		it.PriceMinor, _ = r.amount(key+".price", im.Price, minor, scale, line)
		items = append(items, it)
	}
	return items
}

func orNone(ptr string) string {
	if ptr == "" {
		return "not mapped"
	}
	return ptr
}

// lookupFold finds key in m, exactly or else ignoring case (the first of
// the keys in order, so the answer never depends on the map's order).
func lookupFold(m map[string]string, key string) (string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.EqualFold(k, key) {
			return m[k], true
		}
	}
	return "", false
}
