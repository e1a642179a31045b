package calendar_test

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/calendar"
)

// A Russian shop that ships one working day after the order: an order on
// 31 December 2025 ships after the New Year holidays, which the 2026 decree
// extended to 11 January.
func ExampleCalendar_AddWorkdays() {
	cal, err := calendar.New("RU", []calendar.Override{
		{From: calendar.MustParseDay("2026-01-13"), To: calendar.MustParseDay("2026-01-13"), Reason: "Stocktaking"},
	})
	if err != nil {
		panic(err)
	}
	placed := calendar.MustParseDay("2025-12-31")
	ship := cal.AddWorkdays(placed, 1)
	fmt.Println("ships", ship, ship.Weekday())
	fmt.Println("two days later", cal.AddWorkdays(placed, 2))

	inf := cal.Info(calendar.MustParseDay("2026-01-09"))
	fmt.Println(inf.Kind, "-", inf.Name, "- from", inf.MovedFrom)
	fmt.Println(cal.Info(calendar.MustParseDay("2026-01-13")).Kind)
	// Output:
	// ships 2026-01-12 Monday
	// two days later 2026-01-14
	// moved_day_off - New Year holidays (day off moved by government decree) - from 2026-01-03
	// shop_day_off
}
