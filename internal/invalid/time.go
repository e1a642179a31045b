package invalid

import "time"

// The years every date handed in must lie in: the span the business
// calendars are compiled for (calendar's tests hold the two in step).
const (
	FirstYear = 2000
	LastYear  = 2099
)

// ClockSkew is how far in the future a time that has already happened
// (an order placed, a parcel delivered, a carrier's scan) may lie: the
// clocks of a shop's platform and of carriers are not ours.
const ClockSkew = 24 * time.Hour

// InRange reports whether t falls within FirstYear…LastYear in its own
// location.
func InRange(t time.Time) bool {
	y := t.Year()
	return y >= FirstYear && y <= LastYear
}

// Time checks a time handed in for field: within FirstYear…LastYear and,
// when past is true (it says something has happened), not later than now
// plus ClockSkew. A zero now skips the second check.
func Time(field string, t, now time.Time, past bool) *Error {
	if !InRange(t) {
		return Field(field, "out_of_range", "%s is outside the years %d–%d", t.Format(time.RFC3339), FirstYear, LastYear)
	}
	if past && !now.IsZero() && t.After(now.Add(ClockSkew)) {
		return Field(field, "in_future", "%s is in the future (now is %s)", t.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	return nil
}

// CheckTime adds Time's error for field to l, if any.
func (l *List) CheckTime(field string, t, now time.Time, past bool) {
	if e := Time(field, t, now, past); e != nil {
		*l = append(*l, e)
	}
}

// Day checks a date "YYYY-MM-DD" handed in for field: a real date within
// FirstYear…LastYear. It returns the date at midnight UTC.
func Day(field, s string) (time.Time, *Error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Field(field, "invalid", "%q is not a date like 2026-12-04", s)
	}
	if !InRange(t) {
		return t, Field(field, "out_of_range", "%s is outside the years %d–%d", s, FirstYear, LastYear)
	}
	return t, nil
}
