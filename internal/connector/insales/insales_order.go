package insales

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// Order is an InSales order as its API and webhooks write it (the fields
// shopcare reads).
type Order struct {
	ID                  wire.ID       `json:"id" xml:"id"`
	Number              wire.ID       `json:"number" xml:"number"`
	CreatedAt           string        `json:"created_at" xml:"created-at"`
	UpdatedAt           string        `json:"updated_at" xml:"updated-at"`
	FulfillmentStatus   string        `json:"fulfillment_status" xml:"fulfillment-status"`
	FinancialStatus     string        `json:"financial_status" xml:"financial-status"`
	CustomStatus        *status       `json:"custom_status" xml:"custom-status"`
	PaymentGatewayTitle string        `json:"payment_gateway_title" xml:"payment-gateway-title"`
	DeliveryTitle       string        `json:"delivery_title" xml:"delivery-title"`
	TotalPrice          wire.Decimal  `json:"total_price" xml:"total-price"`
	CurrencyCode        string        `json:"currency_code" xml:"currency-code"`
	Client              *client       `json:"client" xml:"client"`
	ShippingAddress     *address      `json:"shipping_address" xml:"shipping-address"`
	OrderLines          []line        `json:"order_lines" xml:"order-lines>order-line"`
	Comment             string        `json:"comment" xml:"comment"`
	DeliveryInfo        *deliveryInfo `json:"delivery_info" xml:"delivery-info"`
	FieldsValues        []fieldValue  `json:"fields_values" xml:"fields-values>fields-value"`
}

// status is a shop's own order status.
type status struct {
	Permalink    string `json:"permalink" xml:"permalink"`
	Title        string `json:"title" xml:"title"`
	SystemStatus string `json:"system_status" xml:"system-status"`
}

type client struct {
	ID         wire.ID `json:"id" xml:"id"`
	Name       string  `json:"name" xml:"name"`
	Surname    string  `json:"surname" xml:"surname"`
	Middlename string  `json:"middlename" xml:"middlename"`
	Email      string  `json:"email" xml:"email"`
	Phone      string  `json:"phone" xml:"phone"`
	Subscribe  *bool   `json:"subscribe" xml:"subscribe"`
}

type address struct {
	FullDeliveryAddress string `json:"full_delivery_address" xml:"full-delivery-address"`
	Address             string `json:"address" xml:"address"`
	City                string `json:"city" xml:"city"`
	State               string `json:"state" xml:"state"`
	Zip                 string `json:"zip" xml:"zip"`
	Country             string `json:"country" xml:"country"`
	Phone               string `json:"phone" xml:"phone"`
}

type line struct {
	SKU       string       `json:"sku" xml:"sku"`
	Title     string       `json:"title" xml:"title"`
	Quantity  wire.Decimal `json:"quantity" xml:"quantity"`
	SalePrice wire.Decimal `json:"sale_price" xml:"sale-price"`
	// VariantID is the product variant bought, InSales' id of what a
	// cart holds.
	VariantID wire.ID `json:"variant_id" xml:"variant-id"`
}

type deliveryInfo struct {
	TrackingNumber string `json:"tracking_number" xml:"tracking-number"`
	TrackingURL    string `json:"tracking_url" xml:"tracking-url"`
}

type fieldValue struct {
	Name   string `json:"name" xml:"name"`
	Handle string `json:"handle" xml:"handle"`
	Value  text   `json:"value" xml:"value"`
}

// text is a field's value where only text counts: a JSON string, or
// nothing for a number, a list or an object.
type text string

// UnmarshalJSON keeps strings and drops anything else.
func (t *text) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = text(s)
	} else {
		*t = ""
	}
	return nil
}

// statuses are InSales' own fulfillment statuses in shopcare's words.
var statuses = map[string]order.Status{
	"new":        order.New,
	"accepted":   order.Processing,
	"approved":   order.Processing,
	"dispatched": order.Shipped,
	"delivered":  order.Delivered,
	"returned":   order.Returned,
	"declined":   order.Cancelled,
}

// Map turns the InSales order into shopcare's words; statuses is the
// connector's map of the shop's own statuses. Errors name the field.
func (s *Order) Map(custom map[string]string) (*connector.Order, error) {
	if s.ID == "" {
		return nil, fmt.Errorf("id: missing")
	}
	o := &connector.Order{
		ID:       string(s.ID),
		Number:   string(s.Number),
		Currency: wire.Currency(s.CurrencyCode),
		Shipping: strings.TrimSpace(s.DeliveryTitle),
		Note:     strings.TrimSpace(s.Comment),
	}
	if o.Number == "" {
		o.Number = o.ID
	}
	var err error
	if o.PlacedAt, err = parseTime("created_at", s.CreatedAt); err != nil {
		return nil, err
	}
	if o.UpdatedAt, err = parseTime("updated_at", s.UpdatedAt); err != nil {
		return nil, err
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = o.PlacedAt
	}
	if o.Status, err = s.status(custom); err != nil {
		return nil, err
	}
	o.Payment = order.Payment{
		Method: wire.PaymentMethod(s.PaymentGatewayTitle),
		Paid:   strings.EqualFold(s.FinancialStatus, "paid"),
	}
	scale := money.Scale(o.Currency)
	if o.TotalMinor, err = wire.Amount("total_price", s.TotalPrice, scale); err != nil {
		return nil, err
	}
	for i, l := range s.OrderLines {
		p := fmt.Sprintf("order_lines[%d].", i)
		qty, err := wire.Quantity(p+"quantity", l.Quantity)
		if err != nil {
			return nil, err
		}
		price, err := wire.Amount(p+"sale_price", l.SalePrice, scale)
		if err != nil {
			return nil, err
		}
		o.Items = append(o.Items, order.Item{SKU: strings.TrimSpace(l.SKU), Name: strings.TrimSpace(l.Title), Qty: qty, PriceMinor: price,
			VariantID: strings.TrimSpace(string(l.VariantID))})
	}
	if c := s.Client; c != nil {
		o.Customer = customer.Input{
			ExternalID: string(c.ID),
			Name:       strings.Join(strings.Fields(c.Name+" "+c.Middlename+" "+c.Surname), " "),
			Email:      strings.TrimSpace(c.Email),
			Phone:      strings.TrimSpace(c.Phone),
		}
		o.MarketingConsent = c.Subscribe
	}
	if a := s.ShippingAddress; a != nil {
		o.Address = strings.TrimSpace(a.FullDeliveryAddress)
		if o.Address == "" {
			o.Address = wire.Join(a.Zip, a.State, a.City, a.Address)
		}
		o.Customer.City = strings.TrimSpace(a.City)
		if len(strings.TrimSpace(a.Country)) == 2 {
			o.Customer.Country = strings.ToUpper(strings.TrimSpace(a.Country))
		}
		if o.Customer.Phone == "" {
			o.Customer.Phone = strings.TrimSpace(a.Phone)
		}
	}
	if f, ok := s.fulfillment(o); ok {
		o.Fulfillments = []connector.Fulfillment{f}
	}
	return o, nil
}

// status is the order's state: the shop's own status through the
// connector's map first, then InSales' fulfillment status.
func (s *Order) status(custom map[string]string) (order.Status, error) {
	var names []string
	if c := s.CustomStatus; c != nil {
		names = append(names, c.Permalink, c.Title)
	}
	names = append(names, s.FulfillmentStatus)
	if st, ok, err := wire.MappedStatus(custom, names...); err != nil || ok {
		return st, err
	}
	fs := strings.ToLower(strings.TrimSpace(s.FulfillmentStatus))
	if fs == "" && s.CustomStatus != nil {
		fs = strings.ToLower(s.CustomStatus.SystemStatus)
	}
	if fs == "" {
		return "", nil
	}
	st, ok := statuses[fs]
	if !ok {
		if s.CustomStatus != nil {
			if st, ok := statuses[strings.ToLower(s.CustomStatus.SystemStatus)]; ok {
				return st, nil
			}
		}
		return "", fmt.Errorf("fulfillment_status: %q is the shop's own status; map it in the connector's statuses", s.FulfillmentStatus)
	}
	return st, nil
}

// fulfillment is the shipment the order names, where it has a tracking
// number: the delivery service's (delivery_info) or a field of the
// shop's whose name says it is one.
func (s *Order) fulfillment(o *connector.Order) (connector.Fulfillment, bool) {
	f := connector.Fulfillment{ID: o.ID, Carrier: o.Shipping, At: o.UpdatedAt}
	if d := s.DeliveryInfo; d != nil {
		f.TrackingNumber = strings.TrimSpace(d.TrackingNumber)
		f.TrackingURL = strings.TrimSpace(d.TrackingURL)
	}
	if f.TrackingNumber == "" {
		for _, v := range s.FieldsValues {
			n := strings.ToLower(v.Handle + " " + v.Name)
			if !strings.Contains(n, "track") && !strings.Contains(n, "трек") {
				continue
			}
			if t := strings.TrimSpace(string(v.Value)); t != "" {
				f.TrackingNumber = t
				break
			}
		}
	}
	return f, f.TrackingNumber != ""
}

// parseTime reads InSales' times (2010-10-12T13:31:09.692+04:00); "" is
// the zero time.
func parseTime(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05.999999999-0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: %q is not a time", field, v)
}
