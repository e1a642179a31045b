package invalid

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on text a shop hands in, in characters: far beyond what a real
// shop needs, so that they only ever stop a mistake or an attack.
const (
	MaxName        = 200  // a person's, product's or city's name, an external id
	MaxAddress     = 500  // a postal address
	MaxSKU         = 100  // an item's stock-keeping unit
	MaxTracking    = 64   // a parcel's tracking number
	MaxReason      = 500  // why points were granted, why the shop is closed
	MaxEmail       = 254  // an e-mail address (RFC 5321)
	MaxPhone       = 32   // a telephone number, formatted
	MaxCode        = 64   // a short code: status, carrier, coupon, currency, language
	MaxDescription = 2000 // free text over several lines: a carrier's event, a note
	MaxText        = 1000 // any other text field
)

// limits gives the limit and whether line breaks are allowed by the last
// part of a field's path ("customer.email" → "email").
var limits = map[string]struct {
	max       int
	multiline bool
}{
	"name": {MaxName, false}, "external_id": {MaxName, false}, "customer_id": {MaxName, false}, "city": {MaxName, false},
	"location": {MaxName, false}, "channel": {MaxName, false}, "timezone": {MaxName, false},
	"address": {MaxAddress, true}, "delivery_address": {MaxAddress, true},
	"sku":             {MaxSKU, false},
	"tracking_number": {MaxTracking, false},
	"reason":          {MaxReason, true}, "comment": {MaxDescription, true}, "note": {MaxDescription, true},
	"text": {MaxDescription, true}, "review": {MaxDescription, true}, "description": {MaxDescription, true},
	"email": {MaxEmail, false},
	"phone": {MaxPhone, false}, "telegram_chat_id": {MaxCode, false},
	"code": {MaxCode, false}, "status": {MaxCode, false}, "carrier": {MaxCode, false},
	"currency": {MaxCode, false}, "language": {MaxCode, false}, "lang": {MaxCode, false},
	"country": {MaxCode, false}, "method": {MaxCode, false}, "referral_code": {MaxCode, false},
	"consent": {MaxCode, false}, "channels": {MaxCode, false}, "month": {MaxCode, false},
	"from": {MaxCode, false}, "to": {MaxCode, false}, "at": {MaxCode, false},
	"created_at": {MaxCode, false}, "delivered_at": {MaxCode, false}, "promised_to": {MaxCode, false},
	"placed_at": {MaxCode, false}, "birthday": {MaxCode, false}, "order_id": {MaxName, false},
	"payment": {MaxCode, false}, "total": {MaxCode, false}, "amount": {MaxCode, false},
}

// Limit returns the most characters field may hold and whether it may span
// lines, by the last part of its path: "items[2].sku" is an sku.
func Limit(field string) (max int, multiline bool) {
	name := field
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	if l, ok := limits[name]; ok {
		return l.max, l.multiline
	}
	return MaxText, false
}

// Text checks one text field by the rules every inbound path shares: valid
// UTF-8, no NUL or other control characters (tab, line feed and carriage
// return only where the field may span lines), and at most Limit(field)
// characters. It returns nil when s may be stored.
func Text(field, s string) *Error {
	max, multiline := Limit(field)
	return TextMax(field, s, max, multiline)
}

// TextMax is Text with the limit given.
func TextMax(field, s string, max int, multiline bool) *Error {
	if !utf8.ValidString(s) {
		return Field(field, "invalid_utf8", "is not valid UTF-8 text")
	}
	n := 0
	for i, r := range s {
		n++
		if r == 0 {
			return Field(field, "control_character", "contains a NUL byte (at byte %d)", i)
		}
		lineBreak := r == '\t' || r == '\n' || r == '\r'
		if unicode.IsControl(r) && (!multiline || !lineBreak) {
			return Field(field, "control_character", "contains the control character %U (at byte %d)", r, i)
		}
	}
	if n > max {
		return Field(field, "too_long", "must be at most %d characters, not %d", max, n)
	}
	return nil
}

// CheckText adds Text's error for field to l, if any.
func (l *List) CheckText(field, s string) {
	if e := Text(field, s); e != nil {
		*l = append(*l, e)
	}
}
