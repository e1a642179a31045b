package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/lt"
)

// buildLT marks Lithuania's public holidays (Labour Code art. 123).
// Lithuania has no substitute days and no moved working days. rickar/cal
// lacks the years a holiday was introduced and the Sunday holidays; both are
// added here (the Sundays only so that Info names them).
func buildLT(b *builder) {
	b.addRules([]rule{
		{h: lt.NewYear, name: "New Year's Day"},
		{h: lt.StateRestorationDay, name: "Day of Restoration of the State of Lithuania"},
		{h: lt.IndependenceDay, name: "Day of Restoration of Independence of Lithuania"},
		{h: aa.Easter, name: "Easter Sunday"},
		{h: lt.EasterMonday, name: "Easter Monday"},
		{h: lt.LabourDay, name: "International Workers' Day"},
		{h: &cal.Holiday{Month: time.May, Weekday: time.Sunday, Offset: 1, Func: cal.CalcWeekdayOffset}, name: "Mother's Day"},
		{h: &cal.Holiday{Month: time.June, Weekday: time.Sunday, Offset: 1, Func: cal.CalcWeekdayOffset}, name: "Father's Day"},
		// A public holiday since 2003.
		{h: lt.SaintJohnsEve.Clone(&cal.Holiday{StartYear: 2003}), name: "Day of Dew and St John's Day"},
		{h: lt.StatehoodDay, name: "Statehood Day"},
		{h: lt.AssumptionDay, name: "Assumption Day"},
		{h: lt.AllSaintsDay, name: "All Saints' Day"},
		// A public holiday since 2020.
		{h: lt.AllSoulsDay.Clone(&cal.Holiday{StartYear: 2020}), name: "All Souls' Day"},
		{h: lt.ChristmasEve, name: "Christmas Eve"},
		{h: lt.ChristmasDayOne, name: "Christmas Day"},
		{h: lt.ChristmasDayTwo, name: "Second Day of Christmas"},
	})
}
