package i18n_test

import (
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
)

func TestWeekday(t *testing.T) {
	t.Parallel()
	want := map[i18n.Lang][7]string{
		i18n.EN: {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		i18n.RU: {"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
		i18n.LV: {"svētdiena", "pirmdiena", "otrdiena", "trešdiena", "ceturtdiena", "piektdiena", "sestdiena"},
	}
	for lang, names := range want {
		for w := time.Sunday; w <= time.Saturday; w++ {
			if got := i18n.Weekday(lang, w); got != names[w] {
				t.Errorf("Weekday(%s, %s) = %q, want %q", lang, w, got, names[w])
			}
		}
	}
	if got := i18n.Weekday("de", time.Monday); got != "Monday" {
		t.Errorf("unknown language: Weekday = %q, want English", got)
	}
	if got := i18n.Weekday(i18n.RU, time.Weekday(9)); got != time.Weekday(9).String() {
		t.Errorf("Weekday(9) = %q", got)
	}
}

// TestMonths checks the month of every month of the year: genitive in
// Russian (30 ноября), nominative after an ordinal day in Latvian
// (30. novembris), abbreviated in English.
func TestMonths(t *testing.T) {
	t.Parallel()
	want := map[i18n.Lang][12]string{
		i18n.EN: {"1 Jan", "1 Feb", "1 Mar", "1 Apr", "1 May", "1 Jun",
			"1 Jul", "1 Aug", "1 Sep", "1 Oct", "1 Nov", "1 Dec"},
		i18n.RU: {"1 января", "1 февраля", "1 марта", "1 апреля", "1 мая", "1 июня",
			"1 июля", "1 августа", "1 сентября", "1 октября", "1 ноября", "1 декабря"},
		i18n.LV: {"1. janvāris", "1. februāris", "1. marts", "1. aprīlis", "1. maijs", "1. jūnijs",
			"1. jūlijs", "1. augusts", "1. septembris", "1. oktobris", "1. novembris", "1. decembris"},
	}
	for lang, days := range want {
		for m := time.January; m <= time.December; m++ {
			d := calendar.Date(2027, m, 1)
			if got := i18n.FormatDayShort(lang, d); got != days[m-1] {
				t.Errorf("FormatDayShort(%s, %s) = %q, want %q", lang, d, got, days[m-1])
			}
		}
	}
}

func TestFormatDay(t *testing.T) {
	t.Parallel()
	mon := calendar.MustParseDay("2026-11-30")
	thu := calendar.MustParseDay("2026-12-03")
	sat := calendar.MustParseDay("2026-12-05")
	tests := []struct {
		lang                    i18n.Lang
		day, short, rng, oneDay string
	}{
		{i18n.EN, "Monday 30 Nov", "30 Nov",
			"Thursday 3 Dec – Saturday 5 Dec", "Thursday 3 Dec"},
		{i18n.RU, "понедельник, 30 ноября", "30 ноября",
			"четверг, 3 декабря – суббота, 5 декабря", "четверг, 3 декабря"},
		{i18n.LV, "pirmdiena, 30. novembris", "30. novembris",
			"ceturtdiena, 3. decembris – sestdiena, 5. decembris", "ceturtdiena, 3. decembris"},
		{"xx", "Monday 30 Nov", "30 Nov",
			"Thursday 3 Dec – Saturday 5 Dec", "Thursday 3 Dec"},
	}
	for _, tt := range tests {
		if got := i18n.FormatDay(tt.lang, mon); got != tt.day {
			t.Errorf("FormatDay(%s) = %q, want %q", tt.lang, got, tt.day)
		}
		if got := i18n.FormatDayShort(tt.lang, mon); got != tt.short {
			t.Errorf("FormatDayShort(%s) = %q, want %q", tt.lang, got, tt.short)
		}
		if got := i18n.FormatRange(tt.lang, thu, sat); got != tt.rng {
			t.Errorf("FormatRange(%s) = %q, want %q", tt.lang, got, tt.rng)
		}
		if got := i18n.FormatRange(tt.lang, thu, thu); got != tt.oneDay {
			t.Errorf("FormatRange(%s) of one day = %q, want %q", tt.lang, got, tt.oneDay)
		}
	}
}

func TestFormatOnDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang i18n.Lang
		day  string
		want string
	}{
		{i18n.EN, "2026-12-04", "on Friday 4 Dec"},
		{i18n.RU, "2026-12-04", "в пятницу, 4 декабря"},
		{i18n.RU, "2026-12-01", "во вторник, 1 декабря"},
		{i18n.RU, "2026-12-02", "в среду, 2 декабря"},
		{i18n.LV, "2026-12-04", "piektdien, 4. decembrī"},
		{i18n.LV, "2026-03-01", "svētdien, 1. martā"},
	}
	for _, tt := range tests {
		if got := i18n.FormatOnDay(tt.lang, calendar.MustParseDay(tt.day)); got != tt.want {
			t.Errorf("FormatOnDay(%s, %s) = %q, want %q", tt.lang, tt.day, got, tt.want)
		}
	}
}

func TestFormatOnRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang     i18n.Lang
		from, to string
		want     string
	}{
		{i18n.EN, "2026-12-03", "2026-12-05", "between Thursday 3 Dec and Saturday 5 Dec"},
		{i18n.EN, "2026-12-04", "2026-12-04", "on Friday 4 Dec"},
		{i18n.RU, "2026-12-03", "2026-12-05", "с 3 по 5 декабря"},
		{i18n.RU, "2026-11-30", "2026-12-02", "с 30 ноября по 2 декабря"},
		{i18n.RU, "2026-12-04", "2026-12-04", "в пятницу, 4 декабря"},
		{i18n.LV, "2026-12-03", "2026-12-05", "no 3. līdz 5. decembrim"},
		{i18n.LV, "2026-11-30", "2026-12-02", "no 30. novembra līdz 2. decembrim"},
	}
	for _, tt := range tests {
		got := i18n.FormatOnRange(tt.lang, calendar.MustParseDay(tt.from), calendar.MustParseDay(tt.to))
		if got != tt.want {
			t.Errorf("FormatOnRange(%s, %s, %s) = %q, want %q", tt.lang, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestDayRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang    i18n.Lang
		lo, hi  int
		working bool
		want    string
	}{
		{i18n.RU, 5, 7, false, "5–7 дней"},
		{i18n.RU, 2, 4, false, "2–4 дня"},
		{i18n.RU, 1, 1, false, "1 день"},
		{i18n.LV, 5, 7, false, "5–7 dienas"},
		{i18n.LV, 10, 10, false, "10 dienu"},
		{i18n.EN, 1, 2, true, "1–2 working days"},
	}
	for _, tt := range tests {
		if got := i18n.DayRange(tt.lang, tt.lo, tt.hi, tt.working); got != tt.want {
			t.Errorf("DayRange(%s, %d, %d) = %q, want %q", tt.lang, tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestFormatDayTime(t *testing.T) {
	t.Parallel()
	riga, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		t.Skip(err)
	}
	// 22:20 UTC on Friday is already Saturday in Riga (UTC+2 in November):
	// the date and the time are those of t's location.
	utc := time.Date(2026, 11, 27, 22, 20, 0, 0, time.UTC)
	tests := []struct {
		lang i18n.Lang
		t    time.Time
		want string
	}{
		{i18n.EN, time.Date(2026, 11, 27, 15, 20, 0, 0, riga), "Friday 27 Nov 15:20"},
		{i18n.RU, time.Date(2026, 11, 27, 15, 20, 0, 0, riga), "пятница, 27 ноября, 15:20"},
		{i18n.LV, time.Date(2026, 11, 27, 15, 20, 0, 0, riga), "piektdiena, 27. novembris, 15:20"},
		{i18n.RU, time.Date(2027, 1, 4, 9, 5, 0, 0, riga), "понедельник, 4 января, 09:05"},
		{i18n.EN, utc, "Friday 27 Nov 22:20"},
		{i18n.EN, utc.In(riga), "Saturday 28 Nov 00:20"},
		{i18n.LV, utc.In(riga), "sestdiena, 28. novembris, 00:20"},
	}
	for _, tt := range tests {
		if got := i18n.FormatDayTime(tt.lang, tt.t); got != tt.want {
			t.Errorf("FormatDayTime(%s, %s) = %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
}

func BenchmarkFormatDay(b *testing.B) {
	d := calendar.MustParseDay("2026-11-30")
	for i := 0; b.Loop(); i++ {
		_ = i18n.FormatDay(i18n.RU, d+calendar.Day(i%365))
	}
}
