package trend

import "fmt"

// scored is a point with the scale it was judged on.
type scored struct {
	Point
	tau float64
}

// Expect returns, for each day of the history that has MinHistory days
// before it, the actual value, the expectation drawn from the days before
// it only, and the band of ordinary variation; then Horizon forecast days.
// Gaps in the history come back as days with Actual 0.
func Expect(history []Day, opts Options) ([]Point, error) {
	o, s, err := prepare(history, opts)
	if err != nil {
		return nil, err
	}
	f := newFitter(o.Window)
	points := make([]Point, 0, len(s.values)-o.MinHistory+o.Horizon)
	for i := o.MinHistory; i < len(s.values); i++ {
		points = append(points, s.score(f, i, o.Sensitivity).Point)
	}
	if o.Horizon > 0 {
		end := len(s.values)
		m := f.fit(s.values, end)
		last := civilDay(s.dates[end-1])
		loc := s.dates[end-1].Location()
		for h := range o.Horizon {
			e := m.expect(h)
			lo, hi := band(e, m.tau, o.Sensitivity)
			points = append(points, Point{
				Date: dateOf(last+int64(h)+1, loc), Expected: e, Lower: lo, Upper: hi, Forecast: true,
			})
		}
	}
	return points, nil
}

// prepare checks the options and the history and fills the gaps.
func prepare(history []Day, opts Options) (Options, series, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return o, series{}, err
	}
	s, err := newSeries(history, o.Through)
	if err != nil {
		return o, series{}, err
	}
	if n := len(s.values); n <= o.MinHistory {
		return o, series{}, fmt.Errorf("%w: %d days, need %d (%d before the day judged)",
			ErrTooLittleHistory, n, o.MinHistory+1, o.MinHistory)
	}
	return o, s, nil
}

// score is day i judged against the fit to the days before it.
func (s series) score(f *fitter, i int, k float64) scored {
	m := f.fit(s.values, i)
	e := m.expect(0)
	lo, hi := band(e, m.tau, k)
	return scored{
		Point: Point{Date: s.dates[i], Actual: s.values[i], Expected: e, Lower: lo, Upper: hi},
		tau:   m.tau,
	}
}
