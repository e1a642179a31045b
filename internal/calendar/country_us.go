package calendar

import "github.com/rickar/cal/v2/us"

// buildUS marks the US federal holidays. rickar/cal observes a holiday that
// falls on a Saturday on the Friday before and one on a Sunday on the Monday
// after, as federal employers do (5 U.S.C. 6103; New Year's Day on a Saturday
// is observed on 31 December of the year before). Days off by executive order
// (such as Christmas Eve in some years) are not holidays and are left out.
func buildUS(b *builder) {
	b.addRules([]rule{
		{h: us.NewYear, name: "New Year's Day"},
		{h: us.MlkDay, name: "Martin Luther King Jr. Day"},
		{h: us.PresidentsDay, name: "Washington's Birthday"},
		{h: us.MemorialDay, name: "Memorial Day"},
		{h: us.Juneteenth, name: "Juneteenth National Independence Day"},
		{h: us.IndependenceDay, name: "Independence Day"},
		{h: us.LaborDay, name: "Labor Day"},
		{h: us.ColumbusDay, name: "Columbus Day"},
		{h: us.VeteransDay, name: "Veterans Day"},
		{h: us.ThanksgivingDay, name: "Thanksgiving Day"},
		{h: us.ChristmasDay, name: "Christmas Day"},
	})
}
