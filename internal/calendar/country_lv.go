package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/lv"
)

// buildLV marks Latvia's public holidays (law "Par svētku, atceres un
// atzīmējamām dienām"). rickar/cal has them all, with the rule that 4 May and
// 18 November on a Saturday or Sunday give the next Monday off; that rule
// dates from a 2007 amendment (in force 26 June 2007), so it applies from
// 18 November 2007 and 4 May 2008. 4 May is a holiday since 2002 and
// Christmas Eve since 2007.
//
// On top come one-off holidays and the Cabinet's yearly orders "Par darba
// dienas pārcelšanu" (Labour Law art. 133(4)), which move a working day that
// falls between a holiday and a weekend to a Saturday of the same month. The
// orders bind state institutions and are recommended to everyone else; most
// businesses follow them, so the calendar does too.
func buildLV(b *builder) {
	b.addRules([]rule{
		{h: lv.NewYear, name: "New Year's Day"},
		{h: lv.GoodFriday, name: "Good Friday"},
		{h: lv.Easter, name: "Easter Sunday"},
		{h: lv.EasterMonday, name: "Easter Monday"},
		{h: lv.LabourDay, name: "Labour Day; Convocation of the Constituent Assembly"},
		{h: lv.StateRestorationDay.Clone(&cal.Holiday{StartYear: 2002}), name: "Restoration of Independence Day", observedFrom: 2008},
		{h: &cal.Holiday{Month: time.May, Weekday: time.Sunday, Offset: 2, Func: cal.CalcWeekdayOffset}, name: "Mother's Day"},
		{h: lv.MidsummerEve, name: "Midsummer Eve (Līgo)"},
		{h: lv.MidsummeDay, name: "Midsummer Day (Jāņi)"},
		{h: lv.StateProclamationDay, name: "Proclamation Day of the Republic of Latvia", observedFrom: 2007},
		{h: lv.ChristmasEve.Clone(&cal.Holiday{StartYear: 2007}), name: "Christmas Eve"},
		{h: lv.ChristmasDay, name: "Christmas Day"},
		{h: lv.ChristmasDay2, name: "Second Day of Christmas"},
		{h: lv.NewYearEve, name: "New Year's Eve"},
	})
	b.addOneOffs([]oneOff{
		// The closing day of the Song and Dance Festival is a holiday, moved
		// to Monday when it falls on a Sunday as it did both times.
		{2018, time.July, 9, "Song and Dance Festival closing day"},
		{2018, time.September, 24, "Pastoral visit of Pope Francis"},
		{2023, time.May, 29, "Ice hockey World Championship bronze medal day"},
		{2023, time.July, 10, "Song and Dance Festival closing day"},
	})
	b.applyActs(lvCabinetOrders, "Cabinet order", "law")
}

// lvCabinetOrders holds the Cabinet orders moving working days, "MM-DD<MM-DD"
// meaning: the first day is off, the second (a Saturday) is worked instead.
// Only years checked against a report of the adopted order are listed: 2019
// had none. 2015, 2016, 2020, 2021 and 2022 are missing because no source
// could be checked (2021 has a published draft only: 3 May, 25 June and
// 19 November off for Saturdays 8 May, 19 June and 13 November).
var lvCabinetOrders = []actYear{
	{year: 2017, act: "MK rīkojums par darbadienas pārcelšanu 2017. gadā (ovv.lv, 2017-04)",
		moves: "05-05<05-13"},
	{year: 2018, act: "MK rīkojums Nr. 211 \"Par darbadienas pārcelšanu 2018. gadā\"",
		moves: "04-30<04-21"},
	{year: 2019, act: "no order for 2019 (la.lv, LNT Ziņas)"},
	{year: 2023, act: "MK rīkojums par darba dienas pārcelšanu 2023. gadā (nra.lv quotes the adopted text)",
		moves: "05-05<05-20"},
	{year: 2024, act: "MK rīkojums Nr. 348, 13.06.2023",
		moves: "12-23<12-14 12-30<12-28"},
	{year: 2025, act: "MK rīkojums par darba dienu pārcelšanu 2025. gadā (jauns.lv, press.lv, nasha.la.lv)",
		moves: "05-02<05-10 11-17<11-08"},
	{year: 2026, act: "MK rīkojums \"Par darba dienu pārcelšanu 2026. gadā\", adopted 10.06.2025 (la.lv)",
		moves: "01-02<01-17 06-22<06-27"},
}
