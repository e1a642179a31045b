package api

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// orderRequest is the body of POST /api/v1/orders.
type orderRequest struct {
	ExternalID  string         `json:"external_id"`
	CreatedAt   string         `json:"created_at"`
	Customer    customer.Input `json:"customer"`
	Items       []itemRequest  `json:"items"`
	Total       json.Number    `json:"total"`
	Currency    string         `json:"currency"`
	Carrier     string         `json:"carrier"`
	Payment     paymentJSON    `json:"payment"`
	GiftWrap    bool           `json:"gift_wrap"`
	Channel     string         `json:"channel"`
	History     bool           `json:"history"`
	Status      string         `json:"status"`
	DeliveredAt string         `json:"delivered_at"`
	PromisedTo  string         `json:"promised_to"`
	// DeliveryAddress is where the order goes, for the call-back to
	// confirm; Address is its older name, read when it is not given.
	DeliveryAddress string `json:"delivery_address"`
	Address         string `json:"address"`
	// ReferralCode is the ?ref= of a customer's personal link.
	ReferralCode string `json:"referral_code"`
}

type itemRequest struct {
	SKU            string      `json:"sku"`
	Name           string      `json:"name"`
	Qty            int64       `json:"qty"`
	Price          json.Number `json:"price"`
	MadeToOrder    bool        `json:"made_to_order"`
	ProductionDays int         `json:"production_days"`
	VariantID      string      `json:"variant_id" doc:"The shop platform's id of what was bought (Shopify variant id, WooCommerce variation or product id, …), for the customer's \"order again\" cart link; at most 64 printable characters without spaces. Optional."`
}

type paymentJSON struct {
	Method string `json:"method"`
	Paid   bool   `json:"paid"`
}

// newOrder turns the request into the domain's input, collecting every
// field that cannot be read.
func (req *orderRequest) newOrder(loc *time.Location) (order.NewOrder, error) {
	var errs invalid.List
	n := order.NewOrder{
		ExternalID: req.ExternalID, Customer: req.Customer, Currency: req.Currency, Carrier: req.Carrier,
		Channel: strings.TrimSpace(req.Channel), Payment: order.Payment(req.Payment), GiftWrap: req.GiftWrap,
		History: req.History, PromisedTo: strings.TrimSpace(req.PromisedTo), Address: cmp.Or(req.DeliveryAddress, req.Address),
		ReferralCode: req.ReferralCode,
	}
	scale := money.Scale(strings.ToUpper(req.Currency))
	if req.CreatedAt != "" {
		t, err := parseTime(req.CreatedAt, loc)
		if err != nil {
			errs.Add("created_at", "invalid", "%q is not a time like 2026-11-23T15:20:00+03:00", req.CreatedAt)
		}
		n.PlacedAt = t
	}
	if req.DeliveredAt != "" {
		t, err := parseTime(req.DeliveredAt, loc)
		if err != nil {
			errs.Add("delivered_at", "invalid", "%q is not a time like 2026-11-23T15:20:00+03:00", req.DeliveredAt)
		}
		n.DeliveredAt = &t
	}
	if req.Status != "" {
		st, ok := order.ParseStatus(req.Status)
		if !ok {
			errs.Add("status", "invalid", "%q is not a status (%s)", req.Status, order.StatusNames())
		}
		n.Status = st
	}
	if req.Total != "" {
		v, err := money.Parse(req.Total.String(), scale)
		if err != nil {
			errs.Add("total", "invalid", "%q: %v", req.Total, err)
		}
		n.TotalMinor, n.TotalGiven = v, true
	}
	for i, it := range req.Items {
		price, err := money.Parse(it.Price.String(), scale)
		if err != nil {
			errs.Add("items["+strconv.Itoa(i)+"].price", "invalid", "%q: %v", it.Price, err)
		}
		n.Items = append(n.Items, order.Item{SKU: it.SKU, Name: it.Name, Qty: it.Qty, PriceMinor: price,
			MadeToOrder: it.MadeToOrder, ProductionDays: it.ProductionDays, VariantID: it.VariantID})
	}
	return n, errs.Err()
}

// parseTime reads RFC 3339, or a shop-local "2006-01-02 15:04:05" / date.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invalid.Field("", "invalid", "not a time")
}

// orderJSON is an order as the API shows it.
type orderJSON struct {
	ID             int64        `json:"id"`
	ExternalID     string       `json:"external_id"`
	Status         order.Status `json:"status"`
	CreatedAt      time.Time    `json:"created_at"`
	RecordedAt     time.Time    `json:"recorded_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Customer       customerJSON `json:"customer"`
	Items          []itemJSON   `json:"items"`
	Total          json.Number  `json:"total"`
	Currency       string       `json:"currency"`
	Channel        string       `json:"channel"`
	Carrier        string       `json:"carrier"`
	TrackingNumber string       `json:"tracking_number"`
	Payment        paymentJSON  `json:"payment"`
	GiftWrap       bool         `json:"gift_wrap"`
	History        bool         `json:"history"`
	Promise        promiseJSON  `json:"promise"`
	PromiseState   *string      `json:"promise_state"`
	DeliveredAt    *time.Time   `json:"delivered_at"`
	StatusHistory  []statusJSON `json:"status_history"`
	// Parcels are the order's shipments, once it has shipped.
	Parcels []parcelJSON `json:"parcels"`
	// DeliveryAddress is where the order goes ("" when nobody gave one);
	// DeliveryAddressConfirmedAt when the customer confirmed it on the
	// call-back (null until then).
	DeliveryAddress            string     `json:"delivery_address"`
	DeliveryAddressConfirmedAt *time.Time `json:"delivery_address_confirmed_at"`
	// Returns are the return requests the customer made on their page,
	// oldest first; absent when there are none.
	Returns []returnJSON `json:"returns,omitempty"`
}

type customerJSON struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"external_id,omitempty"`
	Name       string `json:"name"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Language   string `json:"language"`
	Country    string `json:"country,omitempty"`
	City       string `json:"city,omitempty"`
	Timezone   string `json:"timezone"`
}

type itemJSON struct {
	SKU            string      `json:"sku"`
	Name           string      `json:"name"`
	Qty            int64       `json:"qty"`
	Price          json.Number `json:"price"`
	MadeToOrder    bool        `json:"made_to_order"`
	ProductionDays int         `json:"production_days"`
	VariantID      string      `json:"variant_id,omitempty" doc:"The shop platform's id of what was bought (Shopify variant id, WooCommerce variation or product id, …), for the customer's \"order again\" cart link; at most 64 printable characters without spaces. Absent when unknown."`
}

type statusJSON struct {
	From   *order.Status `json:"from"`
	To     order.Status  `json:"to"`
	At     time.Time     `json:"at"`
	Source string        `json:"source"`
}

func orderView(o *order.Order, loc *time.Location, today string, graceDays int) orderJSON {
	scale := money.Scale(o.Currency)
	v := orderJSON{
		ID: o.ID, ExternalID: o.ExternalID, Status: o.Status, CreatedAt: o.PlacedAt.In(loc),
		RecordedAt: o.CreatedAt.In(loc), UpdatedAt: o.UpdatedAt.In(loc),
		Total: json.Number(money.Format(o.TotalMinor, scale)), Currency: o.Currency, Channel: o.Channel,
		Carrier: o.Carrier, TrackingNumber: o.TrackingNumber, Payment: paymentJSON(o.Payment),
		GiftWrap: o.GiftWrap, History: o.History, Items: []itemJSON{}, StatusHistory: []statusJSON{}, Parcels: []parcelJSON{},
	}
	if c := o.Customer; c != nil {
		v.Customer = customerJSON{ID: c.ID, ExternalID: c.ExternalID, Name: c.Name, Email: c.Email, Phone: c.Phone,
			Language: c.Language, Country: c.Country, City: c.City, Timezone: c.Timezone}
	}
	for _, it := range o.Items {
		v.Items = append(v.Items, itemJSON{SKU: it.SKU, Name: it.Name, Qty: it.Qty,
			Price: json.Number(money.Format(it.PriceMinor, scale)), MadeToOrder: it.MadeToOrder, ProductionDays: it.ProductionDays, VariantID: it.VariantID})
	}
	for _, c := range o.StatusHistory {
		s := statusJSON{To: c.To, At: c.At.In(loc), Source: c.Source}
		if c.From != "" {
			from := c.From
			s.From = &from
		}
		v.StatusHistory = append(v.StatusHistory, s)
	}
	v.Promise = storedJSON(o.Promise())
	if st := o.PromiseState(today, graceDays); st != "" {
		s := string(st)
		v.PromiseState = &s
	}
	if o.DeliveredAt != nil {
		t := o.DeliveredAt.In(loc)
		v.DeliveredAt = &t
	}
	v.DeliveryAddress = o.Address
	if o.AddressConfirmedAt != nil {
		t := o.AddressConfirmedAt.In(loc)
		v.DeliveryAddressConfirmedAt = &t
	}
	return v
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
