package trend_test

import (
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/trend"
)

// Eight ordinary weeks — 30 orders on weekdays, 12 on Sundays — and then a
// Wednesday without a single order.
func ExampleCheck() {
	start := time.Date(2025, time.March, 3, 0, 0, 0, 0, time.UTC) // a Monday
	var history []trend.Day
	for i := range 8*7 + 3 {
		date := start.AddDate(0, 0, i)
		orders := 30.0
		if date.Weekday() == time.Sunday {
			orders = 12
		}
		history = append(history, trend.Day{Date: date, Value: orders})
	}
	history[len(history)-1].Value = 0

	w, err := trend.Check(history, trend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s: %.0f orders, expected %.0f (band from %.0f), %.0f%% down over %d day(s)\n",
		w.Date.Format(time.DateOnly), w.Reason, w.Actual, w.Expected, w.Lower, 100*w.Drop, w.Days)

	history[len(history)-1].Value = 24 // a slow day, inside the band
	w, _ = trend.Check(history, trend.Options{})
	fmt.Println("slow day warns:", w != nil)
	// Output:
	// 2025-04-30 far_below: 0 orders, expected 30 (band from 14), 100% down over 1 day(s)
	// slow day warns: false
}
