package demo

import (
	"math/rand/v2"
	"time"
)

// hourWeights are how busy each shop-local hour is: a quiet night, a
// working day, and the evening peak when people shop from the sofa.
var hourWeights = [24]float64{
	0.25, 0.12, 0.08, 0.06, 0.06, 0.10, 0.25, 0.50, 0.90, 1.30, 1.50, 1.50,
	1.60, 1.60, 1.50, 1.40, 1.40, 1.60, 2.20, 2.80, 3.00, 2.60, 1.80, 0.90,
}

// weekdayWeights, Sunday first: Sunday evenings are busy, Saturdays not.
var weekdayWeights = [7]float64{1.15, 1.05, 1.0, 1.0, 1.0, 0.9, 0.85}

// monthWeights: the year of a kitchenware shop, with Black Friday and
// Christmas at its end.
var monthWeights = [12]float64{0.80, 0.80, 0.90, 0.95, 0.95, 0.85, 0.80, 0.90, 1.00, 1.10, 1.45, 1.60}

var hourSum, hourMax = func() (sum, most float64) {
	for _, w := range hourWeights {
		sum += w
		most = max(most, w)
	}
	return sum, most
}()

// hourlyRate is how many orders an hour at t brings, for a shop of
// perDay orders a day on average.
func hourlyRate(t time.Time, loc *time.Location, perDay float64) float64 {
	l := t.In(loc)
	return perDay * hourWeights[l.Hour()] / hourSum * weekdayWeights[l.Weekday()]
}

// peakRate bounds hourlyRate.
func peakRate(perDay float64) float64 { return perDay * hourMax / hourSum * 1.15 }

// arrivals returns the moments in (from, to] at which orders come in, for
// a shop of perDay orders a day: a Poisson process whose rate follows the
// hour and the weekday (drawn by thinning a constant-rate one).
func arrivals(rnd *rand.Rand, from, to time.Time, loc *time.Location, perDay float64) []time.Time {
	peak := peakRate(perDay)
	if peak <= 0 {
		return nil
	}
	var out []time.Time
	t := from
	for {
		t = t.Add(time.Duration(rnd.ExpFloat64() / peak * float64(time.Hour)))
		if t.After(to) {
			return out
		}
		if rnd.Float64()*peak < hourlyRate(t, loc, perDay) {
			out = append(out, t)
		}
	}
}

// historyTime draws a moment in [from, to) for a past order: busier in
// the evening, at the end of the year, and later in the year as the shop
// grew (half as many orders a year ago as now).
func historyTime(rnd *rand.Rand, from, to time.Time, loc *time.Location) time.Time {
	span := to.Sub(from)
	for {
		t := from.Add(time.Duration(rnd.Int64N(int64(span))))
		l := t.In(loc)
		growth := 0.5 + 0.5*float64(t.Sub(from))/float64(span)
		w := hourWeights[l.Hour()] / hourMax * weekdayWeights[l.Weekday()] / 1.15 * monthWeights[l.Month()-1] / 1.6 * growth
		if rnd.Float64() < w {
			return t
		}
	}
}

// timeOfDay moves t to a moment of its shop-local day that people order
// at.
func timeOfDay(rnd *rand.Rand, t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	for {
		at := midnight.Add(time.Duration(rnd.Int64N(int64(24 * time.Hour))))
		if rnd.Float64()*hourMax < hourWeights[at.In(loc).Hour()] {
			return at
		}
	}
}
