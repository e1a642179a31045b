package web

import (
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// The snooze presets of the conversation page.
const (
	snoozeTomorrow = "tomorrow" // tomorrow when the shop opens
	snooze3Days    = "3days"    // in three days, when the shop opens
	snoozeDate     = "date"     // on a date the operator picks, when the shop opens
)

// maxSnooze bounds how far a conversation can be put aside: a snooze of
// more than a year is a closed conversation.
const maxSnooze = 366 * 24 * time.Hour

// parseSnooze reads the snooze form: a preset, and the date (YYYY-MM-DD)
// of the "date" preset. A conversation wakes when the shop opens (opens,
// minutes after midnight) on the day, shop-local (loc). The moment must
// be after now and within a year.
func parseSnooze(preset, date string, now time.Time, loc *time.Location, opens int) (time.Time, error) {
	local := now.In(loc)
	var day time.Time
	switch preset {
	case snoozeTomorrow:
		day = local.AddDate(0, 0, 1)
	case snooze3Days:
		day = local.AddDate(0, 0, 3)
	case snoozeDate:
		d, err := time.ParseInLocation(time.DateOnly, date, loc)
		if err != nil || len(date) != len(time.DateOnly) {
			return time.Time{}, invalid.Field("date", "invalid", "%q is not a date such as 2026-12-24", date)
		}
		day = d
	default:
		return time.Time{}, invalid.Field("until", "invalid", "%q is not tomorrow, 3days or date", preset)
	}
	y, m, d := day.Date()
	until := time.Date(y, m, d, opens/60, opens%60, 0, 0, loc)
	switch {
	case !until.After(now):
		return time.Time{}, invalid.Field("date", "past", "must be after now")
	case until.Sub(now) > maxSnooze:
		return time.Time{}, invalid.Field("date", "too_far", "must be within a year")
	}
	return until, nil
}
