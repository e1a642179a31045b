package calendar

// The compiled span: 2000-01-01 through 2099-12-31. Outside it a calendar
// has plain Saturday/Sunday weekends.
const (
	firstYear = 2000
	lastYear  = 2099
	spanStart = 10957 // 2000-01-01 as days since 1970-01-01
	spanDays  = 36525 // 2000-01-01 … 2099-12-31
	spanEnd   = spanStart + spanDays - 1
	spanWords = (spanDays + 63) / 64
)

// Span returns the first and last day of the compiled range; other days
// are computed as plain Saturday/Sunday weekends.
func Span() (first, last Day) { return spanStart, spanEnd }

// The weekday arithmetic below counts Monday-to-Friday days from Monday
// 1969-12-29 (day -3), with floored division so that it also holds before
// that day. Only differences of counts are ever used.

// weekdaysThrough returns the number of Monday-to-Friday days from
// 1969-12-29 through d, inclusive (negative before that Monday).
func weekdaysThrough(d int64) int64 {
	s := d + 3
	w := floorDiv(s, 7)
	r := s - 7*w
	return 5*w + min(r+1, 5)
}

// nthWeekday is the inverse of weekdaysThrough: the weekday whose count is c.
func nthWeekday(c int64) int64 {
	w := floorDiv(c-1, 5)
	r := c - 1 - 5*w
	return 7*w + r - 3
}

// isWeekday reports whether d is Monday to Friday, for any d.
func isWeekday(d int64) bool {
	s := d + 3
	return s-7*floorDiv(s, 7) < 5
}

var (
	weekdaysBeforeSpan  = weekdaysThrough(spanStart - 1)
	weekdaysThroughSpan = weekdaysThrough(spanEnd)
)

// clampDay saturates a day number to the range of Day.
func clampDay(d int64) Day {
	const lo, hi = -1 << 31, 1<<31 - 1
	switch {
	case d < lo:
		return lo
	case d > hi:
		return hi
	}
	return Day(d)
}

// FirstDay and LastDay bound the days the calendars are compiled for: a
// day outside them has only weekends, no holidays, and every promise
// touching it is provisional. Dates handed in must lie within them
// (invalid.FirstYear…invalid.LastYear).
const (
	FirstDay Day = spanStart
	LastDay  Day = spanEnd
)

// Covers reports whether d lies within FirstDay…LastDay.
func Covers(d Day) bool { return d >= FirstDay && d <= LastDay }
