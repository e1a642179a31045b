package trend

import (
	"math"
	"math/rand/v2"
	"time"
)

// start is a Monday.
var start = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// poisson draws a Poisson count of mean lambda (Knuth, in chunks so that
// exp(-lambda) does not underflow).
func poisson(r *rand.Rand, lambda float64) float64 {
	var n float64
	for lambda > 0 {
		l := math.Min(lambda, 200)
		lambda -= l
		limit, p := math.Exp(-l), 1.0
		for {
			p *= r.Float64()
			if p <= limit {
				break
			}
			n++
		}
	}
	return n
}

// shop describes a synthetic shop: weekday mean Base on day 0, growing by
// Growth a day (relative), Sundays at Sunday of a weekday.
type shop struct {
	Base, Growth, Sunday float64
}

// mean is the shop's expected orders on day i after start.
func (s shop) mean(i int) float64 {
	m := s.Base * (1 + s.Growth*float64(i))
	if start.AddDate(0, 0, i).Weekday() == time.Sunday {
		m *= s.Sunday
	}
	return m
}

// history draws days Poisson days of the shop.
func (s shop) history(r *rand.Rand, days int) []Day {
	h := make([]Day, days)
	for i := range h {
		h[i] = Day{Date: start.AddDate(0, 0, i), Value: poisson(r, s.mean(i))}
	}
	return h
}

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5eed))
}
