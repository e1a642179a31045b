package packing

import (
	"strings"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
)

// Facts are what the insert rules judge a parcel by.
type Facts struct {
	// ShipDay is the day the parcel ships.
	ShipDay calendar.Day
	// FirstOrder says the order is the customer's earliest counted one.
	FirstOrder bool
	// Tier is the customer's loyalty tier, "" for none.
	Tier string
	// Card is that tier as the loyalty settings describe it: its names
	// and perks. Zero for no tier, or one the settings no longer have.
	Card config.Tier
}

// Inserts returns what goes into a parcel by the shop's rules: a thank-you
// note always; a holiday card when the ship day is inside a holiday window
// of the shop's calendar cal (nil: none); a souvenir on a first order, or
// for a tier listed in packing.souvenir.tiers or whose perks include
// souvenir.
func Inserts(p config.Packing, cal *calendar.Calendar, f Facts) []Insert {
	out := []Insert{{Kind: ThankYou, Reason: "packing.reason.always", ShipDay: f.ShipDay}}
	if h, ok := HolidayNear(p.HolidayCards, cal, f.ShipDay); ok {
		in := Insert{Kind: HolidayCard, Holiday: h.Holiday, Days: h.Days, ShipDay: f.ShipDay}
		switch h.When {
		case Before:
			in.Reason = "packing.reason.holiday_before"
		case After:
			in.Reason = "packing.reason.holiday_after"
		default:
			in.Reason = "packing.reason.holiday_during"
		}
		out = append(out, in)
	}
	switch {
	case p.Souvenir.FirstOrder && f.FirstOrder:
		out = append(out, Insert{Kind: Souvenir, Reason: "packing.reason.first_order", ShipDay: f.ShipDay})
	case f.Tier != "" && (hasTier(p.Souvenir.Tiers, f.Tier) || f.Card.HasPerk("souvenir")):
		out = append(out, Insert{Kind: Souvenir, Reason: "packing.reason.tier", ShipDay: f.ShipDay, Tier: f.Tier, Card: f.Card})
	}
	return out
}

func hasTier(tiers []string, tier string) bool {
	for _, t := range tiers {
		if strings.EqualFold(t, tier) {
			return true
		}
	}
	return false
}

// When says where a ship day lies against a holiday.
type When string

// Where the ship day lies.
const (
	Before When = "before"
	During When = "during"
	After  When = "after"
)

// Holiday is the holiday a ship day is near.
type Holiday struct {
	// Holiday is the window's holiday as settings name it: new_year, or
	// the shop's words.
	Holiday string
	// Day is the day of the holiday nearest the ship day (for a holiday of
	// several days, such as Russia's New Year holidays, the nearest one).
	Day calendar.Day
	// Days is the distance between the ship day and Day, 0 during it.
	Days int
	When When
}

// HolidayNear returns the holiday whose window the day falls in. When the
// day is in several windows the nearest holiday wins — a parcel leaving on
// 20 December in Latvia gets a Christmas card, not a New Year one — an
// upcoming one before a past one at the same distance, then the first
// window listed.
//
// Holidays are found by their names in the business calendar of cal's
// country, without the shop's own days off (which would hide them). For a
// country shopcare has no calendar of, the shop's days off are the
// holidays it listed, so their reasons are read instead.
func HolidayNear(windows []config.HolidayWindow, cal *calendar.Calendar, day calendar.Day) (Holiday, bool) {
	if cal == nil || len(windows) == 0 {
		return Holiday{}, false
	}
	before, after := 0, 0
	for _, w := range windows {
		before, after = max(before, w.Before), max(after, w.After)
	}
	names := holidayNames(cal, day-calendar.Day(after), day+calendar.Day(before))
	name := func(d calendar.Day) string { return names[int(d-day)+after] }
	var best Holiday
	found := false
	for _, w := range windows {
		h, ok := nearest(w, day, name)
		if ok && (!found || nearer(h, best)) {
			best, found = h, true
		}
	}
	return best, found
}

// nearest returns the holiday of window w nearest day, looking ahead
// before looking back at each distance; name gives a day's holiday name.
func nearest(w config.HolidayWindow, day calendar.Day, name func(calendar.Day) string) (Holiday, bool) {
	match := matcher(w.Holiday)
	for dist := 0; dist <= max(w.Before, w.After); dist++ {
		ahead, back := day+calendar.Day(dist), day-calendar.Day(dist)
		switch {
		case dist == 0 && match(name(day)):
			return Holiday{Holiday: w.Holiday, Day: day, When: During}, true
		case dist <= w.Before && match(name(ahead)):
			return Holiday{Holiday: w.Holiday, Day: ahead, Days: dist, When: Before}, true
		case dist <= w.After && match(name(back)):
			return Holiday{Holiday: w.Holiday, Day: back, Days: dist, When: After}, true
		}
	}
	return Holiday{}, false
}

// nearer tells whether a is nearer its ship day than b: fewer days, or as
// many but still to come.
func nearer(a, b Holiday) bool {
	return a.Days < b.Days || a.Days == b.Days && a.When == Before && b.When == After
}

// holidayNames returns the lower-cased holiday names of the days from
// first to last, "" for a day that is no holiday.
func holidayNames(cal *calendar.Calendar, first, last calendar.Day) []string {
	base, shopDays := cal, true
	if calendar.Supported(cal.Country()) {
		if c, err := calendar.New(cal.Country(), nil); err == nil {
			base, shopDays = c, false
		}
	}
	out := make([]string, 0, int(last-first)+1)
	for d := first; d <= last; d++ {
		inf := base.Info(d)
		// A moved day off carries the name of the holiday it was moved
		// from ("New Year holidays (day off moved by government decree)"
		// on 2 May): only the holiday itself counts.
		if inf.Kind == calendar.Holiday || shopDays && inf.Kind == calendar.ShopDayOff {
			out = append(out, strings.ToLower(inf.Name))
		} else {
			out = append(out, "")
		}
	}
	return out
}

// holidayWords are the words that find a HolidayKeys holiday in the
// calendars' names ("Midsummer Eve (Līgo)", "Day of Dew and St John's
// Day", "Orthodox Christmas", "New Year holidays").
var holidayWords = map[string][]string{
	"new_year":  {"new year"},
	"christmas": {"christmas"},
	"easter":    {"easter"},
	"midsummer": {"midsummer", "līgo", "jāņi", "st john"},
}

// matcher returns the test of a window's holiday against a lower-cased
// calendar name.
func matcher(holiday string) func(string) bool {
	words, ok := holidayWords[holiday]
	if !ok {
		words = []string{strings.ToLower(holiday)}
	}
	return func(name string) bool {
		if name == "" {
			return false
		}
		for _, w := range words {
			if strings.Contains(name, w) {
				return true
			}
		}
		return false
	}
}
