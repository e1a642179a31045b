package trend

import (
	"errors"
	"math"
	"testing"
	"time"
)

// checkEveryDay runs Check on every prefix of h long enough to judge and
// returns the warnings.
func checkEveryDay(t *testing.T, h []Day, opts Options) (checks int, warnings []*Warning) {
	t.Helper()
	for end := defaultMinHistory + 1; end <= len(h); end++ {
		w, err := Check(h[:end], opts)
		if err != nil {
			t.Fatalf("Check(history[:%d]): %v", end, err)
		}
		checks++
		if w != nil {
			warnings = append(warnings, w)
		}
	}
	return checks, warnings
}

// TestCheckOrdinaryShopsRarelyWarn simulates shops with Sundays at 40% of
// weekdays, a slow upward trend (+0.1% a day, +44% a year) and Poisson
// noise, and checks every day: at most one warning per 500 ordinary days
// for each size (measured: about 1 in 1000), and none on a Sunday.
func TestCheckOrdinaryShopsRarelyWarn(t *testing.T) {
	t.Parallel()
	for _, base := range []float64{3, 8, 20, 60, 300} {
		var checks, warned, sundays int
		for seed := range uint64(6) {
			s := shop{Base: base, Growth: 0.001, Sunday: 0.4}
			n, ws := checkEveryDay(t, s.history(newRand(seed), 420), Options{})
			checks += n
			warned += len(ws)
			for _, w := range ws {
				if w.Date.Weekday() == time.Sunday {
					sundays++
				}
			}
		}
		t.Logf("%v orders a weekday: %d warnings in %d ordinary days", base, warned, checks)
		if warned*500 > checks {
			t.Errorf("%v orders a weekday: %d warnings in %d ordinary days, want at most 1 in 500", base, warned, checks)
		}
		if sundays > 0 {
			t.Errorf("%v orders a weekday: %d warnings on ordinary Sundays, want none", base, sundays)
		}
	}
}

// TestCheckQuietSunday: a Sunday at its usual 40% — well below every
// weekday before it — is ordinary, as is a Sunday with 1 order where 3 are
// usual.
func TestCheckQuietSunday(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base, sunday float64
	}{{50, 20}, {25, 10}, {7.5, 1}} {
		s := shop{Base: tc.base, Sunday: 0.4}
		h := s.history(newRand(7), 90)
		for h[len(h)-1].Date.Weekday() != time.Sunday {
			h = h[:len(h)-1]
		}
		// An ordinary weekend before it, so only the Sunday is judged.
		h[len(h)-2].Value = math.Round(s.mean(len(h) - 2))
		h[len(h)-1].Value = tc.sunday
		w, err := Check(h, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if w != nil {
			t.Errorf("Sunday with %v orders (weekdays %v): warning %+v, want none", tc.sunday, tc.base, *w)
		}
	}
}

// dropDetectedOn appends days at half the shop's mean after h — drawn
// from Poisson with a seed, or exactly half (rounded) with seed 0 — and
// returns the day (1, 2, ...) Check first warns, or 0 if not within maxDays.
func dropDetectedOn(t *testing.T, s shop, h []Day, seed uint64, maxDays int) int {
	t.Helper()
	r := newRand(seed)
	h = append([]Day(nil), h...)
	for d := 1; d <= maxDays; d++ {
		i := len(h)
		v := math.Round(0.5 * s.mean(i))
		if seed != 0 {
			v = poisson(r, 0.5*s.mean(i))
		}
		h = append(h, Day{Date: start.AddDate(0, 0, i), Value: v})
		w, err := Check(h, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if w != nil {
			if w.Days < 1 || w.Drop < 0.2 || w.Drop >= 1 {
				t.Errorf("warning %+v on day %d of the drop: want Days from 1 and a Drop in [0.2, 1)", *w, d)
			}
			return d
		}
	}
	return 0
}

// TestCheckDetectsHalvedOrders halves the orders from each weekday of the
// week, after ten different histories. At 50 orders a weekday exactly half
// the usual orders is caught within 3 days every time, and halved Poisson
// draws (noisier: a halved day can by chance be nearly ordinary) at least
// 95% of the time. At 20 a weekday a halving is near the limit of what
// three days can tell from chance: at least 3 in 4 exact and 2 in 3 Poisson
// halvings are caught.
func TestCheckDetectsHalvedOrders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base    float64
		poisson bool
		atLeast float64 // share caught within 3 days
	}{
		{50, false, 1},
		{20, false, 0.75},
		{50, true, 0.95},
		{20, true, 2.0 / 3},
	} {
		s := shop{Base: tc.base, Growth: 0.001, Sunday: 0.4}
		var runs, caught int
		for seed := range uint64(10) {
			for weekday := range 7 {
				h := s.history(newRand(seed), 120+weekday)
				dropSeed := uint64(0)
				if tc.poisson {
					dropSeed = 1000 + seed
				}
				runs++
				if dropDetectedOn(t, s, h, dropSeed, 3) > 0 {
					caught++
				}
			}
		}
		t.Logf("%v orders a weekday, Poisson %v: %d of %d halvings caught within 3 days", tc.base, tc.poisson, caught, runs)
		if float64(caught) < tc.atLeast*float64(runs) {
			t.Errorf("%v orders a weekday, Poisson %v: %d of %d halvings caught within 3 days, want at least %.0f%%",
				tc.base, tc.poisson, caught, runs, 100*tc.atLeast)
		}
	}
}

// TestCheckBlackFriday: a 5× day neither warns on the days after it nor
// raises the expectation enough to hide a halving two weeks later.
func TestCheckBlackFriday(t *testing.T) {
	t.Parallel()
	s := shop{Base: 50, Growth: 0.001, Sunday: 0.4}
	for seed := range uint64(5) {
		h := s.history(newRand(seed), 140)
		spike := 102 // a Friday: start is a Monday
		if wd := h[spike].Date.Weekday(); wd != time.Friday {
			t.Fatalf("spike on %v, want a Friday", wd)
		}
		h[spike].Value = 5 * s.mean(spike)
		for end := spike + 1; end <= spike+15; end++ {
			w, err := Check(h[:end], Options{})
			if err != nil {
				t.Fatal(err)
			}
			if w != nil {
				t.Errorf("seed %d: warning %+v %d days after the spike, want none", seed, *w, end-1-spike)
			}
		}
		points, err := Expect(h[:spike+15], Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range points[len(points)-14:] {
			if want := s.mean(int(p.Date.Sub(start).Hours() / 24)); p.Expected > 1.25*want {
				t.Errorf("seed %d: %s expected %.1f after the spike, true mean %.1f", seed, p.Date.Format(time.DateOnly), p.Expected, want)
			}
		}
		if d := dropDetectedOn(t, s, h[:spike+15], 2000+seed, 3); d == 0 {
			t.Errorf("seed %d: halving two weeks after the spike not caught within 3 days", seed)
		}
	}
}

// TestCheckZeroDay: one day without orders is chance for a shop with 2 a
// day and a clear alarm for a shop with 40.
func TestCheckZeroDay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base float64
		want Reason
	}{{2, ""}, {3, ""}, {40, ReasonFarBelow}, {300, ReasonFarBelow}} {
		s := shop{Base: tc.base, Growth: 0.001, Sunday: 0.4}
		for seed := range uint64(5) {
			h := s.history(newRand(seed), 93) // ends on a Wednesday
			h[len(h)-2].Value = math.Round(s.mean(len(h) - 2))
			h[len(h)-3].Value = math.Round(s.mean(len(h) - 3))
			h[len(h)-1].Value = 0
			w, err := Check(h, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got Reason
			if w != nil {
				got = w.Reason
			}
			if got != tc.want {
				t.Errorf("%v orders a day, seed %d, zero day: warning %+v, want reason %q", tc.base, seed, w, tc.want)
			}
			if w != nil && (w.Actual != 0 || w.Drop != 1 || w.Days != 1 || w.Lower <= 0 || !w.Date.Equal(h[len(h)-1].Date)) {
				t.Errorf("%v orders a day: warning %+v, want the zero day, Drop 1, Days 1", tc.base, *w)
			}
		}
	}
}

// TestCheckOrdersStopped: the shop's query returns nothing for the last
// days; Through makes them zero days and the stop is caught.
func TestCheckOrdersStopped(t *testing.T) {
	t.Parallel()
	s := shop{Base: 40, Sunday: 0.4}
	h := s.history(newRand(3), 100)
	w, err := Check(h, Options{Through: h[len(h)-1].Date.AddDate(0, 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if w == nil || w.Actual != 0 || w.Days != 2 {
		t.Fatalf("warning %+v, want one for 2 days without orders", w)
	}
	if _, err := Check(h, Options{Through: h[0].Date}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("Through before the last day: error %v, want ErrInvalidOptions", err)
	}
}
