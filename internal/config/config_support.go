package config

import (
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Support holds the support inbox's response targets: how long a customer
// who wrote may wait for an answer, counted in the shop's working hours
// (shop.working_hours on its working days), as people who run Help Scout or
// Zammad set them.
type Support struct {
	// FirstResponse is the time to the first answer of a new
	// conversation; default 2h.
	FirstResponse Duration `yaml:"first_response"`
	// NextResponse is the time to answer each later message of the
	// customer; default 4h.
	NextResponse Duration `yaml:"next_response"`
	// Canned are the ready answers operators insert into a reply
	// (config_support_canned.go).
	Canned []CannedReply `yaml:"canned"`
}

// maxResponseTarget bounds a response target: a target of more than a
// month of working hours is no target.
const maxResponseTarget = 30 * 24 * time.Hour

// defaultSupport is the targets of a shop that has not set its own.
func defaultSupport() Support {
	return Support{FirstResponse: Duration(2 * time.Hour), NextResponse: Duration(4 * time.Hour)}
}

// validateSupport checks the response targets.
func (s *Settings) validateSupport(errs *invalid.List) {
	for _, t := range []struct {
		key string
		d   Duration
	}{{"support.first_response", s.Support.FirstResponse}, {"support.next_response", s.Support.NextResponse}} {
		key, d := t.key, t.d
		switch {
		case d <= 0:
			errs.Add(key, "invalid", "must be a positive duration such as 2h")
		case time.Duration(d) > maxResponseTarget:
			errs.Add(key, "invalid", "must be at most %s of working hours", Duration(maxResponseTarget))
		case time.Duration(d)%time.Minute != 0:
			errs.Add(key, "invalid", "must be whole minutes, such as 90m or 2h")
		}
	}
	s.validateCanned(errs)
}
