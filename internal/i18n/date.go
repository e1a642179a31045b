package i18n

import (
	"fmt"
	"strconv"
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
	// onWeekdays and onMonths write "on Friday, 4 December" in the case
	// the language uses for a day something happens on.
	onWeekdays [7]string
	onMonths   [12]string
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
		onWeekdays: [7]string{"on Sunday", "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
			"on Saturday"},
	},
	RU: {
		weekdays: [7]string{"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
		months: [12]string{"января", "февраля", "марта", "апреля", "мая", "июня",
			"июля", "августа", "сентября", "октября", "ноября", "декабря"},
		dayMonth: "%d %s",
		sep:      ", ",
		// The accusative after «в» (and «во» before «вт»).
		onWeekdays: [7]string{"в воскресенье", "в понедельник", "во вторник", "в среду", "в четверг", "в пятницу",
			"в субботу"},
	},
	LV: {
		weekdays: [7]string{"svētdiena", "pirmdiena", "otrdiena", "trešdiena", "ceturtdiena", "piektdiena", "sestdiena"},
		months: [12]string{"janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs",
			"jūlijs", "augusts", "septembris", "oktobris", "novembris", "decembris"},
		dayMonth: "%d. %s",
		sep:      ", ",
		// Weekday adverbs and the month in the locative: "piektdien,
		// 4. decembrī".
		onWeekdays: [7]string{"svētdien", "pirmdien", "otrdien", "trešdien", "ceturtdien", "piektdien", "sestdien"},
		onMonths: [12]string{"janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā",
			"jūlijā", "augustā", "septembrī", "oktobrī", "novembrī", "decembrī"},
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

// FormatOnDay returns d as the day something happens on: "on Friday 4 Dec",
// "в пятницу, 4 декабря", "piektdien, 4. decembrī".
func FormatOnDay(lang Lang, d calendar.Day) string {
	s := dateStyles[known(lang)]
	_, m, dd := d.Date()
	month := s.months[m-1]
	if s.onMonths[m-1] != "" {
		month = s.onMonths[m-1]
	}
	return s.onWeekdays[d.Weekday()] + s.sep + fmt.Sprintf(s.dayMonth, dd, month)
}

// Month names in the cases a range of days needs, by language: the case
// after "from" and after "to" ("с 30 ноября по 2 декабря", "no 30.
// novembra līdz 2. decembrim").
var rangeMonths = map[Lang][2][12]string{
	RU: {dateStyles[RU].months, dateStyles[RU].months},
	LV: {
		{"janvāra", "februāra", "marta", "aprīļa", "maija", "jūnija",
			"jūlija", "augusta", "septembra", "oktobra", "novembra", "decembra"},
		{"janvārim", "februārim", "martam", "aprīlim", "maijam", "jūnijam",
			"jūlijam", "augustam", "septembrim", "oktobrim", "novembrim", "decembrim"},
	},
}

// FormatOnRange returns the days from and to as when something happens:
// one day as FormatOnDay, a range as "between Thursday 3 Dec and Saturday
// 5 Dec", "с 3 по 5 декабря", "no 3. līdz 5. decembrim" (the month is
// written once when both days share it).
func FormatOnRange(lang Lang, from, to calendar.Day) string {
	if from == to {
		return FormatOnDay(lang, from)
	}
	lang = known(lang)
	if lang == EN {
		return "between " + FormatDay(lang, from) + " and " + FormatDay(lang, to)
	}
	_, fm, fd := from.Date()
	_, tm, td := to.Date()
	months := rangeMonths[lang]
	first := strconv.Itoa(fd)
	if lang == LV {
		first += "."
	}
	if fm != tm {
		first += " " + months[0][fm-1]
	}
	last := fmt.Sprintf(dateStyles[lang].dayMonth, td, months[1][tm-1])
	if lang == RU {
		return "с " + first + " по " + last
	}
	return "no " + first + " līdz " + last
}
