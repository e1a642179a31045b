package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/jsonpointer"
)

// Mapping reads a custom platform's webhook payloads — any other
// platform's, or a shop's own site's — into an order: a JSON pointer
// (RFC 6901, "/order/id") per field, and the platform's words (events,
// statuses, payment methods) in shopcare's. Only OrderID is required; a
// field without a pointer is left empty, and a pointer that finds
// nothing (or null) in a payload leaves its field empty too.
type Mapping struct {
	// OrderID points at the platform's id of the order ("/id"), text
	// or a number: the order's external id is "{connector}:{id}".
	OrderID string `yaml:"order_id"`
	// Number points at the order's number as the customer knows it.
	Number string `yaml:"number,omitempty"`
	// PlacedAt and UpdatedAt point at when the order was placed and
	// last changed, read with TimeFormat.
	PlacedAt  string `yaml:"placed_at,omitempty"`
	UpdatedAt string `yaml:"updated_at,omitempty"`
	// TimeFormat is how the times are written: "rfc3339" (the default,
	// "2025-03-01T14:05:00+02:00"), "unix" (seconds, a number or digits),
	// "unix_ms" (milliseconds), or a Go layout such as
	// "2006-01-02 15:04:05".
	TimeFormat string `yaml:"time_format,omitempty"`
	// TimeZone is the IANA zone of times written without an offset
	// ("Europe/Riga"); UTC when empty.
	TimeZone string `yaml:"time_zone,omitempty"`

	// Event points at what happened ("/event"), or names the header that
	// says it ("X-Event"); Events maps its values to shopcare's events
	// (order_created, order_updated, order_paid, order_cancelled,
	// order_refunded, order_fulfilled, ping, ignored). Without Event
	// every delivery is order_updated; a value Events does not name (and
	// that is not an event's own name) is ignored: stored, not applied.
	// order_cancelled cancels an order whose status maps to nothing, and
	// order_paid marks it paid when the mapping has no Paid.
	Event  string            `yaml:"event,omitempty"`
	Events map[string]string `yaml:"events,omitempty"`

	// Status points at the platform's order status; Statuses maps each
	// of its values to a shopcare status (new, processing, ready_to_ship,
	// shipped, ready_for_pickup, delivered, cancelled, returned), or to
	// "" to leave the order's status alone. A value that is already a
	// shopcare status needs no entry. Any other value is an error on the
	// delivery naming the status, so a new status on the shop's side
	// shows up on the connectors page instead of being lost; add it here
	// and replay the delivery.
	Status   string            `yaml:"status,omitempty"`
	Statuses map[string]string `yaml:"statuses,omitempty"`

	// Paid points at whether the order is paid: true/false, 1/0, or the
	// text "true", "false", "yes", "no", "1", "0" — or, with PaidValues,
	// any value, paid when it is one of PaidValues ("paid", "succeeded").
	Paid       string   `yaml:"paid,omitempty"`
	PaidValues []string `yaml:"paid_values,omitempty"`
	// PaymentMethod points at how the customer pays; PaymentMethods maps
	// its values to "cod" (cash on delivery) or "prepaid". "cod" and
	// "prepaid" themselves need no entry; another value is an error.
	PaymentMethod  string            `yaml:"payment_method,omitempty"`
	PaymentMethods map[string]string `yaml:"payment_methods,omitempty"`

	// Currency points at the order's ISO 4217 code; Total at its total.
	Currency string `yaml:"currency,omitempty"`
	Total    string `yaml:"total,omitempty"`
	// Money says how amounts are written: "major" (the default: decimal
	// units, 12.50 or "12.50") or "minor" (whole cents/kopecks, 1250).
	Money string `yaml:"money,omitempty"`

	// CustomerID points at the platform's id of the customer.
	CustomerID string `yaml:"customer_id,omitempty"`
	// CustomerName points at the customer's name, or lists pointers
	// whose texts are joined with spaces ([/first_name, /last_name]).
	CustomerName Pointers `yaml:"customer_name,omitempty"`
	// Email and Phone point at the customer's e-mail address and phone
	// number; one that does not read as one is left out of the order.
	Email string `yaml:"email,omitempty"`
	Phone string `yaml:"phone,omitempty"`
	// Language points at the customer's language ("ru", "lv-LV").
	Language string `yaml:"language,omitempty"`
	// MarketingConsent points at whether the customer agreed to
	// marketing e-mail (true/false, 1/0, "yes"/"no").
	MarketingConsent string `yaml:"marketing_consent,omitempty"`
	// Address points at the delivery address, or lists pointers whose
	// texts are joined with ", " ([/shipping/street, /shipping/city]).
	Address Pointers `yaml:"address,omitempty"`
	// Shipping points at the shipping method's name, which the
	// connector's carriers: map turns into a carrier.
	Shipping string `yaml:"shipping,omitempty"`
	// Note points at the customer's comment, or lists pointers whose
	// texts are joined with new lines.
	Note Pointers `yaml:"note,omitempty"`

	// Items reads the order's lines.
	Items *ItemsMapping `yaml:"items,omitempty"`

	// TrackingNumber, Carrier and TrackingURL point at the shipment's,
	// when the payload carries one: a tracking number makes a fulfilment.
	TrackingNumber string `yaml:"tracking_number,omitempty"`
	Carrier        string `yaml:"carrier,omitempty"`
	TrackingURL    string `yaml:"tracking_url,omitempty"`

	// DeliveryID names the header ("X-Request-Id") or points at the field
	// ("/delivery_id") that identifies a delivery, the same on every
	// retry, so that a retry is not applied twice; without it shopcare
	// uses a digest of the body.
	DeliveryID string `yaml:"delivery_id,omitempty"`

	// Signature says how the platform signs its deliveries; without it
	// the secret in the address (/hooks/{name}/{secret} or ?secret=)
	// guards the connector.
	Signature *SignatureMapping `yaml:"signature,omitempty"`
}

// ItemsMapping reads an order's lines: Path points at the array in the
// payload; the others point into each of its elements.
type ItemsMapping struct {
	Path string `yaml:"path"`
	// SKU and Name point at a line's article and name; a line needs one
	// of them.
	SKU  string `yaml:"sku,omitempty"`
	Name string `yaml:"name,omitempty"`
	// VariantID points at the platform's id of a line (its product or
	// variant id), which the customer's "order again" cart link names;
	// optional.
	VariantID string `yaml:"variant_id,omitempty"`
	// Qty is a whole number, 1 or more; 1 when Qty is not set.
	Qty string `yaml:"qty,omitempty"`
	// Price is the price of one unit, written as Mapping.Money says.
	Price string `yaml:"price,omitempty"`
}

// SignatureMapping is how a custom platform signs its deliveries: an
// HMAC of the raw body with the connector's webhook_secret, in Header,
// written in Encoding after an optional Prefix ("sha256=").
type SignatureMapping struct {
	Header string `yaml:"header"`
	// Algorithm is hmac-sha256 (the default), hmac-sha512 or hmac-sha1.
	Algorithm string `yaml:"algorithm,omitempty"`
	// Encoding is hex (the default) or base64.
	Encoding string `yaml:"encoding,omitempty"`
	Prefix   string `yaml:"prefix,omitempty"`
}

// Pointers is one JSON pointer or a list of them, whose texts are joined
// (a name from a first and a last name). In YAML a string or a list.
type Pointers []string

// UnmarshalYAML reads a string or a list of strings.
func (p *Pointers) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" || n.Value == "" {
			*p = nil
			return nil
		}
		*p = Pointers{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return fmt.Errorf("line %d: want a JSON pointer or a list of them", n.Line)
	}
	*p = list
	return nil
}

// MarshalYAML writes one pointer as a string, several as a list.
func (p Pointers) MarshalYAML() (any, error) {
	if len(p) == 1 {
		return p[0], nil
	}
	return []string(p), nil
}

// MappingEvents are the events a mapping's events: may name; they are
// connector.Event's values (checked by the custom connector's tests).
var MappingEvents = []string{"order_created", "order_updated", "order_paid", "order_cancelled",
	"order_refunded", "order_fulfilled", "ping", "ignored"}

// MappingStatuses are the order statuses a mapping's statuses: may name;
// they are order.Statuses (checked by the custom connector's tests).
var MappingStatuses = []string{"new", "processing", "ready_to_ship", "shipped", "ready_for_pickup",
	"delivered", "cancelled", "returned"}

// Validate checks the mapping and adds each problem to errs under
// prefix, the mapping's key ("connectors[2].mapping"): every pointer is
// RFC 6901, order_id is set, the maps name only shopcare's words, and
// the time format, zone, money and signature are ones shopcare reads.
func (m *Mapping) Validate(prefix string, errs *invalid.List) {
	k := func(key string) string { return prefix + "." + key }
	if m.OrderID == "" {
		errs.Add(k("order_id"), "required", "the order's id is required: a JSON pointer such as /id")
	}
	for _, f := range []struct{ key, p string }{
		{"order_id", m.OrderID}, {"number", m.Number}, {"placed_at", m.PlacedAt}, {"updated_at", m.UpdatedAt},
		{"status", m.Status}, {"paid", m.Paid}, {"payment_method", m.PaymentMethod},
		{"currency", m.Currency}, {"total", m.Total}, {"customer_id", m.CustomerID},
		{"email", m.Email}, {"phone", m.Phone}, {"language", m.Language},
		{"marketing_consent", m.MarketingConsent}, {"shipping", m.Shipping},
		{"tracking_number", m.TrackingNumber}, {"carrier", m.Carrier}, {"tracking_url", m.TrackingURL},
	} {
		validateMappingPointer(errs, k(f.key), f.p)
	}
	for _, f := range []struct {
		key string
		ps  Pointers
	}{{"customer_name", m.CustomerName}, {"address", m.Address}, {"note", m.Note}} {
		for i, p := range f.ps {
			key := k(f.key)
			if len(f.ps) > 1 {
				key = fmt.Sprintf("%s[%d]", key, i)
			}
			if p == "" {
				errs.Add(key, "invalid", "an empty pointer in a list: give each a JSON pointer such as /customer/name")
				continue
			}
			validateMappingPointer(errs, key, p)
		}
	}
	validateMappingHeaderOrPointer(errs, k("event"), m.Event)
	validateMappingHeaderOrPointer(errs, k("delivery_id"), m.DeliveryID)
	if len(m.Events) > 0 && m.Event == "" {
		errs.Add(k("events"), "invalid", "events: needs event: a JSON pointer or a header that says what happened")
	}
	for _, v := range slices.Sorted(maps.Keys(m.Events)) {
		if !slices.Contains(MappingEvents, m.Events[v]) {
			errs.Add(k("events."+v), "invalid", "%q is not an event: use one of %s", m.Events[v], strings.Join(MappingEvents, ", "))
		}
	}
	if len(m.Statuses) > 0 && m.Status == "" {
		errs.Add(k("statuses"), "invalid", "statuses: needs status: a JSON pointer to the order's status")
	}
	for _, v := range slices.Sorted(maps.Keys(m.Statuses)) {
		if s := m.Statuses[v]; s != "" && !slices.Contains(MappingStatuses, s) {
			errs.Add(k("statuses."+v), "invalid", "%q is not an order status: use one of %s, or \"\" to leave the status alone", s, strings.Join(MappingStatuses, ", "))
		}
	}
	if len(m.PaidValues) > 0 && m.Paid == "" {
		errs.Add(k("paid_values"), "invalid", "paid_values: needs paid: a JSON pointer to the payment's state")
	}
	if len(m.PaymentMethods) > 0 && m.PaymentMethod == "" {
		errs.Add(k("payment_methods"), "invalid", "payment_methods: needs payment_method: a JSON pointer to how the customer pays")
	}
	for _, v := range slices.Sorted(maps.Keys(m.PaymentMethods)) {
		if pm := m.PaymentMethods[v]; pm != "cod" && pm != "prepaid" {
			errs.Add(k("payment_methods."+v), "invalid", "%q is not a payment method: use cod or prepaid", pm)
		}
	}
	switch m.Money {
	case "", "major", "minor":
	default:
		errs.Add(k("money"), "invalid", "%q: amounts are major (12.50) or minor (1250)", m.Money)
	}
	switch f := m.TimeFormat; f {
	case "", "rfc3339", "unix", "unix_ms":
	default:
		ref := time.Date(2025, 3, 1, 14, 5, 6, 0, time.UTC)
		if ref.Format(f) == f {
			errs.Add(k("time_format"), "invalid", "%q is not a time format: use rfc3339, unix, unix_ms or a Go layout such as \"2006-01-02 15:04:05\"", f)
		} else if _, err := time.Parse(f, ref.Format(f)); err != nil {
			errs.Add(k("time_format"), "invalid", "%q is not a time format shopcare can read back: %v", f, err)
		}
	}
	if m.TimeZone != "" {
		if _, err := time.LoadLocation(m.TimeZone); err != nil {
			errs.Add(k("time_zone"), "invalid", "%q is not an IANA time zone such as Europe/Riga", m.TimeZone)
		}
	}
	if it := m.Items; it != nil {
		if it.Path == "" {
			errs.Add(k("items.path"), "required", "items need path: a JSON pointer to the array of lines, such as /lines")
		}
		validateMappingPointer(errs, k("items.path"), it.Path)
		for _, f := range []struct{ key, p string }{{"sku", it.SKU}, {"name", it.Name}, {"variant_id", it.VariantID}, {"qty", it.Qty}, {"price", it.Price}} {
			validateMappingPointer(errs, k("items."+f.key), f.p)
		}
		if it.SKU == "" && it.Name == "" {
			errs.Add(k("items.sku"), "required", "items need sku or name: a JSON pointer inside each line, such as /sku")
		}
	}
	if s := m.Signature; s != nil {
		if s.Header == "" {
			errs.Add(k("signature.header"), "required", "the header that carries the signature is required, such as X-Signature")
		} else if !mappingHeaderName(s.Header) {
			errs.Add(k("signature.header"), "invalid", "%q is not a header name", s.Header)
		}
		switch s.Algorithm {
		case "", "hmac-sha256", "hmac-sha512", "hmac-sha1":
		default:
			errs.Add(k("signature.algorithm"), "invalid", "%q: use hmac-sha256, hmac-sha512 or hmac-sha1", s.Algorithm)
		}
		switch s.Encoding {
		case "", "hex", "base64":
		default:
			errs.Add(k("signature.encoding"), "invalid", "%q: use hex or base64", s.Encoding)
		}
		if strings.ContainsAny(s.Prefix, "\x00\r\n") {
			errs.Add(k("signature.prefix"), "invalid", "the prefix must be on one line")
		}
	}
}

// validatePointer checks one JSON pointer; "" is a field left unmapped.
func validateMappingPointer(errs *invalid.List, key, p string) {
	if p == "" {
		return
	}
	if !strings.HasPrefix(p, "/") {
		errs.Add(key, "invalid", "%q is not a JSON pointer: it must start with /", p)
		return
	}
	if _, err := jsonpointer.Parse(p); err != nil {
		errs.Add(key, "invalid", "%q is not a JSON pointer: write ~ as ~0 and / inside a name as ~1", p)
	}
}

// validateHeaderOrPointer checks a key that is a JSON pointer when it
// starts with / and a header's name otherwise.
func validateMappingHeaderOrPointer(errs *invalid.List, key, v string) {
	switch {
	case v == "":
	case strings.HasPrefix(v, "/"):
		validateMappingPointer(errs, key, v)
	case !mappingHeaderName(v):
		errs.Add(key, "invalid", "%q is neither a JSON pointer (starting with /) nor a header name", v)
	}
}

// headerName reports whether s is an HTTP header's name (RFC 9110 token).
func mappingHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// IsPointer reports whether a header-or-pointer key (Mapping.Event,
// Mapping.DeliveryID) is a JSON pointer rather than a header's name.
func IsPointer(v string) bool { return strings.HasPrefix(v, "/") }
