package trend

import (
	"fmt"
	"math"
	"time"
)

// series is a validated history with gaps filled: one value per calendar
// day, consecutive.
type series struct {
	dates  []time.Time
	values []float64
}

// civilDay is the number of days since 1970-01-01 of t's calendar date in
// t's own location.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dateOf is midnight of calendar day n in loc.
func dateOf(n int64, loc *time.Location) time.Time {
	y, m, d := time.Unix(n*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// newSeries checks the history and fills the gaps (and the days up to
// through, if set) with zero days.
func newSeries(history []Day, through time.Time) (series, error) {
	if len(history) == 0 {
		return series{}, nil
	}
	first := civilDay(history[0].Date)
	last := civilDay(history[len(history)-1].Date)
	end := last
	if !through.IsZero() {
		end = civilDay(through)
		if end < last {
			return series{}, fmt.Errorf("%w: Through %s is before the history's last day %s",
				ErrInvalidOptions, through.Format(time.DateOnly), history[len(history)-1].Date.Format(time.DateOnly))
		}
	}
	prev := int64(math.MinInt64)
	for i, d := range history {
		if v := d.Value; math.IsNaN(v) || v < 0 || v > maxValue {
			return series{}, &DayError{Index: i, Date: d.Date, Err: fmt.Errorf("%w: %v", ErrInvalidValue, v)}
		}
		n := civilDay(d.Date)
		switch {
		case n == prev:
			return series{}, &DayError{Index: i, Date: d.Date, Err: ErrDuplicateDate}
		case n < prev:
			return series{}, &DayError{Index: i, Date: d.Date, Err: fmt.Errorf("%w (%s)", ErrUnsorted, history[i-1].Date.Format(time.DateOnly))}
		case n-first >= maxSpanDays:
			return series{}, &DayError{Index: i, Date: d.Date, Err: fmt.Errorf("%w (from %s)", ErrSpanTooLong, history[0].Date.Format(time.DateOnly))}
		}
		prev = n
	}
	if end-first >= maxSpanDays {
		return series{}, &DayError{Index: len(history) - 1, Date: through, Err: fmt.Errorf("%w (from %s)", ErrSpanTooLong, history[0].Date.Format(time.DateOnly))}
	}
	size := int(end - first + 1)
	s := series{dates: make([]time.Time, 0, size), values: make([]float64, 0, size)}
	next := first
	for _, d := range history {
		n := civilDay(d.Date)
		for ; next < n; next++ {
			s.dates = append(s.dates, dateOf(next, d.Date.Location()))
			s.values = append(s.values, 0)
		}
		s.dates = append(s.dates, d.Date)
		s.values = append(s.values, d.Value)
		next = n + 1
	}
	loc := history[len(history)-1].Date.Location()
	for ; next <= end; next++ {
		s.dates = append(s.dates, dateOf(next, loc))
		s.values = append(s.values, 0)
	}
	return s, nil
}
