package calendar_test

import (
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/invalid"
)

// TestSpanMatchesIntake: the years every date handed in is checked
// against (invalid.FirstYear…LastYear) are the years the calendars cover.
func TestSpanMatchesIntake(t *testing.T) {
	t.Parallel()
	first, last := calendar.Span()
	if first != calendar.FirstDay || last != calendar.LastDay ||
		first != calendar.Date(invalid.FirstYear, time.January, 1) || last != calendar.Date(invalid.LastYear, time.December, 31) {
		t.Errorf("span %s…%s, intake %d…%d", first, last, invalid.FirstYear, invalid.LastYear)
	}
}

// TestOutsideSpanIsProvisional: a day the calendars do not cover has no
// holidays known, so a promise touching it is provisional, in every
// country (Latvia has no yearly decrees and was never provisional).
func TestOutsideSpanIsProvisional(t *testing.T) {
	t.Parallel()
	for _, country := range []string{"RU", "LV", "DE"} {
		cal, err := calendar.New(country, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []calendar.Day{calendar.Date(2100, time.January, 5), calendar.Date(1999, time.December, 20), calendar.Date(9999, time.December, 31)} {
			if !cal.Provisional(d) || !cal.Info(d).Provisional {
				t.Errorf("%s %s is not provisional", country, d)
			}
		}
		if country == "LV" && cal.Provisional(calendar.Date(2099, time.December, 31)) {
			t.Errorf("LV 2099-12-31 is provisional")
		}
	}
}
