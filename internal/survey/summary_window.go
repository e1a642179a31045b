package survey

import (
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// summaryWindow is a checked SummaryQuery: the window as shop days and as
// times [start, end), the window before it of the same length, and the
// page asked for.
type summaryWindow struct {
	from, to    time.Time // shop days, midnight in the shop's zone
	start, end  time.Time
	prevStart   time.Time
	weeks       bool
	limit       int
	cursorAt    time.Time
	cursorID    int64
	theme, lang string
	kind        string
}

// parseSummaryQuery checks q against today, the shop's day now: every
// wrong field is named, and nothing is read before all are right.
func parseSummaryQuery(q SummaryQuery, today time.Time) (summaryWindow, error) {
	var errs invalid.List
	loc := today.Location()
	day := func(field, s string) (time.Time, bool) {
		t, bad := invalid.Day(field, s)
		if bad != nil {
			errs = append(errs, bad)
			return time.Time{}, false
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), true
	}
	w := summaryWindow{limit: SummaryDefaultLimit, theme: q.Theme, lang: q.ThemeLang, kind: q.Kind}
	w.to = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	okTo := true
	if q.To != "" {
		w.to, okTo = day("to", q.To)
	}
	w.from = w.to.AddDate(0, 0, -(SummaryDefaultDays - 1))
	okFrom := true
	if q.From != "" {
		w.from, okFrom = day("from", q.From)
	}
	if okFrom && okTo {
		switch days := int(w.to.Sub(w.from).Hours()/24+0.5) + 1; {
		case w.from.After(w.to):
			errs.Add("to", "invalid", "%s is before from %s", w.to.Format(time.DateOnly), w.from.Format(time.DateOnly))
		case days > SummaryMaxDays:
			errs.Add("from", "out_of_range", "the window is %d days; at most %d", days, SummaryMaxDays)
		}
	}
	switch {
	case q.Limit < 0 || q.Limit > SummaryMaxLimit:
		errs.Add("limit", "out_of_range", "%d is not 1 to %d", q.Limit, SummaryMaxLimit)
	case q.Limit > 0:
		w.limit = q.Limit
	}
	if q.Cursor != "" {
		at, id, ok := store.ParseCursor(q.Cursor)
		if !ok {
			errs.Add("cursor", "invalid", "%q is no cursor of this list", q.Cursor)
		}
		w.cursorAt, w.cursorID = at, id
	}
	if len(q.Theme) > summaryThemeKey {
		errs.Add("theme", "too_long", "at most %d bytes", summaryThemeKey)
	}
	if q.Theme != "" && q.ThemeLang == "" {
		errs.Add("theme_lang", "required", "a theme is of a language: ru, lv or en")
	}
	if len(q.ThemeLang) > 8 {
		errs.Add("theme_lang", "invalid", "%q is no language", q.ThemeLang)
	}
	if q.Kind != "" && q.Kind != summaryNPS && q.Kind != summaryCSAT {
		errs.Add("kind", "invalid", "%q: want nps or csat", q.Kind)
	}
	if err := errs.Err(); err != nil {
		return summaryWindow{}, err
	}
	w.start, w.end = w.from, w.to.AddDate(0, 0, 1)
	w.prevStart = w.start.Add(-w.end.Sub(w.start))
	w.weeks = int(w.end.Sub(w.start).Hours()/24+0.5) <= SummaryWeeksUpTo
	return w, nil
}

// bucket is the first day of the period of the shop day d: the Monday of
// its week, or the first of its month.
func (w summaryWindow) bucket(d time.Time) time.Time {
	if w.weeks {
		back := (int(d.Weekday()) + 6) % 7
		return time.Date(d.Year(), d.Month(), d.Day()-back, 0, 0, 0, 0, d.Location())
	}
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
}

// next is the period after the one starting at b.
func (w summaryWindow) next(b time.Time) time.Time {
	if w.weeks {
		return b.AddDate(0, 0, 7)
	}
	return b.AddDate(0, 1, 0)
}

// periods are the window's periods' first days, the first and last cut
// to the window.
func (w summaryWindow) periods() []time.Time {
	var out []time.Time
	for b := w.bucket(w.from); b.Before(w.end); b = w.next(b) {
		out = append(out, b)
	}
	return out
}
