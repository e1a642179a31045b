package config

import (
	"net/mail"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Analytics holds what the reports measure against.
type Analytics struct {
	// ReturnEvery is the return-frequency goal: how often the shop wants
	// its customers back (30d: every month). A customer whose last order
	// is older is drifting past it.
	ReturnEvery Duration `yaml:"return_every"`
	// ActiveWithin is how recent a customer's last order must be for them
	// to count as an active customer of the return goal.
	ActiveWithin Duration `yaml:"active_within"`
	// GrossMarginPercent is the share of revenue the shop keeps after the
	// cost of goods: CAC payback and LTV/CAC are counted on it. 100 counts
	// on revenue.
	GrossMarginPercent float64 `yaml:"gross_margin_percent"`
	// DiscountRatePercent is the yearly rate the predicted customer value
	// (CLV) discounts future purchases at.
	DiscountRatePercent float64 `yaml:"discount_rate_percent"`
	// Warning is the early warning on daily orders.
	Warning Warning `yaml:"warning"`
}

// Warning says when a drop in daily orders raises an alert.
type Warning struct {
	// Off switches the early warning off.
	Off bool `yaml:"off"`
	// Sensitivity is how many robust standard deviations below the
	// expected level a day must fall (3 by default; higher is calmer).
	Sensitivity float64 `yaml:"sensitivity"`
	// Email is where the alert goes; the shop's owners when empty.
	Email string `yaml:"email"`
}

func defaultAnalytics() Analytics {
	return Analytics{
		ReturnEvery:         Duration(30 * 24 * time.Hour),
		ActiveWithin:        Duration(365 * 24 * time.Hour),
		GrossMarginPercent:  100,
		DiscountRatePercent: 10,
		Warning:             Warning{Sensitivity: 3},
	}
}

func (s *Settings) validateAnalytics(errs *invalid.List) {
	a := s.Analytics
	day := Duration(24 * time.Hour)
	if a.ReturnEvery < day {
		errs.Add("analytics.return_every", "invalid", "the return goal must be at least a day (like 30d)")
	}
	if a.ActiveWithin < a.ReturnEvery {
		errs.Add("analytics.active_within", "invalid", "must be at least analytics.return_every")
	}
	if a.GrossMarginPercent <= 0 || a.GrossMarginPercent > 100 {
		errs.Add("analytics.gross_margin_percent", "invalid", "must be above 0 and at most 100")
	}
	if a.DiscountRatePercent < 0 || a.DiscountRatePercent >= 100 {
		errs.Add("analytics.discount_rate_percent", "invalid", "must be from 0 up to (not including) 100")
	}
	if a.Warning.Sensitivity <= 0 || a.Warning.Sensitivity > 10 {
		errs.Add("analytics.warning.sensitivity", "invalid", "must be above 0 and at most 10")
	}
	if addr, err := mail.ParseAddress(a.Warning.Email); a.Warning.Email != "" && (err != nil || addr.Address != a.Warning.Email) {
		errs.Add("analytics.warning.email", "invalid", "%q is not an e-mail address", a.Warning.Email)
	}
}
