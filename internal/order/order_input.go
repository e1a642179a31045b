package order

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	// Address names the delivery address ("address" when empty).
	Address string
}

// APIFields names fields as the JSON API does.
var APIFields = Fields{
	ExternalID: "external_id", CustomerPrefix: "customer.", Total: "total", Currency: "currency",
	Status: "status", DeliveredAt: "delivered_at", PromisedTo: "promised_to", Carrier: "carrier", Payment: "payment.method",
	Address: "delivery_address",
}

// Normalize validates n against the shop's settings and fills defaults. It
// returns every problem at once, each naming its field.
func Normalize(n *NewOrder, s config.Settings, f Fields) error {
	var errs invalid.List
	n.ExternalID = strings.TrimSpace(n.ExternalID)
	switch {
	case n.ExternalID == "":
		errs.Add(f.ExternalID, "required", "is required")
	case utf8.RuneCountInString(n.ExternalID) > 200 || strings.ContainsRune(n.ExternalID, 0):
		errs.Add(f.ExternalID, "too_long", "must be at most 200 characters, without NUL")
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
	for i, it := range n.Items {
		p := "items[" + strconv.Itoa(i) + "]."
		if it.Qty <= 0 {
			errs.Add(p+"qty", "invalid", "must be at least 1")
		}
		if it.PriceMinor < 0 {
			errs.Add(p+"price", "negative", "must not be negative")
		}
		if it.ProductionDays < 0 || it.ProductionDays > 365 {
			errs.Add(p+"production_days", "invalid", "must be between 0 and 365")
		}
		sum += it.Qty * it.PriceMinor
	}
	if !n.TotalGiven {
		if len(n.Items) == 0 {
			errs.Add(f.Total, "required", "is required when there are no items")
		}
		n.TotalMinor = sum
	}
	if n.TotalMinor < 0 {
		errs.Add(f.Total, "negative", "must not be negative")
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
	if n.PromisedTo != "" {
		if _, err := time.Parse(time.DateOnly, n.PromisedTo); err != nil {
			errs.Add(f.PromisedTo, "invalid", "%q is not a date like 2026-12-04", n.PromisedTo)
		}
	}
	n.Carrier = strings.TrimSpace(n.Carrier)
	if n.Carrier != "" && !n.History {
		if _, ok := s.Carrier(n.Carrier); !ok {
			errs.Add(f.Carrier, "unknown", "%q is not one of the shop's carriers (%s)", n.Carrier, carrierCodes(s))
		}
	}
	if e := CheckAddress(cmp.Or(f.Address, "address"), n.Address); e != nil {
		errs = append(errs, e)
	}
	n.ReferralCode = strings.TrimSpace(n.ReferralCode)
	if len(n.ReferralCode) > 64 || strings.ContainsAny(n.ReferralCode, "\x00\n\r") {
		errs.Add("referral_code", "invalid", "must be a short code, such as the ?ref= of a personal link")
	}
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
