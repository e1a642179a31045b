package trend

import (
	"fmt"
	"math"
	"time"
)

// RateDay is one day's exposures (a shop's unique visitors) and the
// events among them (its orders), for CheckRate.
type RateDay struct {
	Date      time.Time
	Exposures float64
	Events    float64
}

// RateWarning is a clear drop of the rate events ÷ exposures on the
// latest day: the events fell while the exposures held.
type RateWarning struct {
	Date     time.Time
	Actual   float64 // the day's rate
	Expected float64 // the rate of the days before it
	Lower    float64 // the lowest ordinary rate at the day's exposures
	// Events and ExpectedEvents are the day's events and what the
	// ordinary rate would have given at its exposures.
	Events, ExpectedEvents float64
}

// rateWindow is how many days before the latest one its ordinary rate
// is drawn from, and rateMinDays how many of them must have exposures.
const (
	rateWindow  = 28
	rateMinDays = 14
)

// CheckRate judges the latest day of the history (a complete day, the
// history earliest first): its events are expected at the ordinary rate
// of the rateWindow days before it (Σ events ÷ Σ exposures) times its
// exposures, and it warns when they fall far below, by the rule of a day
// far below in Check: on the square-root scale, more than Sensitivity + 1
// scales under the expectation, the scale being the spread of the same
// comparison over the days before (never less than the Poisson floor of
// 1). It returns ErrTooLittleHistory with fewer than 14 days of
// exposures before the latest day, and nil when the latest day had none
// (nothing to convert).
func CheckRate(history []RateDay, opts Options) (*RateWarning, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(history) < 2 {
		return nil, ErrTooLittleHistory
	}
	for i, d := range history {
		for _, v := range []float64{d.Exposures, d.Events} {
			if math.IsNaN(v) || v < 0 || v > maxValue {
				return nil, &DayError{Index: i, Date: d.Date, Err: fmt.Errorf("%w: %v", ErrInvalidValue, v)}
			}
		}
		if i > 0 && civilDay(d.Date) <= civilDay(history[i-1].Date) {
			return nil, &DayError{Index: i, Date: d.Date, Err: ErrUnsorted}
		}
	}
	last := history[len(history)-1]
	first := civilDay(last.Date) - rateWindow
	var events, exposures float64
	var past []RateDay
	for _, d := range history[:len(history)-1] {
		if civilDay(d.Date) >= first && d.Exposures > 0 {
			past = append(past, d)
			events += d.Events
			exposures += d.Exposures
		}
	}
	if len(past) < rateMinDays {
		return nil, ErrTooLittleHistory
	}
	if last.Exposures == 0 || exposures == 0 {
		return nil, nil
	}
	r := events / exposures
	resid := make([]float64, len(past))
	for i, d := range past {
		resid[i] = root(d.Events) - root(r*d.Exposures)
	}
	tau := math.Max(1, madToSigma*mad(resid)) * math.Sqrt(1+1/float64(len(past)))
	expected := r * last.Exposures
	k := o.Sensitivity
	if zscore(last.Events, expected, tau) >= -(k + farBelowMargin) {
		return nil, nil
	}
	lower, _ := band(expected, tau, k)
	return &RateWarning{Date: last.Date, Actual: last.Events / last.Exposures, Expected: r, Lower: lower / last.Exposures,
		Events: last.Events, ExpectedEvents: expected}, nil
}
