package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Packing holds the packing station's rules: what a packer ticks off for
// every parcel and which inserts go in (docs/journey.md, packing).
type Packing struct {
	// Checklist is what a packer ticks off before an order may leave the
	// station, in order. An item that is one of ChecklistKeys is shown in the packer's language;
	// any other text is the shop's own words, shown as written. An empty
	// list asks for nothing.
	Checklist []string `yaml:"checklist"`
	// HolidayCards are the windows around holidays in which a holiday
	// card goes into the parcel; the first window the shipping day falls
	// in names the card.
	HolidayCards []HolidayWindow `yaml:"holiday_cards"`
	// Souvenir says who gets a small gift in the parcel.
	Souvenir Souvenir `yaml:"souvenir"`
}

// ChecklistKeys are the checklist items shopcare has words for in every
// language; the default checklist lists them all.
var ChecklistKeys = []string{"bubble_wrap", "kraft_paper", "tape", "branded_box"}

// HolidayKeys are the holidays HolidayWindow knows by a key, whatever the
// calendar of the shop's country calls them.
var HolidayKeys = []string{"new_year", "christmas", "easter", "midsummer"}

// HolidayWindow is the days around a holiday in which a parcel gets a
// holiday card: from Before days before the holiday's first day to After
// days after its last, both included.
type HolidayWindow struct {
	// Holiday is one of HolidayKeys or words of a holiday's name in the shop's business
	// calendar ("Victory Day"), matched ignoring case. A holiday the
	// calendar of the shop's country does not have gives no card.
	Holiday string `yaml:"holiday"`
	Before  int    `yaml:"before"`
	After   int    `yaml:"after"`
}

// Souvenir says which parcels get a souvenir.
type Souvenir struct {
	// FirstOrder gives one with a customer's first order.
	FirstOrder bool `yaml:"first_order"`
	// Tiers are the loyalty tiers whose members get one with every order.
	Tiers []string `yaml:"tiers"`
}

// defaultPacking is the packing station of a shop that has not described
// its own: the four usual checks, cards around the big holidays, a
// souvenir with a first order.
func defaultPacking() Packing {
	return Packing{
		Checklist: append([]string(nil), ChecklistKeys...),
		HolidayCards: []HolidayWindow{
			{Holiday: "new_year", Before: 21, After: 7},
			{Holiday: "christmas", Before: 21, After: 2},
			{Holiday: "easter", Before: 10, After: 1},
			{Holiday: "midsummer", Before: 10, After: 1},
		},
		Souvenir: Souvenir{FirstOrder: true},
	}
}

// maxHolidayWindow bounds Before and After: a window longer than two
// months would put a card in most parcels of the year.
const maxHolidayWindow = 60

// validatePacking checks the packing keys and trims their texts.
func (s *Settings) validatePacking(errs *invalid.List) {
	p := &s.Packing
	seen := map[string]bool{}
	for i := range p.Checklist {
		key := fmt.Sprintf("packing.checklist[%d]", i)
		item := strings.TrimSpace(p.Checklist[i])
		p.Checklist[i] = item
		switch {
		case item == "":
			errs.Add(key, "required", "must not be empty")
		case utf8.RuneCountInString(item) > 200 || strings.ContainsAny(item, "\x00\n\r"):
			errs.Add(key, "invalid", "must be one line of at most 200 characters")
		case seen[item]:
			errs.Add(key, "duplicate", "%q is listed twice", item)
		}
		seen[item] = true
	}
	if len(p.Checklist) > 50 {
		errs.Add("packing.checklist", "invalid", "at most 50 items, got %d", len(p.Checklist))
	}
	for i := range p.HolidayCards {
		w := &p.HolidayCards[i]
		key := fmt.Sprintf("packing.holiday_cards[%d]", i)
		w.Holiday = strings.TrimSpace(w.Holiday)
		if w.Holiday == "" {
			errs.Add(key+".holiday", "required", "name a holiday: %s, or words of its name in the calendar", strings.Join(HolidayKeys, ", "))
		}
		if w.Before < 0 || w.Before > maxHolidayWindow {
			errs.Add(key+".before", "invalid", "must be between 0 and %d days, got %d", maxHolidayWindow, w.Before)
		}
		if w.After < 0 || w.After > maxHolidayWindow {
			errs.Add(key+".after", "invalid", "must be between 0 and %d days, got %d", maxHolidayWindow, w.After)
		}
	}
	for i, t := range p.Souvenir.Tiers {
		p.Souvenir.Tiers[i] = strings.TrimSpace(t)
		if p.Souvenir.Tiers[i] == "" {
			errs.Add(fmt.Sprintf("packing.souvenir.tiers[%d]", i), "required", "must not be empty")
		}
	}
}
