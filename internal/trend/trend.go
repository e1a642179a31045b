package trend

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Day is one shop-local calendar day's count of orders. Only the year,
// month and day of Date matter; its clock and location are ignored.
type Day struct {
	Date  time.Time
	Value float64
}

// Point is one day on the chart: what happened, what was expected from the
// days before it, and the band of ordinary variation around the expectation.
// Forecast points lie after the history and have Actual 0.
type Point struct {
	Date     time.Time
	Actual   float64
	Expected float64
	Lower    float64
	Upper    float64
	Forecast bool
}

// Options tune Expect and Check; the zero value gives the defaults.
type Options struct {
	// Window is how many days before a day its expectation is drawn from,
	// rounded down to whole weeks; default 56, between 14 and 364.
	Window int
	// MinHistory is how many days must precede a day before it gets an
	// expectation; default 28, at least 14. With less history Expect and
	// Check return ErrTooLittleHistory.
	MinHistory int
	// Sensitivity is the half-width of the band in robust standard
	// deviations on the square-root scale; default 3. Larger means fewer
	// warnings.
	Sensitivity float64
	// Horizon is how many days after the history Expect forecasts; default
	// 0, at most 28. The forecast extends the weekly pattern and the trend
	// line; beyond a week or two it is a sketch, not a promise.
	Horizon int
	// Through, when set, is the last complete day: the days after the
	// history's last day up to and including Through are days with no
	// orders. It must not be before the history's last day.
	Through time.Time
}

const (
	defaultWindow      = 56
	defaultMinHistory  = 28
	defaultSensitivity = 3
	minWindow          = 14
	maxWindow          = 364
	maxHorizon         = 28
	// maxSpanDays bounds the history (20 years) so a stray date cannot
	// make Expect allocate and compute for millennia of gap.
	maxSpanDays = 20 * 366
	// maxValue bounds a day's count; beyond it sums lose precision.
	maxValue = 1e12
)

var (
	// ErrTooLittleHistory means the history is shorter than MinHistory + 1
	// days, so not even its last day has an expectation.
	ErrTooLittleHistory = errors.New("trend: too little history")
	// ErrInvalidOptions means an Options field is out of range.
	ErrInvalidOptions = errors.New("trend: invalid options")
	// ErrUnsorted means a day's date is before the previous day's.
	ErrUnsorted = errors.New("date before the previous day's")
	// ErrDuplicateDate means a date appears twice.
	ErrDuplicateDate = errors.New("duplicate date")
	// ErrInvalidValue means a value is negative, NaN, infinite or
	// implausibly large.
	ErrInvalidValue = errors.New("value is not a count")
	// ErrSpanTooLong means the history covers more than twenty years.
	ErrSpanTooLong = errors.New("history spans more than twenty years")
)

// DayError is a problem with one day of the history; Err is ErrUnsorted,
// ErrDuplicateDate, ErrInvalidValue or ErrSpanTooLong, for errors.Is.
type DayError struct {
	Index int       // position in the history slice
	Date  time.Time // the day's date as given
	Err   error
}

// Error names the day by position and date.
func (e *DayError) Error() string {
	return fmt.Sprintf("trend: history[%d] %s: %v", e.Index, e.Date.Format(time.DateOnly), e.Err)
}

// Unwrap returns the sentinel behind the error.
func (e *DayError) Unwrap() error { return e.Err }

// withDefaults fills the zero fields and checks the others.
func (o Options) withDefaults() (Options, error) {
	if o.Window == 0 {
		o.Window = defaultWindow
	}
	if o.MinHistory == 0 {
		o.MinHistory = defaultMinHistory
	}
	if o.Sensitivity == 0 {
		o.Sensitivity = defaultSensitivity
	}
	switch {
	case o.Window < minWindow || o.Window > maxWindow:
		return o, fmt.Errorf("%w: Window %d, want %d to %d days", ErrInvalidOptions, o.Window, minWindow, maxWindow)
	case o.MinHistory < minWindow || o.MinHistory > maxSpanDays:
		return o, fmt.Errorf("%w: MinHistory %d, want %d to %d days", ErrInvalidOptions, o.MinHistory, minWindow, maxSpanDays)
	case math.IsNaN(o.Sensitivity) || o.Sensitivity < 0 || o.Sensitivity > 100:
		return o, fmt.Errorf("%w: Sensitivity %v, want a number above 0 and at most 100", ErrInvalidOptions, o.Sensitivity)
	case o.Horizon < 0 || o.Horizon > maxHorizon:
		return o, fmt.Errorf("%w: Horizon %d, want 0 to %d days", ErrInvalidOptions, o.Horizon, maxHorizon)
	}
	return o, nil
}
