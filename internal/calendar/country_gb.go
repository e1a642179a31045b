package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
)

// buildGB marks the bank holidays of England and Wales. rickar/cal gives the
// substitute days: New Year's Day and Christmas Day on a weekend move to the
// next Monday (or Tuesday after Christmas), Boxing Day on a Saturday or
// Sunday to the Monday or Tuesday after. It knows the 2020 and 2022–2023
// changes; the 2002, 2011 and 2012 ones are added here.
func buildGB(b *builder) {
	// In 2002 and 2012 the spring bank holiday moved to early June for a
	// jubilee, as it did in 2022 (which rickar/cal knows).
	spring := gb.SpringHoliday.Clone(&cal.Holiday{Except: []int{2002, 2012, 2022}})
	b.addRules([]rule{
		{h: gb.NewYear, name: "New Year's Day"},
		{h: gb.GoodFriday, name: "Good Friday"},
		{h: gb.EasterMonday, name: "Easter Monday"},
		{h: gb.EarlyMay, name: "Early May bank holiday"},
		{h: gb.VEDay, name: "Early May bank holiday (VE Day)"},
		{h: gb.CoronationDay, name: "Coronation of King Charles III"},
		{h: spring, name: "Spring bank holiday"},
		{h: gb.SpringHoliday2022, name: "Spring bank holiday"},
		{h: gb.PlatinumJubilee, name: "Platinum Jubilee of Queen Elizabeth II"},
		{h: gb.SummerHoliday, name: "Summer bank holiday"},
		{h: gb.ChristmasDay, name: "Christmas Day"},
		{h: gb.BoxingDay, name: "Boxing Day"},
	})
	b.addOneOffs([]oneOff{
		{2002, time.June, 3, "Golden Jubilee of Queen Elizabeth II"},
		{2002, time.June, 4, "Spring bank holiday"},
		{2011, time.April, 29, "Wedding of Prince William and Catherine Middleton"},
		{2012, time.June, 4, "Spring bank holiday"},
		{2012, time.June, 5, "Diamond Jubilee of Queen Elizabeth II"},
		{2022, time.September, 19, "State Funeral of Queen Elizabeth II"},
	})
}
