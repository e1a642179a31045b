package trend

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// TestExpectFollowsTheShop: the expectation tracks the true mean of a
// seasonal, growing shop within 10% on average and keeps Sundays at about
// 40% of weekdays; about 99% of days lie inside the band; every point has
// Lower ≤ Expected ≤ Upper.
func TestExpectFollowsTheShop(t *testing.T) {
	t.Parallel()
	s := shop{Base: 40, Growth: 0.002, Sunday: 0.4}
	h := s.history(newRand(11), 365)
	points, err := Expect(h, Options{Horizon: 7})
	if err != nil {
		t.Fatal(err)
	}
	if want := 365 - defaultMinHistory + 7; len(points) != want {
		t.Fatalf("%d points, want %d", len(points), want)
	}
	var relErr, sunday float64
	var sundays int
	var inside, days int
	for i, p := range points {
		n := defaultMinHistory + i
		if !p.Date.Equal(start.AddDate(0, 0, n)) {
			t.Fatalf("point %d on %s, want %s", i, p.Date.Format(time.DateOnly), start.AddDate(0, 0, n).Format(time.DateOnly))
		}
		if !(p.Lower <= p.Expected && p.Expected <= p.Upper && p.Lower >= 0) {
			t.Errorf("%s: band %v ≤ %v ≤ %v out of order", p.Date.Format(time.DateOnly), p.Lower, p.Expected, p.Upper)
		}
		if p.Forecast != (n >= 365) {
			t.Errorf("%s: Forecast %v", p.Date.Format(time.DateOnly), p.Forecast)
		}
		relErr += math.Abs(p.Expected/s.mean(n) - 1)
		if p.Forecast {
			continue
		}
		days++
		if p.Lower <= p.Actual && p.Actual <= p.Upper {
			inside++
		}
		if p.Date.Weekday() == time.Sunday {
			sunday += p.Expected / s.mean(n-1)
			sundays++
		}
	}
	if m := relErr / float64(len(points)); m > 0.1 {
		t.Errorf("mean relative error of the expectation %.3f, want at most 0.1", m)
	}
	if r := sunday / float64(sundays); math.Abs(r-0.4) > 0.05 {
		t.Errorf("Sundays expected at %.2f of Saturdays' true mean, want 0.40 ± 0.05", r)
	}
	if share := float64(inside) / float64(days); share < 0.98 {
		t.Errorf("%.3f of days inside the band, want at least 0.98", share)
	}
}

// TestExpectGapsAreZeroDays: a date missing from the history is a day with
// no orders, dated in the history's location.
func TestExpectGapsAreZeroDays(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("shop", 3*3600)
	var h []Day
	for i := range 40 {
		if i == 35 {
			continue
		}
		h = append(h, Day{Date: time.Date(2024, 3, 1+i, 0, 0, 0, 0, loc), Value: 10})
	}
	points, err := Expect(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 40-defaultMinHistory {
		t.Fatalf("%d points, want %d", len(points), 40-defaultMinHistory)
	}
	gap := points[35-defaultMinHistory]
	if want := time.Date(2024, 4, 5, 0, 0, 0, 0, loc); !gap.Date.Equal(want) || gap.Actual != 0 || gap.Date.Location() != loc {
		t.Errorf("gap point %+v, want %s with Actual 0", gap, want)
	}
	if gap.Expected < 9 || gap.Expected > 11 {
		t.Errorf("gap expected %v, want about 10", gap.Expected)
	}
}

// TestTooLittleHistory: MinHistory days are not enough; one more is.
func TestTooLittleHistory(t *testing.T) {
	t.Parallel()
	h := shop{Base: 10, Sunday: 0.4}.history(newRand(1), 29)
	for _, opts := range []Options{{}, {MinHistory: 20}} {
		need := opts.MinHistory
		if need == 0 {
			need = defaultMinHistory
		}
		if _, err := Check(h[:need], opts); !errors.Is(err, ErrTooLittleHistory) {
			t.Errorf("Check on %d days: error %v, want ErrTooLittleHistory", need, err)
		}
		if _, err := Expect(h[:need], opts); !errors.Is(err, ErrTooLittleHistory) {
			t.Errorf("Expect on %d days: error %v, want ErrTooLittleHistory", need, err)
		}
		if _, err := Check(h[:need+1], opts); err != nil {
			t.Errorf("Check on %d days: %v", need+1, err)
		}
	}
	if _, err := Check(nil, Options{}); !errors.Is(err, ErrTooLittleHistory) {
		t.Errorf("Check on no history: error %v, want ErrTooLittleHistory", err)
	}
}

// TestHistoryErrors: each bad day is named by position and date.
func TestHistoryErrors(t *testing.T) {
	t.Parallel()
	day := func(i int) time.Time { return start.AddDate(0, 0, i) }
	base := func() []Day {
		h := make([]Day, 40)
		for i := range h {
			h[i] = Day{Date: day(i), Value: 5}
		}
		return h
	}
	for _, tc := range []struct {
		name   string
		change func([]Day)
		index  int
		want   error
		date   string
	}{
		{"unsorted", func(h []Day) { h[10].Date = day(3) }, 10, ErrUnsorted, "2024-01-04"},
		{"duplicate", func(h []Day) { h[10].Date = day(9).Add(5 * time.Hour) }, 10, ErrDuplicateDate, "2024-01-10"},
		{"NaN", func(h []Day) { h[7].Value = math.NaN() }, 7, ErrInvalidValue, "2024-01-08"},
		{"negative", func(h []Day) { h[8].Value = -1 }, 8, ErrInvalidValue, "2024-01-09"},
		{"infinite", func(h []Day) { h[9].Value = math.Inf(1) }, 9, ErrInvalidValue, "2024-01-10"},
		{"too long", func(h []Day) { h[39].Date = day(30 * 366) }, 39, ErrSpanTooLong, "2054-01-23"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := base()
			tc.change(h)
			for _, run := range []func() error{
				func() error { _, err := Expect(h, Options{}); return err },
				func() error { _, err := Check(h, Options{}); return err },
			} {
				err := run()
				var de *DayError
				if !errors.Is(err, tc.want) || !errors.As(err, &de) || de.Index != tc.index {
					t.Fatalf("error %v, want %v at history[%d]", err, tc.want, tc.index)
				}
				if !strings.Contains(err.Error(), tc.date) {
					t.Errorf("error %q does not name %s", err, tc.date)
				}
			}
		})
	}
}

// TestOptionsInvalid: out-of-range options are refused, not clamped.
func TestOptionsInvalid(t *testing.T) {
	t.Parallel()
	h := shop{Base: 10, Sunday: 0.4}.history(newRand(1), 60)
	for _, o := range []Options{
		{Window: 13}, {Window: 365}, {Window: -1},
		{MinHistory: 13}, {MinHistory: -5},
		{Sensitivity: -1}, {Sensitivity: math.NaN()}, {Sensitivity: math.Inf(1)},
		{Horizon: -1}, {Horizon: 29},
	} {
		if _, err := Expect(h, o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("Expect with %+v: error %v, want ErrInvalidOptions", o, err)
		}
	}
}
