package trend

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// fuzzHistory decodes 3 bytes a day: a date step (0 repeats the date, 255
// goes back a day, otherwise that many days forward) and a 16-bit value,
// of which the top four mean NaN, −1, +Inf and 1e300.
func fuzzHistory(data []byte) (h []Day, bad bool) {
	date := start
	for ; len(data) >= 3; data = data[3:] {
		switch step := data[0]; step {
		case 0:
			bad = bad || len(h) > 0
		case 255:
			date = date.AddDate(0, 0, -1)
			bad = bad || len(h) > 0
		default:
			date = date.AddDate(0, 0, int(step%16))
			if step%16 == 0 {
				bad = bad || len(h) > 0
			}
		}
		v := float64(binary.LittleEndian.Uint16(data[1:]))
		switch v {
		case 0xffff:
			v = math.NaN()
		case 0xfffe:
			v = -1
		case 0xfffd:
			v = math.Inf(1)
		case 0xfffc:
			v = 1e300
		}
		if math.IsNaN(v) || v < 0 || v > maxValue {
			bad = true
		}
		h = append(h, Day{Date: date, Value: v})
	}
	return h, bad
}

// FuzzExpect feeds arbitrary histories and options: never a panic; a bad
// day is a DayError; otherwise every point is finite with
// 0 ≤ Lower ≤ Expected ≤ Upper, and Check agrees with Expect on errors.
func FuzzExpect(f *testing.F) {
	ordinary := make([]byte, 0, 3*60)
	for i := range 60 {
		ordinary = append(ordinary, 1, byte(10+i%7*3), 0)
	}
	f.Add(ordinary, 0, 0, 0.0, 0)
	f.Add(ordinary, 14, 14, 1.0, 7)
	f.Add(append(append([]byte{}, ordinary...), 1, 0xff, 0xff), 0, 0, 0.0, 0)
	f.Add(append(append([]byte{}, ordinary...), 0, 5, 0), 21, 14, 3.0, 3)
	f.Add(append(append([]byte{}, ordinary...), 200, 5, 0), 364, 30, 50.0, 28)
	f.Fuzz(func(t *testing.T, data []byte, window, minHistory int, sensitivity float64, horizon int) {
		h, bad := fuzzHistory(data)
		opts := Options{Window: window, MinHistory: minHistory, Sensitivity: sensitivity, Horizon: horizon}
		points, err := Expect(h, opts)
		_, checkErr := Check(h, opts)
		if (err == nil) != (checkErr == nil) {
			t.Fatalf("Expect error %v, Check error %v", err, checkErr)
		}
		if err != nil {
			if errors.Is(err, ErrInvalidOptions) || errors.Is(err, ErrTooLittleHistory) {
				return
			}
			var de *DayError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a DayError, ErrInvalidOptions or ErrTooLittleHistory", err)
			}
			return
		}
		if bad {
			t.Fatalf("no error for a bad history %v", h)
		}
		for _, p := range points {
			for _, x := range []float64{p.Actual, p.Expected, p.Lower, p.Upper} {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("point %+v not finite", p)
				}
			}
			if !(0 <= p.Lower && p.Lower <= p.Expected && p.Expected <= p.Upper) {
				t.Fatalf("point %+v: band out of order", p)
			}
		}
	})
}
