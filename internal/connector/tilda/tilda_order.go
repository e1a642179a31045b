package tilda

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// payment is the cart of a submission: Tilda's payment field, a JSON
// object (or, form-urlencoded, a JSON string).
type payment struct {
	OrderID         wire.ID      `json:"orderid"`
	Products        []product    `json:"products"`
	Amount          wire.Decimal `json:"amount"`
	Currency        string       `json:"currency"`
	Delivery        string       `json:"delivery"`
	DeliveryAddress string       `json:"delivery_address"`
	DeliveryFIO     string       `json:"delivery_fio"`
	DeliveryCity    string       `json:"delivery_city"`
	Sys             string       `json:"sys"`
	SysTranID       wire.ID      `json:"systranid"`
}

// product is a line of the cart: an object, or a "Name=price" string when
// the project sends products as strings.
type product struct {
	Name     string       `json:"name"`
	SKU      string       `json:"sku"`
	Quantity wire.Decimal `json:"quantity"`
	// ExternalID is the product's id in the project's catalogue, kept as
	// the line's platform id for a custom cart link's {variant_id}.
	ExternalID wire.ID      `json:"externalid"`
	Price      wire.Decimal `json:"price"`
	Amount     wire.Decimal `json:"amount"`
}

// UnmarshalJSON takes an object or a "Name=price" string.
func (p *product) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		name, price := s, ""
		if i := strings.LastIndex(s, "="); i >= 0 {
			name, price = s[:i], s[i+1:]
		}
		*p = product{Name: strings.TrimSpace(name), Quantity: "1", Price: wire.Decimal(strings.TrimSpace(price))}
		return nil
	}
	type plain product
	var q plain
	if err := json.Unmarshal(b, &q); err != nil {
		return err
	}
	*p = product(q)
	return nil
}

func readPayment(raw json.RawMessage) (*payment, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("payment: %w", err)
		}
		raw = json.RawMessage(strings.TrimSpace(s))
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var p payment
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("payment: not Tilda's cart: %w", err)
	}
	return &p, nil
}

// languages are the customers' languages shopcare writes to.
var languages = map[string]bool{"ru": true, "lv": true, "en": true}

// unpaid are payment systems that take no money at checkout.
var unpaid = map[string]bool{"": true, "none": true, "cash": true, "banktransfer": true, "cod": true}

// order is the submission as a new order: the cart's order id (or the
// submission's), the customer's fields, the cart's lines and total.
func (f fields) order(tranid string, r connector.Request) (*connector.Order, error) {
	o := &connector.Order{ID: tranid, Number: tranid, PlacedAt: r.ReceivedAt, UpdatedAt: r.ReceivedAt}
	o.Customer.Name = f.get("Name")
	o.Customer.Email = f.get("Email")
	o.Customer.Phone = f.get("Phone")
	for _, k := range []string{"lang", "language", "Язык", "Valoda"} {
		if l := strings.ToLower(f.get(k)); languages[l] {
			o.Customer.Language = l
			break
		}
	}
	o.Address = wire.Join(f.get("address"))
	o.Note = f.get("comment")
	o.Currency = wire.Currency(f.get("currency"))
	sys := f.get("paymentsystem")
	p := f.payment
	if p == nil {
		o.Payment = order.Payment{Method: method(sys), Paid: false}
		return o, nil
	}
	if id := string(p.OrderID); id != "" {
		o.ID, o.Number = id, id
	}
	if c := wire.Currency(p.Currency); c != "" {
		o.Currency = c
	}
	if p.Sys != "" {
		sys = p.Sys
	}
	o.Payment = order.Payment{
		Method: method(sys),
		Paid:   !unpaid[strings.ToLower(strings.TrimSpace(sys))] && p.SysTranID != "" && p.SysTranID != "0",
	}
	o.Shipping = strings.TrimSpace(p.Delivery)
	if a := wire.Join(p.DeliveryAddress); a != "" {
		o.Address = a
	}
	if o.Customer.Name == "" {
		o.Customer.Name = strings.TrimSpace(p.DeliveryFIO)
	}
	o.Customer.City = strings.TrimSpace(p.DeliveryCity)
	scale := money.Scale(o.Currency)
	var err error
	if o.TotalMinor, err = wire.Amount("payment.amount", p.Amount, scale); err != nil {
		return nil, err
	}
	for i, pr := range p.Products {
		pre := fmt.Sprintf("payment.products[%d].", i)
		qty := int64(1)
		if pr.Quantity != "" {
			if qty, err = wire.Quantity(pre+"quantity", pr.Quantity); err != nil {
				return nil, err
			}
		}
		price, err := wire.Amount(pre+"price", pr.Price, scale)
		if err != nil {
			return nil, err
		}
		if pr.Price == "" && pr.Amount != "" {
			amount, err := wire.Amount(pre+"amount", pr.Amount, scale)
			if err != nil {
				return nil, err
			}
			price = amount / qty
		}
		o.Items = append(o.Items, order.Item{SKU: strings.TrimSpace(pr.SKU), Name: pr.Name, Qty: qty, PriceMinor: price,
			VariantID: strings.TrimSpace(string(pr.ExternalID))})
	}
	return o, nil
}

// method is "cod" for Tilda's cash payment, "" where the submission
// names no payment system, else prepaid.
func method(sys string) string {
	s := strings.ToLower(strings.TrimSpace(sys))
	switch s {
	case "", "none":
		return ""
	case "cash", "cod":
		return "cod"
	}
	return wire.PaymentMethod(s)
}
