package calendar

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Override is a shop's own change to its calendar: days off (stocktaking,
// vacation) or extra working days. It covers From through To, both included.
type Override struct {
	From, To Day
	// Working makes the days working days (ShopWorkday); otherwise they are
	// days off (ShopDayOff).
	Working bool
	// Reason is shown as the day's Info.Name, such as "Stocktaking".
	Reason string
}

// maxOverrideDays bounds one override: a longer one is almost certainly a
// typo in a year, and a shop closed for longer has bigger news than dates.
const maxOverrideDays = 366

// validateOverrides checks every override and returns all problems at once,
// each naming the override's index as days_off[i], the shop setting they come
// from.
func validateOverrides(overrides []Override) error {
	var errs invalid.List
	for i, o := range overrides {
		if e := o.Check(fmt.Sprintf("days_off[%d]", i)); e != nil {
			errs = append(errs, e)
		}
	}
	return errs.Err()
}

// Check says what keeps o from being applied to a calendar, naming field:
// from after to, more than a year long, or outside FirstDay…LastDay. It is
// nil when New takes o.
func (o Override) Check(field string) *invalid.Error {
	switch {
	case o.From > o.To:
		return invalid.Field(field, "from_after_to", "from %s is after to %s", o.From, o.To)
	case int64(o.To)-int64(o.From)+1 > maxOverrideDays:
		return invalid.Field(field, "too_long", "%s to %s spans %d days; at most %d", o.From, o.To, int64(o.To)-int64(o.From)+1, maxOverrideDays)
	case !Covers(o.From) || !Covers(o.To):
		return invalid.Field(field, "out_of_range", "%s to %s is outside %s…%s", o.From, o.To, FirstDay, LastDay)
	}
	return nil
}
