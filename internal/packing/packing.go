package packing

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
)

// Sheet is everything a packer needs for one order: what goes in the box,
// what to tick off, and what to print.
type Sheet struct {
	// Shop is the shop's name, for the slip and the note's signature.
	Shop string
	// ShopLanguage is the shop's first language: the order log's.
	ShopLanguage i18n.Lang
	// Order is the order with its items and customer.
	Order *order.Order
	// Address is where the parcel goes, as the shop sent it or the
	// call-back confirmed it (Order.AddressConfirmedAt says when); "" while
	// nobody gave one.
	Address string
	// Language is the customer's language: the thank-you note's.
	Language i18n.Lang
	// ShipDay is the day the parcel ships: today in the shop's time zone,
	// or the order's ship date when that is later. Holiday windows are
	// judged on it.
	ShipDay calendar.Day
	// FirstOrder says this is the customer's earliest counted order.
	FirstOrder bool
	// Tier is the customer's loyalty tier (its code, as the loyalty
	// program holds it); "" for none.
	Tier string
	// GiftWrap says the customer asked for gift wrap.
	GiftWrap bool
	// Checklist is what the packer ticks off, in order: the shop's
	// checks, then gift wrap when asked, then one line per insert.
	Checklist []CheckItem
	// Inserts are what goes into the parcel besides the goods.
	Inserts []Insert
	// PackedAt is when packing was finished; nil while it is not.
	PackedAt *time.Time
	// At is when the sheet was built: the time printed on the slip and
	// the PDFs' creation date.
	At time.Time
	// Location is the shop's time zone, for the times printed.
	Location *time.Location
}

// location is the shop's time zone, UTC for a sheet made without one.
func (s *Sheet) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// Pieces returns the number of pieces in the parcel: the items' quantities
// added up.
func (s *Sheet) Pieces() int64 {
	var n int64
	for _, it := range s.Order.Items {
		n += it.Qty
	}
	return n
}

// FirstName returns the first word of the customer's name ("Андрей" of
// "Андрей Петров"), "" when the name is not known.
func (s *Sheet) FirstName() string {
	if s.Order.Customer == nil {
		return ""
	}
	if f := strings.Fields(s.Order.Customer.Name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// CheckKind says where a checklist line comes from.
type CheckKind string

// The kinds of checklist line.
const (
	// CheckShop is one of the shop's own checks (config packing.checklist).
	CheckShop CheckKind = "check"
	// CheckGiftWrap is gift wrap, on the list when the customer asked.
	CheckGiftWrap CheckKind = "gift_wrap"
	// CheckInsert is an insert to put into the parcel.
	CheckInsert CheckKind = "insert"
)

// CheckItem is one line of the packer's checklist.
type CheckItem struct {
	// ID is what Finish expects back when the line is ticked:
	// "bubble_wrap", "gift_wrap", "insert.souvenir", or the shop's own
	// words for a check of its own.
	ID   string
	Kind CheckKind
	// Text is the check as settings give it: one of
	// config.ChecklistKeys, or the shop's own words.
	Text string
	// Insert is the insert of a CheckInsert line.
	Insert *Insert
	// FreeFor is, on the gift wrap line, the customer's tier card when
	// its perks make gift wrap free (free_gift_wrap); zero otherwise.
	FreeFor config.Tier
}

// Label returns the line as the packer reads it in lang.
func (c CheckItem) Label(lang i18n.Lang) string {
	switch c.Kind {
	case CheckGiftWrap:
		return i18n.Text(lang, "packing.check.gift_wrap", nil)
	case CheckInsert:
		return c.Insert.Label(lang)
	}
	if s := checkText(lang, c.Text); s != "" {
		return s
	}
	return c.Text
}

// Hint returns why the line is there or what to know about it, "" when
// that goes without saying: the reason of an insert, or that gift wrap is
// free for the customer's tier.
func (c CheckItem) Hint(lang i18n.Lang) string {
	switch {
	case c.Kind == CheckInsert:
		return c.Insert.Why(lang)
	case c.Kind == CheckGiftWrap && c.FreeFor.Code != "":
		return i18n.Text(lang, "packing.reason.gift_wrap_free", map[string]any{"Tier": c.FreeFor.Name(string(lang))})
	}
	return ""
}

// checkText returns the words of a built-in check in lang, "" for the
// shop's own words. The ids are written out so the i18n tests see them.
func checkText(lang i18n.Lang, key string) string {
	switch key {
	case "bubble_wrap":
		return i18n.Text(lang, "packing.check.bubble_wrap", nil)
	case "kraft_paper":
		return i18n.Text(lang, "packing.check.kraft_paper", nil)
	case "tape":
		return i18n.Text(lang, "packing.check.tape", nil)
	case "branded_box":
		return i18n.Text(lang, "packing.check.branded_box", nil)
	}
	return ""
}

// InsertKind names what goes into a parcel besides the goods.
type InsertKind string

// The inserts.
const (
	ThankYou    InsertKind = "thank_you"
	HolidayCard InsertKind = "holiday_card"
	Souvenir    InsertKind = "souvenir"
)

// Insert is one thing to put into the parcel and why.
type Insert struct {
	Kind InsertKind
	// Reason is the i18n id of why it goes in; Why renders it with the
	// fields below.
	Reason string
	// Holiday is the holiday of a holiday card: a config.HolidayKeys key,
	// or the words of the shop's holiday window.
	Holiday string
	// Days is how many days the ship day is before or after the holiday.
	Days int
	// ShipDay is the day the parcel ships.
	ShipDay calendar.Day
	// Tier is the loyalty tier a souvenir is for, and Card that tier as
	// the settings describe it (zero when they no longer have it).
	Tier string
	Card config.Tier
}

// CheckID is the insert's checklist id: "insert.souvenir".
func (in Insert) CheckID() string { return "insert." + string(in.Kind) }

// Label returns what to put in, in lang: "Holiday card: New Year".
func (in Insert) Label(lang i18n.Lang) string {
	switch in.Kind {
	case HolidayCard:
		return i18n.Text(lang, "packing.insert.holiday_card", map[string]any{"Holiday": HolidayName(lang, in.Holiday)})
	case Souvenir:
		return i18n.Text(lang, "packing.insert.souvenir", nil)
	}
	return i18n.Text(lang, "packing.insert.thank_you", nil)
}

// Args returns the placeholders of Reason in lang.
func (in Insert) Args(lang i18n.Lang) map[string]any {
	return map[string]any{
		"Count":   in.Days,
		"Day":     i18n.FormatOnDay(lang, in.ShipDay),
		"Holiday": HolidayName(lang, in.Holiday),
		"Tier":    in.tierName(lang),
	}
}

// tierName is the tier's name in lang: the card's, else the code.
func (in Insert) tierName(lang i18n.Lang) string {
	if in.Card.Code == "" {
		return in.Tier
	}
	return in.Card.Name(string(lang))
}

// Why returns Reason in lang: "Ships on Sunday 20 Dec, 12 days before New
// Year."
func (in Insert) Why(lang i18n.Lang) string {
	return i18n.Text(lang, in.Reason, in.Args(lang))
}

// HolidayName returns a holiday window's holiday in lang: "Новый год" for
// new_year; words of the shop's own as written.
func HolidayName(lang i18n.Lang, holiday string) string {
	switch holiday {
	case "new_year":
		return i18n.Text(lang, "packing.holiday.new_year", nil)
	case "christmas":
		return i18n.Text(lang, "packing.holiday.christmas", nil)
	case "easter":
		return i18n.Text(lang, "packing.holiday.easter", nil)
	case "midsummer":
		return i18n.Text(lang, "packing.holiday.midsummer", nil)
	}
	return holiday
}

// ErrNotProcessing reports an order that is not waiting to be packed: only
// a processing order can be finished.
var ErrNotProcessing = errors.New("only an order in processing can be packed")

// StatusError is ErrNotProcessing with the order and the status it has.
type StatusError struct {
	OrderID int64
	Status  order.Status
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("order %d is %s: %v", e.OrderID, e.Status, ErrNotProcessing)
}

// Is makes errors.Is(err, ErrNotProcessing) hold.
func (e *StatusError) Is(target error) bool { return target == ErrNotProcessing }
