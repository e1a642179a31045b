package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
)

// compiled is a country's calendar over the span, without overrides. It is
// built once per country and shared read-only by every Calendar of that
// country.
type compiled struct {
	workdays
	kinds []Kind         // per day of the span
	names map[Day]string // holiday and moved-day names
	moved map[Day]Day    // Info.MovedFrom
}

// builder marks a country's days over the span before they are compiled.
// Marks outside the span are ignored, so rules can run for whole years at
// both ends.
type builder struct {
	kinds []Kind
	names map[Day]string
	moved map[Day]Day
}

func newBuilder() *builder {
	b := &builder{kinds: make([]Kind, spanDays), names: map[Day]string{}, moved: map[Day]Day{}}
	for i := range b.kinds {
		if !isWeekday(int64(spanStart + i)) {
			b.kinds[i] = Weekend
		}
	}
	return b
}

func (b *builder) index(d Day) (int, bool) {
	i := int64(d) - spanStart
	return int(i), uint64(i) < spanDays
}

// kind returns the day's kind so far; outside the span, the weekday's.
func (b *builder) kind(d Day) Kind {
	if i, ok := b.index(d); ok {
		return b.kinds[i]
	}
	if isWeekday(int64(d)) {
		return Workday
	}
	return Weekend
}

// holiday marks d a public holiday; a second holiday on the same day adds its
// name.
func (b *builder) holiday(d Day, name string) {
	i, ok := b.index(d)
	if !ok {
		return
	}
	if b.kinds[i] == Holiday && b.names[d] != "" && b.names[d] != name {
		name = b.names[d] + "; " + name
	}
	b.kinds[i] = Holiday
	b.names[d] = name
	delete(b.moved, d)
}

// dayOff makes d a moved day off whose rest came from from. A holiday stays a
// holiday: it is off already.
func (b *builder) dayOff(d, from Day, name string) {
	i, ok := b.index(d)
	if !ok || b.kinds[i] == Holiday {
		return
	}
	b.kinds[i] = MovedDayOff
	b.names[d] = name
	b.moved[d] = from
}

// workingWeekend makes the weekend day d a working day in exchange for the
// weekday dayOff.
func (b *builder) workingWeekend(d, dayOff Day, name string) {
	i, ok := b.index(d)
	if !ok || b.kinds[i] != Weekend {
		return
	}
	b.kinds[i] = WorkingWeekend
	b.names[d] = name
	b.moved[d] = dayOff
}

// move applies one transfer of an act of government: off becomes a day off in
// place of from. A from that is a plain weekend day becomes a working day; a
// from that is a holiday stays off (its weekend rest is what moved).
func (b *builder) move(off, from Day, authority string) {
	name := "Day off moved by " + authority
	if b.kind(from) == Holiday {
		name = b.names[from] + " (day off moved by " + authority + ")"
	}
	b.dayOff(off, from, name)
	if b.kind(from) == Weekend {
		b.workingWeekend(from, off, "Working day by "+authority)
	}
}

func (b *builder) compile() *compiled {
	words := make([]uint64, spanWords)
	for i, k := range b.kinds {
		if k.Working() {
			words[i>>6] |= 1 << (i & 63)
		}
	}
	return &compiled{workdays: newWorkdays(words), kinds: b.kinds, names: b.names, moved: b.moved}
}

// rule is one holiday from rickar/cal with our English name for it.
type rule struct {
	h    *cal.Holiday
	name string
	// observedFrom is the first year the holiday's substitute-day rule
	// applies; noObserved drops rickar's rule altogether.
	observedFrom int
}

const noObserved = 1 << 30

// addRules marks the holidays of rules for every year of the span (and the
// years either side, whose substitute days can fall inside it), then their
// substitute days, so that a substitute day never hides another holiday.
func (b *builder) addRules(rules []rule) {
	type substitute struct {
		on, from Day
		name     string
	}
	var subs []substitute
	for y := firstYear - 1; y <= lastYear+1; y++ {
		for _, r := range rules {
			actual, observed := r.h.Calc(y)
			if actual.IsZero() {
				continue
			}
			a := DayOf(actual)
			b.holiday(a, r.name)
			if o := DayOf(observed); o != a && y >= r.observedFrom {
				subs = append(subs, substitute{on: o, from: a, name: r.name + " (observed)"})
			}
		}
	}
	for _, s := range subs {
		b.dayOff(s.on, s.from, s.name)
	}
}

// oneOff is a holiday declared for a single date.
type oneOff struct {
	year  int
	month time.Month
	day   int
	name  string
}

func (b *builder) addOneOffs(days []oneOff) {
	for _, o := range days {
		b.holiday(Date(o.year, o.month, o.day), o.name)
	}
}
