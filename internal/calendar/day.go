package calendar

import (
	"fmt"
	"time"
)

// Day is a civil date, counted in days since 1970-01-01. It has no time
// zone: it is the date a wall calendar shows, which is what a promise is
// made in. Arithmetic on days is integer arithmetic, so the promise engine
// computes without allocating.
type Day int32

const secondsPerDay = 24 * 60 * 60

// DayOf returns the date t falls on in t's own location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// Date returns the day of the given year, month and day of month; it
// normalises like time.Date (31 November is 1 December).
func Date(year int, month time.Month, day int) Day {
	u := time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix()
	return Day(floorDiv(u, secondsPerDay))
}

// ParseDay reads "YYYY-MM-DD".
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date like 2026-12-04", s)
	}
	return DayOf(t), nil
}

// MustParseDay is ParseDay for tests and tables; it panics on a bad date.
func MustParseDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Time returns midnight of the day in loc.
func (d Day) Time(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Date returns the year, month and day of month.
func (d Day) Date() (year int, month time.Month, day int) {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Date()
}

// Year returns the year of the day.
func (d Day) Year() int {
	y, _, _ := d.Date()
	return y
}

// Weekday returns the day of the week (1970-01-01 was a Thursday).
func (d Day) Weekday() time.Weekday {
	return time.Weekday((int64(d)%7 + 7 + 4) % 7)
}

// AddDays returns the day n calendar days later (earlier when n < 0).
func (d Day) AddDays(n int) Day { return d + Day(n) }

// String returns "YYYY-MM-DD".
func (d Day) String() string {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Format(time.DateOnly)
}

// MarshalText writes "YYYY-MM-DD".
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD".
func (d *Day) UnmarshalText(b []byte) error {
	v, err := ParseDay(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
