// Package notify turns the shop's events into messages to its customers.
// This file holds the rule every message obeys: never at night, in the
// customer's own time zone.
package notify

import (
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/config"
)

// NextContact returns the earliest instant at or after at whose wall-clock
// time in loc lies inside the daily window w ([From, To), e.g. 09:00–21:00).
// An instant already inside the window is returned as it is; one at night
// moves to the window's opening that morning or the next. Days on which the
// clocks change are handled: when the opening falls into a skipped hour, the
// message goes at the first minute that exists inside the window.
func NextContact(at time.Time, loc *time.Location, w config.TimeRange) time.Time {
	if inWindow(at.In(loc), w) {
		return at
	}
	local := at.In(loc)
	y, m, d := local.Date()
	for i := range 3 {
		open := time.Date(y, m, d+i, int(w.From)/60, int(w.From)%60, 0, 0, loc)
		if open.Before(at) {
			continue
		}
		if !inWindow(open.In(loc), w) {
			continue // the whole window was skipped by a clock change (never seen, but never loop)
		}
		// In a clock change time.Date may land past the first valid
		// minute of the window: step back to it.
		for {
			prev := open.Add(-time.Minute)
			if prev.Before(at) || !inWindow(prev.In(loc), w) {
				break
			}
			open = prev
		}
		return open
	}
	return at
}

// inWindow tells whether the wall-clock time of t lies in [w.From, w.To).
func inWindow(t time.Time, w config.TimeRange) bool {
	mins := config.ClockTime(t.Hour()*60 + t.Minute())
	return mins >= w.From && mins < w.To
}

// locations caches loaded time zones: time.LoadLocation reads and parses the
// zone's file on every call, and every message asks for its customer's.
var locations sync.Map // name → *time.Location

// Location returns the IANA zone name, or fallback when name is empty or
// not a zone.
func Location(name string, fallback *time.Location) *time.Location {
	if name == "" {
		return fallback
	}
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fallback
	}
	locations.Store(name, loc)
	return loc
}
