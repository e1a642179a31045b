package woocommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// trackingMeta is the order meta key of the WooCommerce Shipment Tracking
// extension, the common way a WooCommerce shop records parcels (core has
// no tracking number).
const trackingMeta = "_wc_shipment_tracking_items"

// WooCommerce's own order attribution (since 8.5) keeps where the
// customer came from in the order's meta: the campaign's utm_source
// ("google", "instagram") and the kind of visit ("utm", "organic",
// "referral", "typein" for an address typed in). The utm_source is the
// order's acquisition channel; a typed-in visit is "direct".
const (
	utmSourceMeta  = "_wc_order_attribution_utm_source"
	sourceTypeMeta = "_wc_order_attribution_source_type"
)

// languageMeta is the order meta key in which WPML, the usual plugin of
// a multilingual WooCommerce shop, keeps the language the customer
// ordered in ("ru", "lv", "en_US"); other values are left alone.
const languageMeta = "wpml_language"

// orderPayload is a REST API v3 order, as an order webhook carries it and
// GET /orders returns it: only what shopcare maps.
type orderPayload struct {
	ID              id      `json:"id"`
	Number          string  `json:"number"`
	Status          string  `json:"status"`
	Currency        string  `json:"currency"`
	DateCreatedGMT  string  `json:"date_created_gmt"`
	DateModifiedGMT string  `json:"date_modified_gmt"`
	DatePaidGMT     *string `json:"date_paid_gmt"`
	DateCompleted   *string `json:"date_completed_gmt"`
	Total           decimal `json:"total"`
	CustomerID      id      `json:"customer_id"`
	CustomerNote    string  `json:"customer_note"`
	PaymentMethod   string  `json:"payment_method"`
	SetPaid         bool    `json:"set_paid"`
	Billing         address `json:"billing"`
	Shipping        address `json:"shipping"`
	LineItems       []struct {
		Name     string `json:"name"`
		SKU      string `json:"sku"`
		Quantity int64  `json:"quantity"`
		// ProductID and VariationID (0 for a simple product) name what
		// was bought, as ?add-to-cart= takes it.
		ProductID   id      `json:"product_id"`
		VariationID id      `json:"variation_id"`
		Subtotal    decimal `json:"subtotal"`
		Price       decimal `json:"price"`
	} `json:"line_items"`
	ShippingLines []struct {
		MethodTitle string `json:"method_title"`
	} `json:"shipping_lines"`
	MetaData []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	} `json:"meta_data"`
}

type address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// trackingItem is one parcel of the Shipment Tracking extension.
type trackingItem struct {
	TrackingProvider       string `json:"tracking_provider"`
	CustomTrackingProvider string `json:"custom_tracking_provider"`
	CustomTrackingLink     string `json:"custom_tracking_link"`
	TrackingNumber         string `json:"tracking_number"`
	DateShipped            any    `json:"date_shipped"`
	TrackingID             string `json:"tracking_id"`
}

// statuses maps WooCommerce's core order statuses to shopcare's. Unpaid
// ones (pending, on-hold, failed: a customer may still pay) are new;
// completed means handed over (WooCommerce has no later step).
var statuses = map[string]order.Status{
	"pending":    order.New,
	"on-hold":    order.New,
	"failed":     order.New,
	"processing": order.Processing,
	"completed":  order.Shipped,
	"cancelled":  order.Cancelled,
	"trash":      order.Cancelled,
}

// order maps the payload to a connector order; shop maps the shop's own
// statuses (plugins add some) to shopcare's.
func (p *orderPayload) order(shop map[string]string) (*connector.Order, error) {
	var errs invalid.List
	if p.ID == "" {
		errs.Add("id", "required", "the order has no id")
	}
	o := &connector.Order{
		ID:       string(p.ID),
		Number:   wire.FirstOf(p.Number, string(p.ID)),
		Currency: strings.ToUpper(strings.TrimSpace(p.Currency)),
		Note:     strings.TrimSpace(p.CustomerNote),
	}
	o.PlacedAt = parseTime(&errs, "date_created_gmt", p.DateCreatedGMT, true)
	o.UpdatedAt = parseTime(&errs, "date_modified_gmt", p.DateModifiedGMT, false)
	o.Status = status(p.Status, p.DateCompleted != nil && *p.DateCompleted != "", shop)
	o.Payment = order.Payment{Method: "prepaid", Paid: p.SetPaid || p.DatePaidGMT != nil && *p.DatePaidGMT != ""}
	if strings.EqualFold(strings.TrimSpace(p.PaymentMethod), "cod") {
		o.Payment.Method = "cod"
	}
	scale := money.Scale(o.Currency)
	o.TotalMinor = p.Total.minor(&errs, "total", scale)

	b, s := p.Billing, p.Shipping
	o.Customer = customer.Input{
		Name:    wire.FirstOf(wire.JoinWith(" ", b.FirstName, b.LastName), wire.JoinWith(" ", s.FirstName, s.LastName)),
		Email:   strings.TrimSpace(b.Email),
		Phone:   wire.FirstOf(b.Phone, s.Phone),
		Country: strings.ToUpper(wire.FirstOf(s.Country, b.Country)),
		City:    wire.FirstOf(s.City, b.City),
	}
	if p.CustomerID != "" && p.CustomerID != "0" {
		o.Customer.ExternalID = string(p.CustomerID)
	}
	ship := s
	if strings.TrimSpace(ship.Address1) == "" {
		ship = b
	}
	o.Address = wire.JoinWith(", ", ship.Address1, ship.Address2, ship.City, ship.State, ship.Postcode, ship.Country)

	for i, li := range p.LineItems {
		f := fmt.Sprintf("line_items[%d]", i)
		it := order.Item{SKU: strings.TrimSpace(li.SKU), Name: strings.TrimSpace(li.Name), Qty: li.Quantity,
			VariantID: variantID(li.ProductID, li.VariationID)}
		if li.Quantity < 1 {
			errs.Add(f+".quantity", "too_small", "must be at least 1")
		} else if sub := li.Subtotal.minor(&errs, f+".subtotal", scale); sub > 0 && sub%li.Quantity == 0 {
			// The line's subtotal is exact; its price is a float rounded
			// for display.
			it.PriceMinor = sub / li.Quantity
		} else {
			it.PriceMinor = li.Price.round(&errs, f+".price", scale)
		}
		o.Items = append(o.Items, it)
	}
	if len(p.ShippingLines) > 0 {
		o.Shipping = strings.TrimSpace(p.ShippingLines[0].MethodTitle)
	}
	for i, m := range p.MetaData {
		if m.Key == utmSourceMeta || m.Key == sourceTypeMeta {
			var v string
			if json.Unmarshal(m.Value, &v) == nil {
				v = strings.ToLower(strings.TrimSpace(v))
				switch {
				case m.Key == utmSourceMeta && v != "" && v != "(direct)":
					o.Channel = v
				case m.Key == sourceTypeMeta && v == "typein" && o.Channel == "":
					o.Channel = "direct"
				}
			}
			continue
		}
		if m.Key == languageMeta {
			var lang string
			if json.Unmarshal(m.Value, &lang) == nil {
				if l, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "_"); l == "ru" || l == "lv" || l == "en" {
					o.Customer.Language = l
				}
			}
			continue
		}
		if m.Key != trackingMeta {
			continue
		}
		var items []trackingItem
		if err := json.Unmarshal(m.Value, &items); err != nil {
			errs.Add(fmt.Sprintf("meta_data[%d].value", i), "invalid", "%s is not a list of parcels: %v", trackingMeta, err)
			continue
		}
		for _, t := range items {
			if strings.TrimSpace(t.TrackingNumber) == "" {
				continue
			}
			o.Fulfillments = append(o.Fulfillments, connector.Fulfillment{
				ID:             strings.TrimSpace(t.TrackingID),
				Carrier:        wire.FirstOf(t.CustomTrackingProvider, t.TrackingProvider),
				TrackingNumber: strings.TrimSpace(t.TrackingNumber),
				TrackingURL:    strings.TrimSpace(t.CustomTrackingLink),
				At:             unixTime(t.DateShipped),
			})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// status is the shopcare status of a WooCommerce one: the shop's own map
// first (keyed as the REST API names a status, "shipped", or as
// WordPress stores it, "wc-shipped"), then core's; refunded is returned when the order had been
// completed (sent), cancelled before. An unknown status says nothing.
func status(s string, completed bool, shop map[string]string) order.Status {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, k := range []string{s, "wc-" + s} {
		if v, ok := shop[k]; ok {
			if st, ok := order.ParseStatus(strings.TrimSpace(v)); ok {
				return st
			}
		}
	}
	if s == "refunded" {
		if completed {
			return order.Returned
		}
		return order.Cancelled
	}
	return statuses[s]
}

// unixTime reads the extension's date_shipped: Unix seconds as a string
// or a number; zero when absent or unreadable.
func unixTime(v any) time.Time {
	var sec int64
	switch x := v.(type) {
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return time.Time{}
		}
		sec = n
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return time.Time{}
		}
		sec = int64(x)
	default:
		return time.Time{}
	}
	if sec <= 0 || sec > 1<<40 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// parseTime reads WooCommerce's GMT times, "2017-03-22T19:28:02" without
// a zone (or with one); "" is the zero time, an error only when required.
func parseTime(errs *invalid.List, field, s string, required bool) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			errs.Add(field, "required", "is missing")
		}
		return time.Time{}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	errs.Add(field, "invalid", "%q is not a time such as 2017-03-22T19:28:02", s)
	return time.Time{}
}

// id is a WooCommerce id: a JSON number, or a string of digits.
type id string

// UnmarshalJSON takes a number, a string of digits or null; anything else
// is a type error the decoder names with the field.
func (i *id) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		*i = ""
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return &json.UnmarshalTypeError{Value: "a broken string", Type: reflect.TypeFor[id]()}
		}
		s = strings.TrimSpace(s)
	}
	if s == "" {
		*i = ""
		return nil
	}
	if len(s) > 20 || strings.Trim(s, "0123456789") != "" {
		return &json.UnmarshalTypeError{Value: fmt.Sprintf("%.24q", s), Type: reflect.TypeFor[id]()}
	}
	*i = id(s)
	return nil
}

// variantID is the id ?add-to-cart= takes for a line: its variation's
// when it is a variation of a variable product, else the product's; ""
// when neither is known (0 stands for none: a deleted product).
func variantID(product, variation id) string {
	for _, v := range []id{variation, product} {
		if s := strings.TrimLeft(string(v), "0"); s != "" {
			return s
		}
	}
	return ""
}

// decimal is an amount WooCommerce sends as a string ("29.35") or, for
// a line's price, as a JSON number (3, 12.5).
type decimal string

// UnmarshalJSON keeps the number's text, never a float.
func (d *decimal) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	switch {
	case s == "null":
		*d = ""
	case strings.HasPrefix(s, `"`):
		if err := json.Unmarshal(b, &s); err != nil {
			return &json.UnmarshalTypeError{Value: "a broken string", Type: reflect.TypeFor[decimal]()}
		}
		*d = decimal(strings.TrimSpace(s))
	case s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9'):
		*d = decimal(s)
	default:
		return &json.UnmarshalTypeError{Value: fmt.Sprintf("%.24q", s), Type: reflect.TypeFor[decimal]()}
	}
	return nil
}

// minor reads the amount exactly in minor units; "" is 0.
func (d decimal) minor(errs *invalid.List, field string, scale int) int64 {
	if d == "" {
		return 0
	}
	v, err := money.Parse(string(d), scale)
	if err != nil {
		errs.Add(field, "invalid", "%q: %v", string(d), err)
		return 0
	}
	if v < 0 || v > money.MaxAmount {
		errs.Add(field, "out_of_range", "%q is out of range", string(d))
		return 0
	}
	return v
}

// round reads the amount rounded to the currency's minor unit, for the
// display prices WooCommerce computes as floats (12.3333333).
func (d decimal) round(errs *invalid.List, field string, scale int) int64 {
	if d == "" {
		return 0
	}
	f, err := strconv.ParseFloat(string(d), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		errs.Add(field, "invalid", "%q is not a number", string(d))
		return 0
	}
	v := math.Round(f * math.Pow10(scale))
	if v < 0 || v > money.MaxAmount {
		errs.Add(field, "out_of_range", "%q is out of range", string(d))
		return 0
	}
	return int64(v)
}
