package calendar

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// Calendar is a country's business calendar with a shop's overrides, compiled
// for O(1), allocation-free queries. It is immutable and safe for concurrent
// use. Make one with New; the zero Calendar is not usable.
type Calendar struct {
	work      workdays // the working days, overrides applied
	country   *country
	base      *compiled // the country's calendar without overrides, for Info
	overrides []Override
	// provisionalFrom is the first day whose year has no decree behind it;
	// math.MaxInt64 for a country without yearly decrees.
	provisionalFrom int64
}

// New returns the business calendar of country (an ISO 3166 alpha-2 code,
// any case) with the shop's overrides applied in order, later ones winning.
// An unknown country or an invalid override is an *invalid.Error (several in
// an invalid.List) naming the field.
//
// The country's holidays are compiled on first use and cached; New without
// overrides then only allocates the Calendar, and with overrides copies and
// patches the cached working-day tables.
func New(country string, overrides []Override) (*Calendar, error) {
	co, err := lookupCountry(country)
	if err != nil {
		return nil, err
	}
	return newCalendar(co, overrides)
}

func newCalendar(co *country, overrides []Override) (*Calendar, error) {
	if err := validateOverrides(overrides); err != nil {
		return nil, err
	}
	base := co.compiled()
	c := &Calendar{work: base.workdays, country: co, base: base, provisionalFrom: math.MaxInt64}
	if co.lastDecreed > 0 {
		c.provisionalFrom = int64(Date(co.lastDecreed+1, time.January, 1))
	}
	if len(overrides) > 0 {
		c.overrides = slices.Clone(overrides)
		b := slices.Clone(base.bits)
		for _, o := range c.overrides {
			for d := o.From; d <= o.To; d++ {
				i := int(d) - spanStart
				if o.Working {
					b[i>>6] |= 1 << (i & 63)
				} else {
					b[i>>6] &^= 1 << (i & 63)
				}
			}
		}
		c.work = newWorkdays(b)
	}
	return c, nil
}

// Country returns the calendar's country code, such as "RU".
func (c *Calendar) Country() string { return c.country.code }

// IsWorkday reports whether d is a working day. O(1), no allocation.
func (c *Calendar) IsWorkday(d Day) bool {
	i := int64(d) - spanStart
	if uint64(i) < spanDays {
		return c.work.bits[i>>6]>>(i&63)&1 != 0
	}
	return isWeekday(int64(d))
}

// NextWorkday returns the first working day on or after d. O(1).
func (c *Calendar) NextWorkday(d Day) Day {
	if c.IsWorkday(d) {
		return d
	}
	return c.work.nth(c.work.rank(d) + 1)
}

// AddWorkdays returns the n-th working day strictly after d: AddWorkdays(d, 1)
// is the next working day after d, whatever d is. For n <= 0 it returns
// NextWorkday(d). O(1); results past the end of Day's range saturate.
func (c *Calendar) AddWorkdays(d Day, n int) Day {
	if n <= 0 {
		return c.NextWorkday(d)
	}
	// Any n past 2^40 working days is far beyond Day's range; capping it
	// keeps the arithmetic below from overflowing.
	const limit = 1 << 40
	k := int64(min(n, limit))
	return c.work.nth(c.work.rank(d) + k)
}

// WorkdaysBetween returns the number of working days in (from, to]: from
// itself is not counted, to is. It is negative when to is before from.
// O(1).
func (c *Calendar) WorkdaysBetween(from, to Day) int {
	return int(c.work.rank(to) - c.work.rank(from))
}

// Provisional reports whether d's year is past the last year for which the
// country's moved days off are decreed: its moved days are then computed from
// the law alone and may still change (Russia; other countries have no yearly
// decrees we depend on). A day outside FirstDay…LastDay is always
// provisional: the calendar knows none of its holidays.
func (c *Calendar) Provisional(d Day) bool {
	return int64(d) >= c.provisionalFrom || !Covers(d)
}

// Info explains why d is a working day or not. It is not for the hot path: it
// may allocate.
func (c *Calendar) Info(d Day) Info {
	inf := Info{Provisional: c.Provisional(d)}
	for i := len(c.overrides) - 1; i >= 0; i-- {
		if o := c.overrides[i]; o.From <= d && d <= o.To {
			inf.Kind, inf.Name = ShopDayOff, o.Reason
			if o.Working {
				inf.Kind = ShopWorkday
			}
			return inf
		}
	}
	i := int64(d) - spanStart
	if uint64(i) >= spanDays {
		inf.Kind = Weekend
		if isWeekday(int64(d)) {
			inf.Kind = Workday
		}
		return inf
	}
	inf.Kind = c.base.kinds[i]
	inf.Name = c.base.names[d]
	inf.MovedFrom = c.base.moved[d]
	return inf
}

// workdays is the hot-path index over the compiled span: a bitmap of working
// days, the number of working days before each 64-day word (rank), and the
// working days in order (select).
type workdays struct {
	bits  []uint64 // bit i: day spanStart+i is a working day
	ranks []uint16 // working days before word w
	list  []uint16 // offsets from spanStart of the working days, ascending
}

func newWorkdays(b []uint64) workdays {
	w := workdays{bits: b, ranks: make([]uint16, len(b))}
	n := 0
	for i, word := range b {
		w.ranks[i] = uint16(n)
		n += bits.OnesCount64(word)
	}
	w.list = make([]uint16, 0, n)
	for i, word := range b {
		for word != 0 {
			w.list = append(w.list, uint16(i<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	return w
}

// rank returns the number of working days up to and including d, counted
// from the start of the span (so it is zero or negative before the span);
// beyond the span every Monday to Friday counts.
func (w *workdays) rank(d Day) int64 {
	i := int64(d) - spanStart
	if uint64(i) < spanDays {
		mask := uint64(2)<<(i&63) - 1
		return int64(w.ranks[i>>6]) + int64(bits.OnesCount64(w.bits[i>>6]&mask))
	}
	if i < 0 {
		return weekdaysThrough(int64(d)) - weekdaysBeforeSpan
	}
	return int64(len(w.list)) + weekdaysThrough(int64(d)) - weekdaysThroughSpan
}

// nth returns the working day whose rank is k: the inverse of rank.
func (w *workdays) nth(k int64) Day {
	n := int64(len(w.list))
	switch {
	case k >= 1 && k <= n:
		return Day(spanStart + int64(w.list[k-1]))
	case k <= 0:
		return clampDay(nthWeekday(k + weekdaysBeforeSpan))
	default:
		return clampDay(nthWeekday(k - n + weekdaysThroughSpan))
	}
}
