package config

import (
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// maxSurveyQuietDays bounds surveys.quiet_days: two years.
const maxSurveyQuietDays = 730

// Surveys is how shopcare asks customers how it went: an NPS survey
// (0–10) after a delivery, a CSAT rating (1–5) after a support
// conversation, each answered with one click on a score link.
type Surveys struct {
	// Enabled asks the surveys; false leaves the delivery follow-up
	// without score links and closes conversations with the old rating
	// question. Default true.
	Enabled *bool `yaml:"enabled"`
	// AfterDelivery is how long after the delivery the NPS survey goes
	// (the rule delivered_followup); default 72h. The rule's own
	// playbook.rules.delivered_followup.after still wins when set.
	AfterDelivery Duration `yaml:"after_delivery"`
	// QuietDays keeps a customer from a second delivery survey within
	// this many days of the last one they were sent (the follow-up is
	// then not sent at all); default 90. 0 asks after every delivery.
	QuietDays int `yaml:"quiet_days"`
}

// On tells whether the surveys are asked.
func (s Surveys) On() bool { return s.Enabled == nil || *s.Enabled }

// defaultSurveys is the surveys of a shop that has not set its own.
func defaultSurveys() Surveys {
	return Surveys{AfterDelivery: Duration(72 * time.Hour), QuietDays: 90}
}

// validateSurveys checks the delay and the quiet days.
func (s *Settings) validateSurveys(errs *invalid.List) {
	v := &s.Surveys
	if v.AfterDelivery < 0 || time.Duration(v.AfterDelivery) > 365*24*time.Hour {
		errs.Add("surveys.after_delivery", "invalid", "must be between 0 and 365d")
	}
	if v.QuietDays < 0 || v.QuietDays > maxSurveyQuietDays {
		errs.Add("surveys.quiet_days", "invalid", "must be between 0 (ask after every delivery) and %d days", maxSurveyQuietDays)
	}
}
