package calendar

import (
	"time"

	"github.com/rickar/cal/v2/de"
)

// buildDE marks Germany's nationwide public holidays. The states add their
// own (Epiphany, Corpus Christi, Reformation Day, …); a shop in such a state
// adds them as overrides. Germany has no substitute days.
func buildDE(b *builder) {
	b.addRules([]rule{
		{h: de.Neujahr, name: "New Year's Day"},
		{h: de.Karfreitag, name: "Good Friday"},
		{h: de.Ostermontag, name: "Easter Monday"},
		{h: de.TagderArbeit, name: "Labour Day"},
		{h: de.ChristiHimmelfahrt, name: "Ascension Day"},
		{h: de.Pfingstmontag, name: "Whit Monday"},
		{h: de.DeutschenEinheit, name: "German Unity Day"},
		{h: de.Weihnachtstag, name: "Christmas Day"},
		{h: de.ZweiterWeihnachtsfeiertag, name: "Second Day of Christmas"},
	})
	b.addOneOffs([]oneOff{
		// The 500th anniversary of the Reformation was a holiday in every
		// state, once.
		{2017, time.October, 31, "Reformation Day (500th anniversary)"},
	})
}
