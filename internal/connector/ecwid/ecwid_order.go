package ecwid

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// Order is an Ecwid order as the REST API writes it (the fields shopcare
// reads).
type Order struct {
	ID                string       `json:"id"`
	OrderNumber       wire.ID      `json:"orderNumber"`
	VendorOrderNumber string       `json:"vendorOrderNumber"`
	CreateDate        string       `json:"createDate"`
	UpdateDate        string       `json:"updateDate"`
	CreateTimestamp   int64        `json:"createTimestamp"`
	UpdateTimestamp   int64        `json:"updateTimestamp"`
	PaymentStatus     string       `json:"paymentStatus"`
	FulfillmentStatus string       `json:"fulfillmentStatus"`
	Email             string       `json:"email"`
	BillingPerson     *person      `json:"billingPerson"`
	ShippingPerson    *person      `json:"shippingPerson"`
	Items             []item       `json:"items"`
	Total             wire.Decimal `json:"total"`
	PaymentMethod     string       `json:"paymentMethod"`
	ShippingOption    *struct {
		ShippingMethodName  string `json:"shippingMethodName"`
		ShippingCarrierName string `json:"shippingCarrierName"`
	} `json:"shippingOption"`
	TrackingNumber    string  `json:"trackingNumber"`
	TrackingURL       string  `json:"trackingUrl"`
	CustomerID        wire.ID `json:"customerId"`
	AcceptMarketing   *bool   `json:"acceptMarketing"`
	Lang              string  `json:"lang"`
	OrderComments     string  `json:"orderComments"`
	PrivateAdminNotes string  `json:"privateAdminNotes"`
}

type person struct {
	Name                string `json:"name"`
	FirstName           string `json:"firstName"`
	LastName            string `json:"lastName"`
	Phone               string `json:"phone"`
	Street              string `json:"street"`
	City                string `json:"city"`
	CountryCode         string `json:"countryCode"`
	PostalCode          string `json:"postalCode"`
	StateOrProvinceCode string `json:"stateOrProvinceCode"`
}

func (p *person) name() string {
	if p == nil {
		return ""
	}
	if n := strings.TrimSpace(p.Name); n != "" {
		return n
	}
	return strings.Join(strings.Fields(p.FirstName+" "+p.LastName), " ")
}

type item struct {
	SKU string `json:"sku"`
	// ProductID is the product bought. Its combinationId (the variation)
	// is left: Ecwid's cart is filled by its storefront script
	// (Ecwid.Cart.addProduct with the product id and options), and no
	// cart link of Ecwid names a combination.
	ProductID wire.ID      `json:"productId"`
	Name      string       `json:"name"`
	Quantity  wire.Decimal `json:"quantity"`
	Price     wire.Decimal `json:"price"`
}

// fulfillments are Ecwid's fulfillment statuses in shopcare's words.
var fulfillments = map[string]order.Status{
	"AWAITING_PROCESSING": order.New,
	"PROCESSING":          order.Processing,
	"SHIPPED":             order.Shipped,
	"OUT_FOR_DELIVERY":    order.Shipped,
	"READY_FOR_PICKUP":    order.ReadyForPickup,
	"DELIVERED":           order.Delivered,
	"WILL_NOT_DELIVER":    order.Cancelled,
	"RETURNED":            order.Returned,
}

// languages are the customers' languages shopcare writes to.
var languages = map[string]bool{"ru": true, "lv": true, "en": true}

// Map turns the Ecwid order into shopcare's words; currency is the
// store's (Ecwid orders do not name one), custom the connector's map of
// the store's own statuses. Errors name the field.
func (s *Order) Map(currency string, custom map[string]string) (*connector.Order, error) {
	o := &connector.Order{ID: strings.TrimSpace(s.ID), Currency: currency, Note: strings.TrimSpace(s.OrderComments)}
	if o.ID == "" {
		o.ID = string(s.OrderNumber)
	}
	if o.ID == "" {
		return nil, fmt.Errorf("id: missing")
	}
	o.Number = o.ID
	var err error
	if o.PlacedAt, err = stamp("createDate", s.CreateTimestamp, s.CreateDate); err != nil {
		return nil, err
	}
	if o.UpdatedAt, err = stamp("updateDate", s.UpdateTimestamp, s.UpdateDate); err != nil {
		return nil, err
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = o.PlacedAt
	}
	if o.Status, err = s.status(custom); err != nil {
		return nil, err
	}
	o.Payment = order.Payment{
		Method: wire.PaymentMethod(s.PaymentMethod),
		Paid:   s.PaymentStatus == "PAID" || s.PaymentStatus == "PARTIALLY_REFUNDED",
	}
	scale := money.Scale(currency)
	if o.TotalMinor, err = wire.Amount("total", s.Total, scale); err != nil {
		return nil, err
	}
	for i, it := range s.Items {
		p := fmt.Sprintf("items[%d].", i)
		qty, err := wire.Quantity(p+"quantity", it.Quantity)
		if err != nil {
			return nil, err
		}
		price, err := wire.Amount(p+"price", it.Price, scale)
		if err != nil {
			return nil, err
		}
		o.Items = append(o.Items, order.Item{SKU: strings.TrimSpace(it.SKU), Name: strings.TrimSpace(it.Name), Qty: qty, PriceMinor: price,
			VariantID: strings.TrimSpace(string(it.ProductID))})
	}
	bill, ship := s.BillingPerson, s.ShippingPerson
	if bill == nil {
		bill = ship
	}
	if ship == nil {
		ship = bill
	}
	o.Customer = customer.Input{Email: strings.TrimSpace(s.Email), Name: bill.name()}
	if id := string(s.CustomerID); id != "" && id != "0" {
		o.Customer.ExternalID = id
	}
	if l := strings.ToLower(strings.TrimSpace(s.Lang)); languages[l] {
		o.Customer.Language = l
	}
	o.MarketingConsent = s.AcceptMarketing
	if bill != nil {
		o.Customer.Phone = strings.TrimSpace(bill.Phone)
	}
	if ship != nil {
		if o.Customer.Phone == "" {
			o.Customer.Phone = strings.TrimSpace(ship.Phone)
		}
		if o.Customer.Name == "" {
			o.Customer.Name = ship.name()
		}
		o.Customer.City = strings.TrimSpace(ship.City)
		if c := strings.ToUpper(strings.TrimSpace(ship.CountryCode)); len(c) == 2 {
			o.Customer.Country = c
		}
		o.Address = wire.Join(ship.Street, ship.City, ship.StateOrProvinceCode, ship.PostalCode, ship.CountryCode)
	}
	if so := s.ShippingOption; so != nil {
		o.Shipping = strings.TrimSpace(so.ShippingMethodName)
	}
	if t := strings.TrimSpace(s.TrackingNumber); t != "" {
		carrier := o.Shipping
		if so := s.ShippingOption; so != nil && strings.TrimSpace(so.ShippingCarrierName) != "" {
			carrier = strings.TrimSpace(so.ShippingCarrierName)
		}
		o.Fulfillments = []connector.Fulfillment{{ID: o.ID, Carrier: carrier, TrackingNumber: t, TrackingURL: strings.TrimSpace(s.TrackingURL), At: o.UpdatedAt}}
	}
	return o, nil
}

// status is where the order stands: the store's own statuses through the
// connector's map first; a cancelled payment cancels, a refund returns an
// order that left the store and cancels one that did not.
func (s *Order) status(custom map[string]string) (order.Status, error) {
	if st, ok, err := wire.MappedStatus(custom, s.FulfillmentStatus, s.PaymentStatus); err != nil || ok {
		return st, err
	}
	var st order.Status
	if s.FulfillmentStatus != "" {
		var ok bool
		if st, ok = fulfillments[s.FulfillmentStatus]; !ok {
			return "", fmt.Errorf("fulfillmentStatus: %q is the store's own status; map it in the connector's statuses", s.FulfillmentStatus)
		}
	}
	switch s.PaymentStatus {
	case "CANCELLED":
		if !st.LeftShop() {
			return order.Cancelled, nil
		}
	case "REFUNDED":
		if st.LeftShop() {
			return order.Returned, nil
		}
		return order.Cancelled, nil
	}
	return st, nil
}

// stamp is the time of a field: Ecwid's unix timestamp where it gives
// one, else its date ("2024-09-04 07:22:09 +0000").
func stamp(field string, unix int64, date string) (time.Time, error) {
	if unix > 0 {
		return time.Unix(unix, 0).UTC(), nil
	}
	date = strings.TrimSpace(date)
	if date == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05 -0700", time.RFC3339} {
		if t, err := time.Parse(layout, date); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: %q is not a time", field, date)
}

// unix is a query's time as Ecwid's filters take it.
func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
