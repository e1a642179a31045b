package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
)

// buildEE marks Estonia's public holidays (Public Holidays and Days of
// National Importance Act, § 2), which rickar/cal does not know. Estonia has
// no substitute days: a holiday on a weekend is simply lost.
func buildEE(b *builder) {
	fixed := func(m time.Month, d, from int) *cal.Holiday {
		return &cal.Holiday{Month: m, Day: d, StartYear: from, Func: cal.CalcDayOfMonth}
	}
	b.addRules([]rule{
		{h: aa.NewYear, name: "New Year's Day"},
		{h: fixed(time.February, 24, 0), name: "Independence Day"},
		{h: aa.GoodFriday, name: "Good Friday"},
		{h: aa.Easter, name: "Easter Sunday"},
		{h: aa.WorkersDay, name: "Spring Day"},
		{h: aa.Pentecost, name: "Whit Sunday"},
		{h: fixed(time.June, 23, 0), name: "Victory Day"},
		{h: fixed(time.June, 24, 0), name: "Midsummer Day"},
		// A public holiday since 1998, Christmas Eve since 2005.
		{h: fixed(time.August, 20, 1998), name: "Day of Restoration of Independence"},
		{h: fixed(time.December, 24, 2005), name: "Christmas Eve"},
		{h: aa.ChristmasDay, name: "Christmas Day"},
		{h: aa.ChristmasDay2, name: "Boxing Day"},
	})
}
