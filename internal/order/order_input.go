package order

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
)

// NewOrder is an order as a shop hands it in, through the API or a CSV row.
type NewOrder struct {
	ExternalID  string
	PlacedAt    time.Time // zero: now
	Customer    customer.Input
	Items       []Item
	TotalMinor  int64
	TotalGiven  bool // false: the total is the sum of the items
	Currency    string
	Carrier     string
	Channel     string
	Payment     Payment
	GiftWrap    bool
	History     bool   // a past order: recorded for analytics, never news to anyone
	Status      Status // "": new, or delivered when DeliveredAt is set
	DeliveredAt *time.Time
	PromisedTo  string // YYYY-MM-DD
	// Address is the delivery address, for the call-back to confirm (see
	// CheckAddress). Left out of the request digest when empty, so orders
	// from before it was known stay idempotent.
	Address string `json:",omitempty"`
	// ReferralCode is the code of the customer who brought this one (the
	// ?ref= of their personal link), for the loyalty program.
	ReferralCode string `json:",omitempty"`

	hash string
}

// Fields name the inputs for errors: the API's JSON paths by default; the
// CSV import swaps in its column names.
type Fields struct {
	ExternalID, CustomerPrefix, CustomerExternalID, Total, Currency, Status, DeliveredAt, PromisedTo, Carrier, Payment string
	// PlacedAt, Items (a prefix: "items" gives items[2].qty), Address,
	// Channel and ReferralCode name the remaining inputs; "" leaves the
	// field's API name.
	PlacedAt, Items, Address, Channel, ReferralCode string
}

// name returns f's name for a field, or the API's when f leaves it out.
func name(f, api string) string {
	if f == "" {
		return api
	}
	return f
}

// APIFields names fields as the JSON API does.
var APIFields = Fields{
	ExternalID: "external_id", CustomerPrefix: "customer.", Total: "total", Currency: "currency",
	Status: "status", DeliveredAt: "delivered_at", PromisedTo: "promised_to", Carrier: "carrier", Payment: "payment.method",
	PlacedAt: "created_at", Items: "items", Address: "delivery_address", Channel: "channel", ReferralCode: "referral_code",
}

// Normalize validates n against the shop's settings and fills defaults. It
// returns every problem at once, each naming its field. It checks that
// dates lie in the calendars' years but not whether they lie in the future:
// NormalizeAt does, for orders that come in.
func Normalize(n *NewOrder, s config.Settings, f Fields) error {
	return NormalizeAt(n, s, f, time.Time{})
}

// NormalizeAt is Normalize for an order coming in at now (the shop's
// clock): its time placed and delivered may not lie in the future beyond
// invalid.ClockSkew. It refuses, each naming its field, text with control
// characters or beyond invalid's limits, dates outside the years the
// calendars cover, quantities over money.MaxQty and amounts over
// money.MaxAmount.
func NormalizeAt(n *NewOrder, s config.Settings, f Fields, now time.Time) error {
	var errs invalid.List
	checkText(&errs, n, f)
	checkDates(&errs, n, f, now)
	if len(errs) > 0 {
		return errs.Err() // the rest would only repeat what is wrong
	}
	n.ExternalID = strings.TrimSpace(n.ExternalID)
	if n.ExternalID == "" {
		errs.Add(f.ExternalID, "required", "is required")
	}
	c, err := customer.Normalize(n.Customer, customer.Defaults{
		Country: s.Shop.Country, Language: s.Shop.Languages[0], Timezone: s.Shop.Timezone,
	}, f.CustomerPrefix)
	if err != nil {
		var list invalid.List
		if errors.As(err, &list) {
			for _, e := range list {
				if f.CustomerExternalID != "" && e.Field == f.CustomerPrefix+"external_id" {
					e.Field = f.CustomerExternalID
				}
				errs = append(errs, e)
			}
		}
	}
	n.Customer = c

	var sum int64
	sumOK := true
	for i, it := range n.Items {
		p := name(f.Items, "items") + "[" + strconv.Itoa(i) + "]."
		ok := true
		switch {
		case it.Qty <= 0:
			errs.Add(p+"qty", "invalid", "must be at least 1")
			ok = false
		case it.Qty > money.MaxQty:
			errs.Add(p+"qty", "too_large", "must be at most %d", money.MaxQty)
			ok = false
		}
		switch {
		case it.PriceMinor < 0:
			errs.Add(p+"price", "negative", "must not be negative")
			ok = false
		case it.PriceMinor > money.MaxAmount:
			errs.Add(p+"price", "too_large", "must be at most %s", money.Format(money.MaxAmount, money.Scale(n.Currency)))
			ok = false
		}
		if it.ProductionDays < 0 || it.ProductionDays > 365 {
			errs.Add(p+"production_days", "invalid", "must be between 0 and 365")
		}
		n.Items[i].VariantID = strings.TrimSpace(it.VariantID)
		if msg := CheckVariantID(n.Items[i].VariantID); msg != "" {
			errs.Add(p+"variant_id", "invalid", "%s", msg)
		}
		if !ok || !sumOK {
			sumOK = false
			continue
		}
		line, err := money.Mul(it.PriceMinor, it.Qty)
		if err == nil {
			sum, err = money.Add(sum, line)
		}
		if err != nil {
			errs.Add(p+"qty", "too_large", "the order's total overflows")
			sumOK = false
		}
	}
	if !n.TotalGiven {
		if len(n.Items) == 0 {
			errs.Add(f.Total, "required", "is required when there are no items")
		}
		n.TotalMinor = sum
		if sumOK && sum > money.MaxAmount {
			errs.Add(f.Total, "too_large", "the items sum to more than %s", money.Format(money.MaxAmount, money.Scale(n.Currency)))
		}
	}
	switch {
	case n.TotalMinor < 0:
		errs.Add(f.Total, "negative", "must not be negative")
	case n.TotalGiven && n.TotalMinor > money.MaxAmount:
		errs.Add(f.Total, "too_large", "must be at most %s", money.Format(money.MaxAmount, money.Scale(n.Currency)))
	}
	n.Currency = strings.ToUpper(strings.TrimSpace(n.Currency))
	if n.Currency == "" {
		n.Currency = s.Shop.Currency
	} else if !money.ValidCurrency(n.Currency) {
		errs.Add(f.Currency, "invalid", "%q is not an ISO 4217 currency code", n.Currency)
	}
	if n.Status == "" {
		n.Status = New
		if n.DeliveredAt != nil {
			n.Status = Delivered
		}
	}
	if n.DeliveredAt != nil && n.Status != Delivered && n.Status != Returned {
		errs.Add(f.DeliveredAt, "invalid", "is set but the status is %s", n.Status)
	}
	n.Carrier = strings.TrimSpace(n.Carrier)
	if n.Carrier != "" && !n.History {
		if _, ok := s.Carrier(n.Carrier); !ok {
			errs.Add(f.Carrier, "unknown", "%q is not one of the shop's carriers (%s)", n.Carrier, carrierCodes(s))
		}
	}
	if e := CheckAddress(name(f.Address, "delivery_address"), n.Address); e != nil {
		errs = append(errs, e)
	}
	n.ReferralCode = strings.TrimSpace(n.ReferralCode)
	switch n.Payment.Method {
	case "", "cod", "prepaid":
	default:
		errs.Add(f.Payment, "invalid", "%q is not cod or prepaid", n.Payment.Method)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	n.hash = n.digest()
	return nil
}

// checkText applies invalid.Text to every text field of n.
func checkText(errs *invalid.List, n *NewOrder, f Fields) {
	c := n.Customer
	customerID := f.CustomerPrefix + "external_id"
	if f.CustomerExternalID != "" {
		customerID = f.CustomerExternalID
	}
	for _, t := range []struct{ field, value string }{
		{f.ExternalID, n.ExternalID}, {customerID, c.ExternalID},
		{f.CustomerPrefix + "name", c.Name}, {f.CustomerPrefix + "email", c.Email}, {f.CustomerPrefix + "phone", c.Phone},
		{f.CustomerPrefix + "language", c.Language}, {f.CustomerPrefix + "country", c.Country},
		{f.CustomerPrefix + "city", c.City}, {f.CustomerPrefix + "timezone", c.Timezone},
		{f.CustomerPrefix + "telegram_chat_id", c.TelegramChatID}, {f.CustomerPrefix + "birthday", c.Birthday},
		{f.Currency, n.Currency}, {f.Carrier, n.Carrier}, {name(f.Channel, "channel"), n.Channel},
		{f.Payment, n.Payment.Method},
		{name(f.ReferralCode, "referral_code"), n.ReferralCode}, {f.PromisedTo, n.PromisedTo},
	} {
		errs.CheckText(t.field, t.value)
	}
	for i, v := range c.Consent {
		errs.CheckText(f.CustomerPrefix+"consent["+strconv.Itoa(i)+"]", v)
	}
	for i, v := range c.Channels {
		errs.CheckText(f.CustomerPrefix+"channels["+strconv.Itoa(i)+"]", v)
	}
	for i, it := range n.Items {
		p := name(f.Items, "items") + "[" + strconv.Itoa(i) + "]."
		errs.CheckText(p+"sku", it.SKU)
		errs.CheckText(p+"name", it.Name)
	}
}

// checkDates refuses dates outside the calendars' years, and times that
// have happened (placed, delivered) too far in the future of now.
func checkDates(errs *invalid.List, n *NewOrder, f Fields, now time.Time) {
	if !n.PlacedAt.IsZero() {
		errs.CheckTime(name(f.PlacedAt, "created_at"), n.PlacedAt, now, true)
	}
	if n.DeliveredAt != nil {
		errs.CheckTime(f.DeliveredAt, *n.DeliveredAt, now, true)
		if !n.PlacedAt.IsZero() && n.DeliveredAt.Before(n.PlacedAt.Add(-invalid.ClockSkew)) {
			errs.Add(f.DeliveredAt, "invalid", "is before the order was placed (%s)", n.PlacedAt.Format(time.RFC3339))
		}
	}
	if n.PromisedTo != "" {
		if _, e := invalid.Day(f.PromisedTo, strings.TrimSpace(n.PromisedTo)); e != nil {
			*errs = append(*errs, e)
		}
	}
	if b := strings.TrimSpace(n.Customer.Birthday); len(b) == 10 && !now.IsZero() {
		if t, err := time.Parse(time.DateOnly, b); err == nil && t.After(now) {
			errs.Add(f.CustomerPrefix+"birthday", "in_future", "%s is in the future", b)
		}
	}
}

// digest fingerprints the order as given, so a retry can be told from a
// different order reusing an external id.
func (n *NewOrder) digest() string {
	b, _ := json.Marshal(n)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func carrierCodes(s config.Settings) string {
	codes := make([]string, len(s.Carriers))
	for i, c := range s.Carriers {
		codes[i] = c.Code
	}
	return strings.Join(codes, ", ")
}
