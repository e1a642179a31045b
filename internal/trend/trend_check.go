package trend

import "time"

// Reason says which part of the rule raised a Warning.
type Reason string

// The reasons a Warning is raised; see the package documentation.
const (
	// ReasonFarBelow means the latest day alone is far below its expectation.
	ReasonFarBelow Reason = "far_below"
	// ReasonSustained means the last 2 or 3 days are each a sigma or more below
	// expectation and their sum is clearly below the band of the sum.
	ReasonSustained Reason = "sustained"
)

// Warning is a clear drop of orders on the latest day of the history.
type Warning struct {
	Date     time.Time // the latest day
	Actual   float64   // its orders
	Expected float64   // its expectation
	Lower    float64   // the lower edge of its band
	// Drop is the share of the expected orders missing over the Days,
	// against each day's one-step-ahead expectation (the chart's).
	Drop float64
	// Days is how many consecutive days, ending at Date, the drop has
	// lasted: the days the rule judged (1 for a day far below, 2 or 3 for a
	// sustained drop) and the days before them that were below their band.
	Days   int
	Reason Reason
}

// Check judges the latest day of the history, which must be a complete day,
// by the rule in the package documentation. It returns nil when all is
// ordinary, and ErrTooLittleHistory when the history has MinHistory days or
// fewer.
func Check(history []Day, opts Options) (*Warning, error) {
	o, s, err := prepare(history, opts)
	if err != nil {
		return nil, err
	}
	f := newFitter(o.Window)
	k := o.Sensitivity
	last := len(s.values) - 1
	run := make([]scored, 0, 3) // latest first
	for i := last; i >= max(o.MinHistory, last-2); i-- {
		run = append(run, s.score(f, i, k))
	}
	var reason Reason
	days := 0
	t := run[0]
	if zscore(t.Actual, t.Expected, t.tau) < -(k + farBelowMargin) {
		reason, days = ReasonFarBelow, 1
	}
	for n := len(run); n >= 2; n-- {
		if sustained(s.values[last-n+1:], f.fit(s.values, last-n+1), k) {
			reason, days = ReasonSustained, n
			break
		}
	}
	if reason == "" {
		return nil, nil
	}
	w := &Warning{Date: t.Date, Actual: t.Actual, Expected: t.Expected, Lower: t.Lower, Reason: reason}
	var actual, expected float64
	for i := last; i >= o.MinHistory; i-- {
		var p scored
		if j := last - i; j < len(run) {
			p = run[j]
		} else {
			p = s.score(f, i, k)
		}
		if last-i >= days && p.Actual >= p.Lower {
			break
		}
		w.Days++
		actual += p.Actual
		expected += p.Expected
	}
	if expected > 0 {
		w.Drop = 1 - actual/expected
	}
	return w, nil
}

// Margins beyond the band that a day, or a run's sum, must reach to warn.
// The expectation is itself estimated, so z has heavier tails than a normal
// variable: in simulated ordinary shops a 2- or 3-day sum falls below −3 on
// about 3 days in 1000, below −3.5 on about 1 in 1000.
const (
	farBelowMargin  = 1
	sustainedMargin = 0.5
	// dayBelowMargin is how far below its expectation each day of a
	// sustained run must be, so that one very bad day after two ordinary
	// ones is a day far below, not a run.
	dayBelowMargin = 1
)

// sustained tells whether each of the days run is a sigma or more below
// its expectation under m, the fit to the days before the run, and their sum is clearly
// below the band of the sum. Judging the run against the days before it
// keeps the first days of a drop from lowering the bar for the later ones.
func sustained(run []float64, m model, k float64) bool {
	var actual, expected float64
	for h, v := range run {
		e := m.expect(h)
		if zscore(v, e, m.tau) >= -dayBelowMargin {
			return false
		}
		actual += v
		expected += e
	}
	// m.tau is the scale of each day on the root scale; for counts the sum
	// of the days then has the same scale on it.
	return zscore(actual, expected, m.tau) < -(k + sustainedMargin)
}
