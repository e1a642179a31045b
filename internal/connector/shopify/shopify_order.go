package shopify

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// orderPayload is the order of an orders/* webhook (the REST
// representation, which webhooks keep): only what shopcare maps.
type orderPayload struct {
	ID                    id                `json:"id"`
	Name                  string            `json:"name"`
	Email                 string            `json:"email"`
	ContactEmail          string            `json:"contact_email"`
	Phone                 string            `json:"phone"`
	CreatedAt             string            `json:"created_at"`
	UpdatedAt             string            `json:"updated_at"`
	CancelledAt           string            `json:"cancelled_at"`
	FinancialStatus       string            `json:"financial_status"`
	FulfillmentStatus     string            `json:"fulfillment_status"`
	Currency              string            `json:"currency"`
	TotalPrice            string            `json:"total_price"`
	CustomerLocale        string            `json:"customer_locale"`
	BuyerAcceptsMarketing *bool             `json:"buyer_accepts_marketing"`
	Gateway               string            `json:"gateway"`
	PaymentGatewayNames   []string          `json:"payment_gateway_names"`
	Note                  string            `json:"note"`
	Customer              *customerPayload  `json:"customer"`
	ShippingAddress       *addressPayload   `json:"shipping_address"`
	BillingAddress        *addressPayload   `json:"billing_address"`
	LineItems             []lineItemPayload `json:"line_items"`
	ShippingLines         []struct {
		Title string `json:"title"`
	} `json:"shipping_lines"`
	Fulfillments []fulfillmentPayload `json:"fulfillments"`
}

type customerPayload struct {
	ID                    id     `json:"id"`
	FirstName             string `json:"first_name"`
	LastName              string `json:"last_name"`
	Email                 string `json:"email"`
	Phone                 string `json:"phone"`
	AcceptsMarketing      *bool  `json:"accepts_marketing"`
	EmailMarketingConsent *struct {
		State string `json:"state"`
	} `json:"email_marketing_consent"`
}

type addressPayload struct {
	Name        string `json:"name"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	City        string `json:"city"`
	Province    string `json:"province"`
	Zip         string `json:"zip"`
	Country     string `json:"country"`
	CountryCode string `json:"country_code"`
	Phone       string `json:"phone"`
}

type lineItemPayload struct {
	SKU string `json:"sku"`
	// VariantID is the variant bought, which Shopify's cart permalink
	// names (/cart/{variant_id}:{qty}); null for a custom line or a
	// deleted product.
	VariantID id     `json:"variant_id"`
	Title     string `json:"title"`
	Name      string `json:"name"`
	Quantity  int64  `json:"quantity"`
	Price     string `json:"price"`
}

type fulfillmentPayload struct {
	ID              id       `json:"id"`
	Status          string   `json:"status"`
	CreatedAt       string   `json:"created_at"`
	TrackingCompany string   `json:"tracking_company"`
	TrackingNumber  string   `json:"tracking_number"`
	TrackingNumbers []string `json:"tracking_numbers"`
	TrackingURL     string   `json:"tracking_url"`
	TrackingURLs    []string `json:"tracking_urls"`
}

// order maps the payload to a connector order; every fault it finds is
// named by its field.
func (p *orderPayload) order() (*connector.Order, error) {
	var errs invalid.List
	if p.ID == "" {
		errs.Add("id", "required", "the order has no id")
	}
	o := &connector.Order{
		ID:       string(p.ID),
		Number:   strings.TrimSpace(p.Name),
		Currency: strings.ToUpper(strings.TrimSpace(p.Currency)),
		Note:     strings.TrimSpace(p.Note),
	}
	o.PlacedAt = parseTime(&errs, "created_at", p.CreatedAt, true)
	o.UpdatedAt = parseTime(&errs, "updated_at", p.UpdatedAt, false)
	cancelled := parseTime(&errs, "cancelled_at", p.CancelledAt, false)
	o.Status = status(!cancelled.IsZero(), p.FinancialStatus, p.FulfillmentStatus)
	o.Payment = payment(p.FinancialStatus, append([]string{p.Gateway}, p.PaymentGatewayNames...))
	o.TotalMinor = parseAmount(&errs, "total_price", p.TotalPrice, o.Currency)

	c := customer.Input{Email: wire.FirstOf(p.Email, p.ContactEmail), Phone: p.Phone, Language: language(p.CustomerLocale)}
	if cu := p.Customer; cu != nil {
		c.ExternalID = string(cu.ID)
		c.Name = wire.JoinWith(" ", cu.FirstName, cu.LastName)
		c.Email = wire.FirstOf(c.Email, cu.Email)
		c.Phone = wire.FirstOf(c.Phone, cu.Phone)
		o.MarketingConsent = consent(cu.EmailMarketingConsent, cu.AcceptsMarketing)
	}
	if o.MarketingConsent == nil && p.BuyerAcceptsMarketing != nil {
		v := *p.BuyerAcceptsMarketing
		o.MarketingConsent = &v
	}
	addr := p.ShippingAddress
	if addr == nil {
		addr = p.BillingAddress
	}
	if addr != nil {
		c.Name = wire.FirstOf(c.Name, addr.Name, wire.JoinWith(" ", addr.FirstName, addr.LastName))
		c.Phone = wire.FirstOf(c.Phone, addr.Phone)
		c.Country, c.City = strings.ToUpper(strings.TrimSpace(addr.CountryCode)), strings.TrimSpace(addr.City)
	}
	if p.ShippingAddress != nil {
		a := p.ShippingAddress
		o.Address = wire.JoinWith(", ", a.Address1, a.Address2, a.City, a.Province, a.Zip, a.Country)
	}
	o.Customer = c

	for i, li := range p.LineItems {
		f := fmt.Sprintf("line_items[%d]", i)
		it := order.Item{SKU: strings.TrimSpace(li.SKU), Name: wire.FirstOf(li.Title, li.Name), Qty: li.Quantity,
			VariantID: string(li.VariantID)}
		if li.Quantity < 1 {
			errs.Add(f+".quantity", "too_small", "must be at least 1")
		}
		it.PriceMinor = parseAmount(&errs, f+".price", li.Price, o.Currency)
		o.Items = append(o.Items, it)
	}
	if len(p.ShippingLines) > 0 {
		o.Shipping = strings.TrimSpace(p.ShippingLines[0].Title)
	}
	for i, f := range p.Fulfillments {
		if !shipped(f.Status) {
			continue
		}
		ff := connector.Fulfillment{
			ID:             string(f.ID),
			Carrier:        strings.TrimSpace(f.TrackingCompany),
			TrackingNumber: wire.FirstOf(append(f.TrackingNumbers, f.TrackingNumber)...),
			TrackingURL:    wire.FirstOf(append(f.TrackingURLs, f.TrackingURL)...),
		}
		ff.At = parseTime(&errs, fmt.Sprintf("fulfillments[%d].created_at", i), f.CreatedAt, false)
		o.Fulfillments = append(o.Fulfillments, ff)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// status is the shopcare status a Shopify order's state amounts to: ""
// while it waits to be shipped (Shopify says nothing finer), shipped once
// fulfilled, cancelled when cancelled (or refunded before it left),
// returned when refunded after it left.
func status(cancelled bool, financial, fulfillment string) order.Status {
	financial = strings.ToLower(financial)
	fulfillment = strings.ToLower(fulfillment)
	sent := fulfillment == "fulfilled"
	switch {
	case financial == "refunded" && sent:
		return order.Returned
	case cancelled, financial == "refunded", financial == "voided" && !sent:
		return order.Cancelled
	case sent:
		return order.Shipped
	default:
		return ""
	}
}

// payment says how the customer pays: cash on delivery when a gateway is
// named so (Shopify's manual "Cash on Delivery (COD)" method), prepaid
// otherwise; paid once Shopify says the money came.
func payment(financial string, gateways []string) order.Payment {
	p := order.Payment{Method: "prepaid"}
	for _, g := range gateways {
		g = strings.ToLower(strings.TrimSpace(g))
		if g == "cod" || strings.Contains(g, "cash on delivery") || strings.Contains(g, "(cod)") ||
			strings.Contains(g, "cash_on_delivery") || strings.Contains(g, "наложенный") {
			p.Method = "cod"
		}
	}
	switch strings.ToLower(financial) {
	case "paid", "partially_refunded", "refunded":
		p.Paid = true
	}
	return p
}

// consent reads the customer's e-mail marketing consent, the newer
// email_marketing_consent first, then the older accepts_marketing.
func consent(c *struct {
	State string `json:"state"`
}, accepts *bool) *bool {
	if c != nil {
		switch strings.ToLower(c.State) {
		case "subscribed":
			v := true
			return &v
		case "not_subscribed", "unsubscribed", "redacted", "invalid":
			v := false
			return &v
		}
	}
	if accepts != nil {
		v := *accepts
		return &v
	}
	return nil
}

// shipped tells whether a fulfillment's status counts as sent: Shopify
// keeps cancelled and failed ones in the list.
func shipped(status string) bool {
	switch strings.ToLower(status) {
	case "cancelled", "failure", "error":
		return false
	}
	return true
}

// language is the language of a locale such as "en-CA": its first part.
func language(locale string) string {
	locale = strings.TrimSpace(locale)
	if i := strings.IndexAny(locale, "-_"); i >= 0 {
		locale = locale[:i]
	}
	return strings.ToLower(locale)
}

// parseTime reads an RFC 3339 time; "" is the zero time, an error only
// when required.
func parseTime(errs *invalid.List, field, s string, required bool) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			errs.Add(field, "required", "is missing")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		errs.Add(field, "invalid", "%q is not a time such as 2021-12-31T19:00:00-05:00", s)
		return time.Time{}
	}
	return t
}

// parseAmount reads a decimal string into minor units of currency.
func parseAmount(errs *invalid.List, field, s, currency string) int64 {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	v, err := money.Parse(s, money.Scale(currency))
	if err != nil {
		errs.Add(field, "invalid", "%q: %v", s, err)
		return 0
	}
	if v < 0 || v > money.MaxAmount {
		errs.Add(field, "out_of_range", "%q is out of range", s)
		return 0
	}
	return v
}
