package i18n

import (
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
)

// dateStyle is how a language writes a date: the names it uses and the
// punctuation between weekday, date and time.
type dateStyle struct {
	weekdays [7]string  // indexed by time.Weekday, Sunday first
	months   [12]string // the form a month takes after a day number
	dayMonth string     // fmt layout of day number and month
	sep      string     // between weekday, date and time of day
}

// dateStyles follow each language's own convention for a date without a
// year. English abbreviates the month ("Mon 30 Nov" reads as a date at a
// glance). Russian puts the month in the genitive after the day number
// ("30 ноября", "of November"). Latvian writes the day as an ordinal with a
// point and the month in the nominative, as in CLDR's "d. MMMM" and in
// "2026. gada 30. novembris". Weekday names are not capitalised in Russian
// and Latvian; a caller that starts a sentence with one capitalises it.
var dateStyles = map[Lang]dateStyle{
	EN: {
		weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months:   [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		dayMonth: "%d %s",
		sep:      " ",
	},
	RU: {
		weekdays: [7]string{"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
		months: [12]string{"января", "февраля", "марта", "апреля", "мая", "июня",
			"июля", "августа", "сентября", "октября", "ноября", "декабря"},
		dayMonth: "%d %s",
		sep:      ", ",
	},
	LV: {
		weekdays: [7]string{"svētdiena", "pirmdiena", "otrdiena", "trešdiena", "ceturtdiena", "piektdiena", "sestdiena"},
		months: [12]string{"janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs",
			"jūlijs", "augusts", "septembris", "oktobris", "novembris", "decembris"},
		dayMonth: "%d. %s",
		sep:      ", ",
	},
}

// rangeDash separates the two ends of a range: an en dash with spaces, as
// all three languages write ranges of dates that contain spaces.
const rangeDash = " – "

// Weekday returns the name of w: "Monday", "понедельник", "pirmdiena".
// A w outside Sunday..Saturday gives Go's own String of it.
func Weekday(lang Lang, w time.Weekday) string {
	if w < time.Sunday || w > time.Saturday {
		return w.String()
	}
	return dateStyles[known(lang)].weekdays[w]
}

// FormatDay returns d with its weekday: "Monday 30 Nov",
// "понедельник, 30 ноября", "pirmdiena, 30. novembris".
func FormatDay(lang Lang, d calendar.Day) string {
	s := dateStyles[known(lang)]
	return s.weekdays[d.Weekday()] + s.sep + FormatDayShort(lang, d)
}

// FormatDayShort returns d without weekday or year: "30 Nov", "30 ноября",
// "30. novembris".
func FormatDayShort(lang Lang, d calendar.Day) string {
	s := dateStyles[known(lang)]
	_, m, dd := d.Date()
	return fmt.Sprintf(s.dayMonth, dd, s.months[m-1])
}

// FormatDayTime returns the date and the 24-hour time of t in t's own
// location: "Friday 27 Nov 15:20", "пятница, 27 ноября, 15:20",
// "piektdiena, 27. novembris, 15:20". Convert t to the customer's zone
// first.
func FormatDayTime(lang Lang, t time.Time) string {
	return FormatDay(lang, calendar.DayOf(t)) + dateStyles[known(lang)].sep + t.Format("15:04")
}

// FormatRange returns the days from and to, both included, with their
// weekdays: "Thursday 3 Dec – Saturday 5 Dec". A range of one day is that
// day alone. The ends are written in the order given.
func FormatRange(lang Lang, from, to calendar.Day) string {
	if from == to {
		return FormatDay(lang, from)
	}
	return FormatDay(lang, from) + rangeDash + FormatDay(lang, to)
}
