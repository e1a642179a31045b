package calendar

import (
	"time"

	"github.com/rickar/cal/v2/ru"
)

// Russia's non-working public holidays are fixed by the Labour Code, art. 112
// part 1: 1–6 and 8 January (New Year holidays), 7 January (Christmas),
// 23 February, 8 March, 1 May, 9 May, 12 June and 4 November.
//
// Part 2: a weekend day that coincides with a holiday moves to the next
// working day after the holiday, except for the holidays of 1–8 January
// (paragraphs 2 and 3 of part 1: the New Year holidays and Christmas). Part
// 5: the government may move days off to other days; it decrees every year
// where the January weekend days go, and often moves more to make bridges,
// turning a Saturday into a working day. A decree can also overrule the
// automatic rule (in 2025 the Sunday 23 February and Saturday 8 March went to
// 8 May and 13 June, so 24 February and 10 March 2025 were working days).
//
// rickar/cal knows none of this: it has only 1 and 7 January of the New Year
// holidays and moves every weekend holiday, 7 January included, to Monday. So
// only its holiday dates are used; the moves come from the decree table
// below, and for years without a decree from art. 112 as computed here.
//
// Years before 2013, when the New Year holidays were shorter and no decree is
// shipped, are computed by today's law and are only approximate. The
// presidential "non-working days with pay" of 2020 and 2021 (COVID-19,
// 24 June and 1 July 2020) were not holidays and are left out.

// ruLastDecreed is the last year in ruDecrees: later years are provisional.
const ruLastDecreed = 2026

var ruRules = []rule{
	{h: ru.NewYear, name: "New Year holidays", observedFrom: noObserved},
	{h: ru.OrthodoxChristmas, name: "Orthodox Christmas", observedFrom: noObserved},
	{h: ru.MilitaryDay, name: "Defender of the Fatherland Day", observedFrom: noObserved},
	{h: ru.WomensDay, name: "International Women's Day", observedFrom: noObserved},
	{h: ru.LabourDay, name: "Spring and Labour Day", observedFrom: noObserved},
	{h: ru.VictoryDay, name: "Victory Day", observedFrom: noObserved},
	{h: ru.RussiasDay, name: "Russia Day", observedFrom: noObserved},
	{h: ru.UnionDay, name: "Unity Day", observedFrom: noObserved},
}

// ruDecrees holds, per year, the moves of the government's decree "О
// переносе выходных дней в … году" and the art. 112 moves of that year. Each
// year was checked against at least two sources: the decree's text or the
// government's announcement, python-holidays (holidays/countries/russia.py,
// which cites each decree on consultant.ru) and the xmlcalendar.ru data
// files; and its count of working days against the official production
// calendar (247 a year, 248 in 2020 and 2024).
var ruDecrees = []actYear{
	{year: 2013, act: "Постановление Правительства РФ о переносе выходных дней в 2013 году (КонсультантПлюс, документ 136654)",
		moves: "05-02<01-05 05-03<01-06 05-10<02-25"},
	{year: 2014, act: "Постановление Правительства РФ о переносе выходных дней в 2014 году (КонсультантПлюс, документ 146983)",
		moves: "05-02<01-04 06-13<01-05 11-03<02-24",
		law:   "03-10<03-08"},
	{year: 2015, act: "Постановление Правительства РФ о переносе выходных дней в 2015 году (КонсультантПлюс, документ 167928)",
		moves: "01-09<01-03 05-04<01-04",
		law:   "03-09<03-08 05-11<05-09"},
	{year: 2016, act: "Постановление Правительства РФ о переносе выходных дней в 2016 году (КонсультантПлюс, документ 186505)",
		moves: "05-03<01-02 03-07<01-03 02-22<02-20",
		law:   "05-02<05-01 06-13<06-12"},
	{year: 2017, act: "Постановление Правительства РФ о переносе выходных дней в 2017 году (КонсультантПлюс, документ 202871)",
		moves: "02-24<01-01 05-08<01-07",
		law:   "11-06<11-04"},
	{year: 2018, act: "Постановление Правительства РФ о переносе выходных дней в 2018 году (КонсультантПлюс, документ 280526)",
		moves: "03-09<01-06 05-02<01-07 04-30<04-28 06-11<06-09 12-31<12-29",
		law:   "11-05<11-04"},
	{year: 2019, act: "Постановление Правительства РФ о переносе выходных дней в 2019 году (КонсультантПлюс, документ 307996)",
		moves: "05-02<01-05 05-03<01-06 05-10<02-23"},
	{year: 2020, act: "Постановление Правительства РФ о переносе выходных дней в 2020 году (КонсультантПлюс, документ 328918)",
		moves: "05-04<01-04 05-05<01-05",
		law:   "02-24<02-23 03-09<03-08 05-11<05-09"},
	{year: 2021, act: "Постановление Правительства РФ от 10.10.2020 о переносе выходных дней в 2021 году (КонсультантПлюс, документ 365179)",
		moves: "11-05<01-02 12-31<01-03 02-22<02-20",
		law:   "05-03<05-01 05-10<05-09 06-14<06-12"},
	{year: 2022, act: "Постановление Правительства РФ о переносе выходных дней в 2022 году (КонсультантПлюс, документ 395538)",
		moves: "05-03<01-01 05-10<01-02 03-07<03-05",
		law:   "05-02<05-01 06-13<06-12"},
	{year: 2023, act: "Постановление Правительства РФ от 29.08.2022 № 1505 (КонсультантПлюс, документ 425407)",
		moves: "02-24<01-01 05-08<01-08",
		law:   "11-06<11-04"},
	{year: 2024, act: "Постановление Правительства РФ от 10.08.2023 № 1314 (КонсультантПлюс, документ 455140)",
		moves: "05-10<01-06 12-31<01-07 04-29<04-27 04-30<11-02 12-30<12-28"},
	{year: 2025, act: "Постановление Правительства РФ от 04.10.2024 № 1335 (КонсультантПлюс, документ 481586)",
		moves: "05-02<01-04 12-31<01-05 05-08<02-23 06-13<03-08 11-03<11-01"},
	{year: 2026, act: "Постановление Правительства РФ от 24.09.2025 о переносе выходных дней в 2026 году",
		moves: "01-09<01-03 12-31<01-04",
		law:   "03-09<03-08 05-11<05-09"},
}

const (
	ruDecree    = "government decree"
	ruLabourLaw = "Labour Code art. 112"
)

func buildRU(b *builder) {
	b.addRules(ruRules)
	for y := firstYear; y <= lastYear; y++ {
		for _, d := range []int{2, 3, 4, 5, 6, 8} {
			b.holiday(Date(y, time.January, d), "New Year holidays")
		}
	}
	b.applyActs(ruDecrees, ruDecree, ruLabourLaw)
	decreed := make(map[int]bool, len(ruDecrees))
	for _, a := range ruDecrees {
		decreed[a.year] = true
	}
	for y := firstYear; y <= lastYear; y++ {
		if decreed[y] {
			continue
		}
		for _, t := range ruLabourCodeMoves(b, y, nil) {
			b.move(t.off, t.from, ruLabourLaw)
		}
	}
}

// ruLabourCodeMoves computes art. 112 part 2 for year: every holiday after
// 8 January that falls on a Saturday or Sunday gives the next working day
// off, in date order so that two such holidays never claim the same day.
// skip, when not nil, leaves out the holidays whose rest a decree moved.
func ruLabourCodeMoves(b *builder, year int, skip func(holiday, next Day) bool) []transfer {
	var out []transfer
	taken := map[Day]bool{}
	for d := Date(year, time.January, 9); d <= Date(year, time.December, 31); d++ {
		if b.kind(d) != Holiday || isWeekday(int64(d)) {
			continue
		}
		next := d + 1
		for b.kind(next) != Workday || taken[next] {
			next++
		}
		if skip != nil && skip(d, next) {
			continue
		}
		taken[next] = true
		out = append(out, transfer{off: next, from: d})
	}
	return out
}
