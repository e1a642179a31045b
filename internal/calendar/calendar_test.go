package calendar

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shopcare/shopcare/internal/invalid"
)

func mustNew(t testing.TB, country string, overrides ...Override) *Calendar {
	t.Helper()
	c, err := New(country, overrides)
	if err != nil {
		t.Fatalf("New(%q): %v", country, err)
	}
	return c
}

var d = MustParseDay

// dayCase is one day of a real calendar and what it must be.
type dayCase struct {
	country string
	day     string
	working bool
	kind    Kind
	name    string // substring of Info.Name; "" to skip
	from    string // Info.MovedFrom; "" for none
}

func checkDays(t *testing.T, cases []dayCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.country+"/"+tc.day, func(t *testing.T) {
			c := mustNew(t, tc.country)
			day := d(tc.day)
			if got := c.IsWorkday(day); got != tc.working {
				t.Errorf("IsWorkday = %v, want %v", got, tc.working)
			}
			inf := c.Info(day)
			if inf.Kind != tc.kind {
				t.Errorf("Kind = %v, want %v (Info %+v)", inf.Kind, tc.kind, inf)
			}
			if inf.Kind.Working() != tc.working {
				t.Errorf("Kind %v disagrees with IsWorkday %v", inf.Kind, tc.working)
			}
			if !strings.Contains(inf.Name, tc.name) {
				t.Errorf("Name = %q, want it to contain %q", inf.Name, tc.name)
			}
			var wantFrom Day
			if tc.from != "" {
				wantFrom = d(tc.from)
			}
			if inf.MovedFrom != wantFrom {
				t.Errorf("MovedFrom = %v, want %v", inf.MovedFrom, wantFrom)
			}
		})
	}
}

func TestRussia(t *testing.T) {
	t.Parallel()
	checkDays(t, []dayCase{
		// 2025: decree of 04.10.2024 № 1335.
		{"RU", "2025-01-01", false, Holiday, "New Year holidays", ""},
		{"RU", "2025-01-06", false, Holiday, "New Year holidays", ""},
		{"RU", "2025-01-07", false, Holiday, "Orthodox Christmas", ""},
		{"RU", "2025-01-08", false, Holiday, "New Year holidays", ""},
		{"RU", "2025-01-09", true, Workday, "", ""},
		{"RU", "2025-05-02", false, MovedDayOff, "New Year holidays (day off moved by government decree)", "2025-01-04"},
		{"RU", "2025-12-31", false, MovedDayOff, "New Year holidays", "2025-01-05"},
		{"RU", "2025-11-01", true, WorkingWeekend, "Working day by government decree", "2025-11-03"},
		{"RU", "2025-11-03", false, MovedDayOff, "Day off moved by government decree", "2025-11-01"},
		{"RU", "2025-11-04", false, Holiday, "Unity Day", ""},
		// The decree overruled art. 112 for 23 February (Sunday) and
		// 8 March (Saturday): their rest went to 8 May and 13 June, and
		// the Mondays after stayed working days.
		{"RU", "2025-02-23", false, Holiday, "Defender of the Fatherland Day", ""},
		{"RU", "2025-02-24", true, Workday, "", ""},
		{"RU", "2025-03-10", true, Workday, "", ""},
		{"RU", "2025-05-08", false, MovedDayOff, "Defender of the Fatherland Day", "2025-02-23"},
		{"RU", "2025-06-13", false, MovedDayOff, "International Women's Day", "2025-03-08"},
		// 2026: decree of 24.09.2025.
		{"RU", "2026-01-02", false, Holiday, "New Year holidays", ""},
		{"RU", "2026-01-09", false, MovedDayOff, "New Year holidays", "2026-01-03"},
		{"RU", "2026-01-10", false, Weekend, "", ""},
		{"RU", "2026-01-11", false, Weekend, "", ""},
		{"RU", "2026-01-12", true, Workday, "", ""},
		{"RU", "2026-02-23", false, Holiday, "Defender", ""},
		{"RU", "2026-03-09", false, MovedDayOff, "International Women's Day (day off moved by Labour Code art. 112)", "2026-03-08"},
		{"RU", "2026-05-11", false, MovedDayOff, "Victory Day", "2026-05-09"},
		{"RU", "2026-06-12", false, Holiday, "Russia Day", ""},
		{"RU", "2026-12-31", false, MovedDayOff, "New Year holidays", "2026-01-04"},
		// 7 January is excepted from art. 112 like 1–6 and 8 January: on
		// a Saturday in 2023 it gave no day off.
		{"RU", "2023-01-09", true, Workday, "", ""},
		// Working Saturdays of other years.
		{"RU", "2024-04-27", true, WorkingWeekend, "", "2024-04-29"},
		{"RU", "2024-11-02", true, WorkingWeekend, "", "2024-04-30"},
		{"RU", "2024-12-28", true, WorkingWeekend, "", "2024-12-30"},
		{"RU", "2018-12-29", true, WorkingWeekend, "", "2018-12-31"},
		{"RU", "2013-05-10", false, MovedDayOff, "Day off moved by government decree", "2013-02-25"},
		{"RU", "2013-02-25", true, Workday, "", ""},
	})
}

func TestRussiaNewYear2026(t *testing.T) {
	t.Parallel()
	c := mustNew(t, "ru")
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-12-31", 1, "2026-01-12"},
		{"2025-12-30", 1, "2026-01-12"},
		{"2025-12-29", 1, "2025-12-30"},
		{"2025-12-30", 2, "2026-01-13"},
		{"2025-12-31", 0, "2026-01-12"},
		{"2025-12-31", -5, "2026-01-12"},
		{"2026-01-12", 0, "2026-01-12"},
	} {
		if got := c.AddWorkdays(d(tc.from), tc.n); got != d(tc.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	if got := c.WorkdaysBetween(d("2025-12-30"), d("2026-01-12")); got != 1 {
		t.Errorf("WorkdaysBetween(2025-12-30, 2026-01-12) = %d, want 1", got)
	}
	if got := c.NextWorkday(d("2025-12-31")); got != d("2026-01-12") {
		t.Errorf("NextWorkday(2025-12-31) = %s, want 2026-01-12", got)
	}
}

// TestRussiaWorkingDaysPerYear checks each decreed year against the official
// production calendar's number of working days (five-day week).
func TestRussiaWorkingDaysPerYear(t *testing.T) {
	t.Parallel()
	c := mustNew(t, "RU")
	want := map[int]int{2020: 248, 2024: 248}
	for y := 2013; y <= ruLastDecreed; y++ {
		n := want[y]
		if n == 0 {
			n = 247
		}
		if got := c.WorkdaysBetween(Date(y-1, 12, 31), Date(y, 12, 31)); got != n {
			t.Errorf("%d: %d working days, want %d", y, got, n)
		}
	}
}

// TestRussiaLawColumn checks the art. 112 moves written beside each decree
// against the rule as computed, with the holidays whose rest the decree
// moved left out.
func TestRussiaLawColumn(t *testing.T) {
	t.Parallel()
	for _, a := range ruDecrees {
		b := newBuilder()
		b.addRules(ruRules)
		for _, dd := range []int{2, 3, 4, 5, 6, 8} {
			b.holiday(Date(a.year, 1, dd), "New Year holidays")
		}
		moves, err := parseTransfers(a.year, a.moves)
		if err != nil {
			t.Fatal(err)
		}
		froms := map[Day]bool{}
		for _, m := range moves {
			b.move(m.off, m.from, ruDecree)
			froms[m.from] = true
		}
		got := ruLabourCodeMoves(b, a.year, func(h, next Day) bool { return froms[h] || froms[next] })
		want, err := parseTransfers(a.year, a.law)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(want, func(x, y transfer) int { return int(x.from - y.from) })
		if !slices.Equal(got, want) {
			t.Errorf("%d: art. 112 gives %v, the table says %v", a.year, got, want)
		}
	}
}

func TestActTablesParse(t *testing.T) {
	t.Parallel()
	for _, tables := range [][]actYear{ruDecrees, lvCabinetOrders} {
		for _, a := range tables {
			for _, s := range []string{a.moves, a.law} {
				moves, err := parseTransfers(a.year, s)
				if err != nil {
					t.Errorf("%d: %v", a.year, err)
				}
				for _, m := range moves {
					if !isWeekday(int64(m.off)) {
						t.Errorf("%d: day off %s is not a weekday", a.year, m.off)
					}
				}
			}
		}
	}
	if _, err := parseTransfers(2025, "02-30<01-01"); err == nil {
		t.Error("30 February parsed")
	}
	if _, err := parseTransfers(2025, "05-02"); err == nil {
		t.Error("a pair without '<' parsed")
	}
}

func TestRussiaProvisional(t *testing.T) {
	t.Parallel()
	c := mustNew(t, "RU")
	if c.Provisional(d("2026-12-31")) {
		t.Error("2026 is decreed, not provisional")
	}
	for _, s := range []string{"2027-01-01", "2027-06-30", "2099-12-31", "2150-01-01"} {
		if !c.Provisional(d(s)) || !c.Info(d(s)).Provisional {
			t.Errorf("%s should be provisional", s)
		}
	}
	checkDays(t, []dayCase{
		// January 1–8 off, the weekend 2–3 January not moved anywhere.
		{"RU", "2027-01-01", false, Holiday, "New Year holidays", ""},
		{"RU", "2027-01-02", false, Holiday, "New Year holidays", ""},
		{"RU", "2027-01-08", false, Holiday, "New Year holidays", ""},
		{"RU", "2027-01-11", true, Workday, "", ""},
		// Weekend holidays give the next working day off.
		{"RU", "2027-05-03", false, MovedDayOff, "Spring and Labour Day (day off moved by Labour Code art. 112)", "2027-05-01"},
		{"RU", "2027-05-10", false, MovedDayOff, "Victory Day", "2027-05-09"},
		{"RU", "2027-06-14", false, MovedDayOff, "Russia Day", "2027-06-12"},
		{"RU", "2027-12-31", true, Workday, "", ""},
		// 2028: 23 February... is a Wednesday; 4 November a Saturday.
		{"RU", "2028-11-06", false, MovedDayOff, "Unity Day", "2028-11-04"},
	})
	for _, cc := range Countries() {
		if cc != "RU" && mustNew(t, cc).Provisional(d("2090-01-01")) {
			t.Errorf("%s: only Russia has provisional years", cc)
		}
	}
}

func TestLatvia(t *testing.T) {
	t.Parallel()
	checkDays(t, []dayCase{
		// 18 November on a Saturday gives Monday off.
		{"LV", "2023-11-18", false, Holiday, "Proclamation Day", ""},
		{"LV", "2023-11-20", false, MovedDayOff, "Proclamation Day of the Republic of Latvia (observed)", "2023-11-18"},
		{"LV", "2024-05-04", false, Holiday, "Restoration of Independence", ""},
		{"LV", "2024-05-06", false, MovedDayOff, "Restoration of Independence Day (observed)", "2024-05-04"},
		{"LV", "2025-06-23", false, Holiday, "Līgo", ""},
		{"LV", "2025-06-24", false, Holiday, "Jāņi", ""},
		{"LV", "2025-12-24", false, Holiday, "Christmas Eve", ""},
		{"LV", "2025-12-31", false, Holiday, "New Year's Eve", ""},
		{"LV", "2026-04-03", false, Holiday, "Good Friday", ""},
		{"LV", "2026-04-06", false, Holiday, "Easter Monday", ""},
		// Cabinet orders: a bridge day off, worked on a Saturday.
		{"LV", "2026-01-02", false, MovedDayOff, "Day off moved by Cabinet order", "2026-01-17"},
		{"LV", "2026-01-17", true, WorkingWeekend, "Working day by Cabinet order", "2026-01-02"},
		{"LV", "2026-06-22", false, MovedDayOff, "Cabinet order", "2026-06-27"},
		{"LV", "2026-06-27", true, WorkingWeekend, "Cabinet order", "2026-06-22"},
		{"LV", "2025-11-17", false, MovedDayOff, "Cabinet order", "2025-11-08"},
		{"LV", "2025-11-08", true, WorkingWeekend, "Cabinet order", "2025-11-17"},
		{"LV", "2024-12-23", false, MovedDayOff, "Cabinet order", "2024-12-14"},
		{"LV", "2024-12-28", true, WorkingWeekend, "Cabinet order", "2024-12-30"},
		// One-off holidays.
		{"LV", "2023-05-29", false, Holiday, "bronze medal", ""},
		{"LV", "2023-07-10", false, Holiday, "Song and Dance Festival", ""},
	})
}

func TestOtherCountries(t *testing.T) {
	t.Parallel()
	checkDays(t, []dayCase{
		// Estonia: no substitute days.
		{"EE", "2026-04-03", false, Holiday, "Good Friday", ""},
		{"EE", "2026-02-24", false, Holiday, "Independence Day", ""},
		{"EE", "2026-05-24", false, Holiday, "Whit Sunday", ""},
		{"EE", "2026-06-23", false, Holiday, "Victory Day", ""},
		{"EE", "2026-06-24", false, Holiday, "Midsummer Day", ""},
		{"EE", "2026-08-20", false, Holiday, "Restoration of Independence", ""},
		{"EE", "2026-12-24", false, Holiday, "Christmas Eve", ""},
		{"EE", "2026-12-28", true, Workday, "", ""},
		{"EE", "2024-02-24", false, Holiday, "Independence Day", ""},
		{"EE", "2024-02-26", true, Workday, "", ""},
		// Germany: nationwide holidays only, no substitute days.
		{"DE", "2026-10-03", false, Holiday, "German Unity Day", ""},
		{"DE", "2026-10-05", true, Workday, "", ""},
		{"DE", "2026-05-14", false, Holiday, "Ascension Day", ""},
		{"DE", "2026-05-25", false, Holiday, "Whit Monday", ""},
		{"DE", "2026-12-26", false, Holiday, "Second Day of Christmas", ""},
		{"DE", "2017-10-31", false, Holiday, "Reformation Day", ""},
		{"DE", "2018-10-31", true, Workday, "", ""},
		{"DE", "2026-01-06", true, Workday, "", ""},
		// United States: federal holidays with observed days.
		{"US", "2026-07-03", false, MovedDayOff, "Independence Day (observed)", "2026-07-04"},
		{"US", "2026-07-04", false, Holiday, "Independence Day", ""},
		{"US", "2021-12-31", false, MovedDayOff, "New Year's Day (observed)", "2022-01-01"},
		{"US", "2026-11-26", false, Holiday, "Thanksgiving Day", ""},
		{"US", "2026-11-27", true, Workday, "", ""},
		{"US", "2026-06-19", false, Holiday, "Juneteenth", ""},
		{"US", "2020-06-19", true, Workday, "", ""},
		{"US", "2026-01-19", false, Holiday, "Martin Luther King Jr. Day", ""},
		// England and Wales: substitute bank holidays.
		{"GB", "2026-12-25", false, Holiday, "Christmas Day", ""},
		{"GB", "2026-12-26", false, Holiday, "Boxing Day", ""},
		{"GB", "2026-12-28", false, MovedDayOff, "Boxing Day (observed)", "2026-12-26"},
		{"GB", "2027-12-27", false, MovedDayOff, "Christmas Day (observed)", "2027-12-25"},
		{"GB", "2027-12-28", false, MovedDayOff, "Boxing Day (observed)", "2027-12-26"},
		{"GB", "2026-08-31", false, Holiday, "Summer bank holiday", ""},
		{"GB", "2022-09-19", false, Holiday, "State Funeral", ""},
		{"GB", "2012-05-28", true, Workday, "", ""},
		{"GB", "2012-06-04", false, Holiday, "Spring bank holiday", ""},
		{"GB", "2012-06-05", false, Holiday, "Diamond Jubilee", ""},
		// Lithuania.
		{"LT", "2026-11-02", false, Holiday, "All Souls' Day", ""},
		{"LT", "2018-11-02", true, Workday, "", ""},
		{"LT", "2026-07-06", false, Holiday, "Statehood Day", ""},
		{"LT", "2026-06-24", false, Holiday, "St John's Day", ""},
		{"LT", "2026-04-06", false, Holiday, "Easter Monday", ""},
		{"LT", "2026-05-03", false, Holiday, "Mother's Day", ""},
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	if got := Countries(); !slices.Equal(got, []string{"DE", "EE", "GB", "LT", "LV", "RU", "US"}) {
		t.Errorf("Countries() = %v", got)
	}
	for _, code := range []string{"ru", " Lv ", "EE"} {
		c, err := New(code, nil)
		if err != nil {
			t.Fatalf("New(%q): %v", code, err)
		}
		if want := strings.ToUpper(strings.TrimSpace(code)); c.Country() != want {
			t.Errorf("Country() = %q, want %q", c.Country(), want)
		}
	}
	_, err := New("FR", nil)
	var ie *invalid.Error
	if !errors.As(err, &ie) || ie.Field != "country" {
		t.Fatalf("New(FR) error = %v, want an *invalid.Error on country", err)
	}
	if !strings.Contains(err.Error(), "DE, EE, GB, LT, LV, RU, US") {
		t.Errorf("error %q does not name the supported countries", err)
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	c := mustNew(t, "RU",
		Override{From: d("2026-01-12"), To: d("2026-01-16"), Reason: "Stocktaking"},
		Override{From: d("2026-01-14"), To: d("2026-01-14"), Working: true, Reason: "Big shipment"},
		Override{From: d("2026-01-10"), To: d("2026-01-10"), Working: true, Reason: "Saturday shift"},
	)
	for _, tc := range []struct {
		day     string
		working bool
		kind    Kind
		name    string
	}{
		{"2026-01-09", false, MovedDayOff, "New Year holidays (day off moved by government decree)"},
		{"2026-01-10", true, ShopWorkday, "Saturday shift"},
		{"2026-01-11", false, Weekend, ""},
		{"2026-01-12", false, ShopDayOff, "Stocktaking"},
		{"2026-01-14", true, ShopWorkday, "Big shipment"},
		{"2026-01-16", false, ShopDayOff, "Stocktaking"},
		{"2026-01-19", true, Workday, ""},
	} {
		inf := c.Info(d(tc.day))
		if c.IsWorkday(d(tc.day)) != tc.working || inf.Kind != tc.kind || inf.Name != tc.name {
			t.Errorf("%s: IsWorkday %v, Info %+v; want %v, %v %q", tc.day, c.IsWorkday(d(tc.day)), inf, tc.working, tc.kind, tc.name)
		}
	}
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-12-31", 1, "2026-01-10"},
		{"2025-12-31", 2, "2026-01-14"},
		{"2025-12-31", 3, "2026-01-19"},
	} {
		if got := c.AddWorkdays(d(tc.from), tc.n); got != d(tc.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	// The cached country calendar is untouched.
	if plain := mustNew(t, "RU"); !plain.IsWorkday(d("2026-01-12")) || plain.IsWorkday(d("2026-01-10")) {
		t.Error("overrides leaked into the cached country calendar")
	}
}

func TestOverrideValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		overrides []Override
		want      string
		code      string
	}{
		{"from after to",
			[]Override{{From: d("2026-01-01"), To: d("2026-01-01")}, {From: d("2026-02-01"), To: d("2026-02-02")},
				{From: d("2026-12-30"), To: d("2026-12-28")}},
			"days_off[2]: from 2026-12-30 is after to 2026-12-28", "from_after_to"},
		{"longer than a year",
			[]Override{{From: d("2026-01-01"), To: d("2027-01-02")}},
			"days_off[0]: 2026-01-01 to 2027-01-02 spans 367 days; at most 366", "too_long"},
		{"outside the compiled span",
			[]Override{{From: d("2099-12-30"), To: d("2100-01-02")}},
			"days_off[0]: 2099-12-30 to 2100-01-02 is outside 2000-01-01…2099-12-31", "out_of_range"},
		{"two bad ones",
			[]Override{{From: d("2026-01-02"), To: d("2026-01-01")}, {From: d("1999-01-01"), To: d("1999-01-01")}},
			"days_off[0]: from 2026-01-02 is after to 2026-01-01; days_off[1]: 1999-01-01 to 1999-01-01 is outside 2000-01-01…2099-12-31", "from_after_to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New("RU", tc.overrides)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
			if first, ok := invalid.First(err); !ok || first.Code != tc.code {
				t.Errorf("first error %+v, want code %q", first, tc.code)
			}
		})
	}
	// A full leap year is allowed.
	if _, err := New("RU", []Override{{From: d("2028-01-01"), To: d("2028-12-31")}}); err != nil {
		t.Errorf("366 days: %v", err)
	}
}

func TestOutsideSpan(t *testing.T) {
	t.Parallel()
	c := mustNew(t, "RU")
	first, last := Span()
	if first != Date(2000, 1, 1) || last != Date(2099, 12, 31) {
		t.Fatalf("Span() = %s, %s", first, last)
	}
	for _, tc := range []struct {
		day     string
		working bool
		kind    Kind
	}{
		{"1999-12-31", true, Workday},
		{"1999-12-25", false, Weekend},
		{"2100-01-01", true, Workday},
		{"2100-01-02", false, Weekend},
		{"1970-01-01", true, Workday},
		{"1969-12-28", false, Weekend},
		{"1900-01-01", true, Workday},
	} {
		if got := c.IsWorkday(d(tc.day)); got != tc.working {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.day, got, tc.working)
		}
		if got := c.Info(d(tc.day)).Kind; got != tc.kind {
			t.Errorf("Info(%s).Kind = %v, want %v", tc.day, got, tc.kind)
		}
	}
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2099-12-31", 1, "2100-01-01"},
		{"2099-12-31", 2, "2100-01-04"},
		{"2099-12-30", 2, "2100-01-01"},
		{"1999-12-30", 1, "1999-12-31"},
		// Across the start of the span into Russia's New Year holidays.
		{"1999-12-30", 2, "2000-01-10"},
		{"1999-12-24", 2, "1999-12-28"},
		{"1969-12-26", 1, "1969-12-29"},
		{"2150-06-06", 5, "2150-06-12"},
	} {
		if got := c.AddWorkdays(d(tc.from), tc.n); got != d(tc.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	if got := c.WorkdaysBetween(d("1999-12-30"), d("2000-01-10")); got != 2 {
		t.Errorf("WorkdaysBetween across the span start = %d, want 2", got)
	}
	if got := c.WorkdaysBetween(d("2100-01-04"), d("2099-12-31")); got != -2 {
		t.Errorf("WorkdaysBetween backwards = %d, want -2", got)
	}
	if got := c.NextWorkday(d("2100-01-02")); got != d("2100-01-04") {
		t.Errorf("NextWorkday(2100-01-02) = %s", got)
	}
	// The ends of Day's range: no panic, no endless loop, saturated results.
	lo, hi := Day(math.MinInt32), Day(math.MaxInt32)
	for _, day := range []Day{lo, lo + 1, hi - 1, hi} {
		_ = c.IsWorkday(day)
		_ = c.Info(day)
		if got := c.NextWorkday(day); got < day {
			t.Errorf("NextWorkday(%d) = %d, before the day", day, got)
		}
		if got := c.AddWorkdays(day, math.MaxInt); got != hi {
			t.Errorf("AddWorkdays(%d, MaxInt) = %d, want saturation at %d", day, got, hi)
		}
	}
	if got := c.WorkdaysBetween(lo, hi); got <= 0 {
		t.Errorf("WorkdaysBetween(min, max) = %d", got)
	}
}

// refAddWorkdays is AddWorkdays by walking day by day, to check the index.
func refAddWorkdays(c *Calendar, day Day, n int) Day {
	if n <= 0 {
		for !c.IsWorkday(day) {
			day++
		}
		return day
	}
	for n > 0 {
		day++
		if c.IsWorkday(day) {
			n--
		}
	}
	return day
}

func TestAddWorkdaysProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 12))
	cals := []*Calendar{mustNew(t, "RU", Override{From: d("2031-03-01"), To: d("2031-08-31"), Reason: "Closed"},
		Override{From: d("2050-01-01"), To: d("2050-12-31"), Working: true, Reason: "Open every day"})}
	for _, cc := range Countries() {
		cals = append(cals, mustNew(t, cc))
	}
	lo, hi := int(Date(1995, 1, 1)), int(Date(2105, 1, 1))
	for _, c := range cals {
		for range 4000 {
			day := Day(lo + rng.IntN(hi-lo))
			n := rng.IntN(400) - 20
			got := c.AddWorkdays(day, n)
			if want := refAddWorkdays(c, day, n); got != want {
				t.Fatalf("%s: AddWorkdays(%s, %d) = %s, walking gives %s", c.Country(), day, n, got, want)
			}
			if !c.IsWorkday(got) {
				t.Fatalf("%s: AddWorkdays(%s, %d) = %s is not a working day", c.Country(), day, n, got)
			}
			if n >= 1 {
				if got <= day {
					t.Fatalf("%s: AddWorkdays(%s, %d) = %s is not after the day", c.Country(), day, n, got)
				}
				if between := c.WorkdaysBetween(day, got); between != n {
					t.Fatalf("%s: WorkdaysBetween(%s, AddWorkdays(.., %d) = %s) = %d", c.Country(), day, n, got, between)
				}
			}
			next := c.NextWorkday(day)
			if next < day || !c.IsWorkday(next) || c.WorkdaysBetween(day, next) != btoi(next != day) {
				t.Fatalf("%s: NextWorkday(%s) = %s", c.Country(), day, next)
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestKindString(t *testing.T) {
	t.Parallel()
	want := []string{"workday", "weekend", "holiday", "moved_day_off", "working_weekend", "shop_day_off", "shop_workday"}
	for k := Workday; k <= ShopWorkday; k++ {
		if k.String() != want[k] {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), want[k])
		}
	}
	if got := Kind(42).String(); got != "kind(42)" {
		t.Errorf("Kind(42).String() = %q", got)
	}
}

func TestSpanConstants(t *testing.T) {
	t.Parallel()
	if Date(firstYear, 1, 1) != spanStart || Date(lastYear, 12, 31) != spanEnd {
		t.Fatal("span constants do not match the dates they name")
	}
	for day := int64(-30); day < 30; day++ {
		if got, want := isWeekday(day), Day(day).Weekday() != 0 && Day(day).Weekday() != 6; got != want {
			t.Errorf("isWeekday(%d) = %v", day, got)
		}
		if isWeekday(day) && weekdaysThrough(nthWeekday(weekdaysThrough(day))) != weekdaysThrough(day) {
			t.Errorf("nthWeekday does not invert weekdaysThrough at %d", day)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			c := mustNew(t, Countries()[i%len(Countries())])
			for day := Date(2025, 1, 1); day < Date(2027, 1, 1); day++ {
				_ = c.AddWorkdays(day, 3)
				_ = c.Info(day)
			}
		})
	}
	wg.Wait()
}
