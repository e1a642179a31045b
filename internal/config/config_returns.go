package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// ReturnReasons are the reasons a customer may give for a return, each
// with its words in every language (the customer's page and the admin
// show them, never the code).
var ReturnReasons = []string{"damaged", "wrong_item", "not_as_described", "did_not_fit", "changed_mind", "other"}

// maxReturnWindow bounds the return window: a year is more than any
// shop's law or policy asks for.
const maxReturnWindow = 365

// Returns is how customers return items on their own page (/my): within
// how many days of the delivery, and for which reasons.
type Returns struct {
	// WindowDays is how many days after the delivery day a customer may
	// ask on their page to return items (the delivery day is day 0, so 14
	// takes requests up to and including the fourteenth day after);
	// default 14, the EU's withdrawal period for distance sales. 0 turns
	// the page's return form off: customers are told to write to the
	// shop instead.
	WindowDays int `yaml:"window_days"`
	// Reasons are the reasons the return form offers, some of damaged,
	// wrong_item, not_as_described, did_not_fit, changed_mind and other,
	// in the order shown; empty offers them all.
	Reasons []string `yaml:"reasons"`
}

// defaultReturns is the returns of a shop that has not set its own.
func defaultReturns() Returns {
	return Returns{WindowDays: 14, Reasons: append([]string(nil), ReturnReasons...)}
}

// validateReturns checks the window and the reasons; an empty list of
// reasons becomes all of them.
func (s *Settings) validateReturns(errs *invalid.List) {
	r := &s.Returns
	if r.WindowDays < 0 || r.WindowDays > maxReturnWindow {
		errs.Add("returns.window_days", "invalid", "must be between 0 (no returns on the customer's page) and %d days", maxReturnWindow)
	}
	seen := map[string]bool{}
	for i := range r.Reasons {
		key := fmt.Sprintf("returns.reasons[%d]", i)
		code := strings.TrimSpace(r.Reasons[i])
		r.Reasons[i] = code
		switch {
		case !slices.Contains(ReturnReasons, code):
			errs.Add(key, "invalid", "%q is not a reason: use %s", code, strings.Join(ReturnReasons, ", "))
		case seen[code]:
			errs.Add(key, "duplicate", "%q is listed twice", code)
		}
		seen[code] = true
	}
	if len(r.Reasons) == 0 {
		r.Reasons = append([]string(nil), ReturnReasons...)
	}
}
