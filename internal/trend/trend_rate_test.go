package trend

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// rateHistory is days of about visitors a day converting at 2 %, with
// Poisson-like noise, ending with a last day of the given orders.
func rateHistory(days int, visitors float64, last float64) []RateDay {
	rnd := rand.New(rand.NewPCG(27, 1))
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	h := make([]RateDay, days)
	for i := range h {
		v := visitors * (0.9 + 0.2*rnd.Float64())
		h[i] = RateDay{Date: start.AddDate(0, 0, i), Exposures: v, Events: float64(int(v*0.02 + rnd.NormFloat64()*2 + 0.5))}
		if h[i].Events < 0 {
			h[i].Events = 0
		}
	}
	h[days-1].Events = last
	return h
}

// TestCheckRate: an ordinary day and a good one are quiet; orders at a
// fifth of what the visitors usually give warn, with the band; too
// little history is said so.
func TestCheckRate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		last float64
		warn bool
	}{{"ordinary", 20, false}, {"a good day", 35, false}, {"a slow day", 14, false}, {"a fifth", 4, true}} {
		w, err := CheckRate(rateHistory(40, 1000, c.last), Options{})
		if err != nil || (w != nil) != c.warn {
			t.Errorf("%s: %+v %v, want a warning %v", c.name, w, err, c.warn)
		}
		if w != nil && !(w.Actual < w.Lower && w.Lower < w.Expected && w.Expected > 0.015 && w.Expected < 0.025) {
			t.Errorf("%s: the band %+v", c.name, w)
		}
	}
	if _, err := CheckRate(rateHistory(10, 1000, 20), Options{}); !errors.Is(err, ErrTooLittleHistory) {
		t.Errorf("ten days: %v, want too little history", err)
	}
	bad := rateHistory(30, 1000, 20)
	bad[3].Exposures = -1
	var de *DayError
	if _, err := CheckRate(bad, Options{}); !errors.As(err, &de) || de.Index != 3 {
		t.Errorf("a negative day: %v", err)
	}
}

// FuzzCheckRate never panics and never warns about a day with no
// visitors.
func FuzzCheckRate(f *testing.F) {
	f.Add(1000.0, 20.0, 3.0, 0.0)
	f.Add(0.0, 0.0, 0.5, 1e12)
	f.Add(5.0, 100.0, 10.0, -1.0)
	f.Fuzz(func(t *testing.T, visitors, last, k, lastVisitors float64) {
		h := rateHistory(30, visitors, last)
		h[len(h)-1].Exposures = lastVisitors
		w, err := CheckRate(h, Options{Sensitivity: k})
		if err == nil && w != nil && lastVisitors == 0 {
			t.Fatalf("a warning on a day without visitors: %+v", w)
		}
	})
}
