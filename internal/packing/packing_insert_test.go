package packing_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/packing"
)

func mustCalendar(t *testing.T, country string, overrides ...calendar.Override) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(country, overrides)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHolidayNear walks the default holiday windows over the Russian and
// Latvian calendars: which holiday a ship day is near, on which side, how
// far — and the days that get no card.
func TestHolidayNear(t *testing.T) {
	t.Parallel()
	windows := config.Default().Packing.HolidayCards
	ru, lv := mustCalendar(t, "RU"), mustCalendar(t, "LV")
	tests := []struct {
		name    string
		cal     *calendar.Calendar
		day     string
		holiday string // "" for no card
		when    packing.When
		days    int
	}{
		// 31 Dec 2026 is a day off moved from 4 Jan, not a holiday: New
		// Year starts on 1 Jan, 12 days ahead; Orthodox Christmas is 18.
		{"RU 20 Dec", ru, "2026-12-20", "new_year", packing.Before, 12},
		{"RU 10 Mar", ru, "2027-03-10", "", "", 0},
		{"RU inside the New Year holidays", ru, "2027-01-05", "new_year", packing.During, 0},
		{"RU Orthodox Christmas", ru, "2027-01-07", "christmas", packing.During, 0},
		// 2 May 2025 was a day off moved from 4 January by decree; it
		// carries the New Year's name but is no New Year.
		{"RU a New Year day moved to May", ru, "2025-04-28", "", "", 0},
		// Orthodox Easter (2 May 2027) is no public holiday in Russia.
		{"RU Easter", ru, "2027-04-30", "", "", 0},
		{"LV 20 Dec: Christmas Eve is nearer than New Year", lv, "2026-12-20", "christmas", packing.Before, 4},
		{"LV 10 Mar: Easter is 18 days off", lv, "2027-03-10", "", "", 0},
		{"LV a week before Easter", lv, "2027-03-21", "easter", packing.Before, 7},
		{"LV 3 days before Līgo", lv, "2027-06-20", "midsummer", packing.Before, 3},
		{"LV Jāņi", lv, "2027-06-24", "midsummer", packing.During, 0},
		{"LV the day after Jāņi", lv, "2027-06-25", "midsummer", packing.After, 1},
		{"LV past the Midsummer window", lv, "2027-06-27", "", "", 0},
		{"LV Jāņi on a Saturday", lv, "2028-06-24", "midsummer", packing.During, 0},
		{"LV after Christmas, before New Year", lv, "2026-12-27", "christmas", packing.After, 1},
		{"LV the last day of the New Year window", lv, "2027-01-08", "new_year", packing.After, 7},
		{"LV past every window", lv, "2027-01-09", "", "", 0},
		{"no calendar", nil, "2026-12-20", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := packing.HolidayNear(windows, tt.cal, calendar.MustParseDay(tt.day))
			if tt.holiday == "" {
				if ok {
					t.Fatalf("HolidayNear(%s) = %+v, want no holiday", tt.day, h)
				}
				return
			}
			if !ok || h.Holiday != tt.holiday || h.When != tt.when || h.Days != tt.days {
				t.Fatalf("HolidayNear(%s) = %+v, %v; want %s %s %d days", tt.day, h, ok, tt.holiday, tt.when, tt.days)
			}
		})
	}
}

// TestHolidayNearIgnoresShopDaysOff: a shop closed over the holidays
// still sends Christmas cards before them; the shop's days off would hide
// the holidays' names in its own calendar.
func TestHolidayNearIgnoresShopDaysOff(t *testing.T) {
	t.Parallel()
	closed := mustCalendar(t, "LV", calendar.Override{From: calendar.MustParseDay("2026-12-22"),
		To: calendar.MustParseDay("2027-01-03"), Reason: "winter break"})
	h, ok := packing.HolidayNear(config.Default().Packing.HolidayCards, closed, calendar.MustParseDay("2026-12-20"))
	if !ok || h.Holiday != "christmas" || h.Days != 4 {
		t.Fatalf("HolidayNear = %+v, %v; want Christmas Eve in 4 days", h, ok)
	}
}

// TestHolidayNearOwnWindows: a window may name a holiday by words of the
// calendar's name; a shop in a country shopcare has no calendar of lists
// its holidays as days off, and their reasons are read.
func TestHolidayNearOwnWindows(t *testing.T) {
	t.Parallel()
	victory := []config.HolidayWindow{{Holiday: "Victory Day", Before: 5}}
	h, ok := packing.HolidayNear(victory, mustCalendar(t, "RU"), calendar.MustParseDay("2027-05-06"))
	if !ok || h.Days != 3 || h.When != packing.Before || packing.HolidayName(i18n.RU, h.Holiday) != "Victory Day" {
		t.Errorf("Victory Day window: %+v, %v", h, ok)
	}
	// 10 May 2027 is Victory Day's moved day off; the holiday was on 9 May.
	if h, ok := packing.HolidayNear(victory, mustCalendar(t, "RU"), calendar.MustParseDay("2027-05-10")); ok {
		t.Errorf("the moved day off counted as Victory Day: %+v", h)
	}
	plain, err := calendar.Plain("FI", []calendar.Override{{From: calendar.MustParseDay("2026-12-24"),
		To: calendar.MustParseDay("2026-12-26"), Reason: "Christmas"}})
	if err != nil {
		t.Fatal(err)
	}
	h, ok = packing.HolidayNear(config.Default().Packing.HolidayCards, plain, calendar.MustParseDay("2026-12-20"))
	if !ok || h.Holiday != "christmas" || h.Days != 4 {
		t.Errorf("a plain calendar's Christmas: %+v, %v", h, ok)
	}
}

// TestInserts: a thank-you note always; a souvenir on a first order, for
// a listed tier or a tier whose card has the souvenir perk; a holiday card
// with its reason in each language.
func TestInserts(t *testing.T) {
	t.Parallel()
	def := config.Default()
	p := def.Packing
	p.Souvenir.Tiers = []string{"gold"}
	silver, _ := def.Loyalty.Tier("silver")
	gold, _ := def.Loyalty.Tier("gold")
	lv := mustCalendar(t, "LV")
	march := calendar.MustParseDay("2027-03-10")
	tests := []struct {
		name  string
		p     config.Packing
		facts packing.Facts
		want  []packing.InsertKind
	}{
		{"first order", p, packing.Facts{ShipDay: march, FirstOrder: true}, []packing.InsertKind{packing.ThankYou, packing.Souvenir}},
		{"second order", p, packing.Facts{ShipDay: march}, []packing.InsertKind{packing.ThankYou}},
		{"gold tier", p, packing.Facts{ShipDay: march, Tier: "Gold"}, []packing.InsertKind{packing.ThankYou, packing.Souvenir}},
		{"another tier", p, packing.Facts{ShipDay: march, Tier: "silver"}, []packing.InsertKind{packing.ThankYou}},
		{"no souvenirs", config.Packing{}, packing.Facts{ShipDay: march, FirstOrder: true}, []packing.InsertKind{packing.ThankYou}},
		{"a card with the souvenir perk", def.Packing, packing.Facts{ShipDay: march, Tier: "gold", Card: gold}, []packing.InsertKind{packing.ThankYou, packing.Souvenir}},
		{"a card without it", def.Packing, packing.Facts{ShipDay: march, Tier: "silver", Card: silver}, []packing.InsertKind{packing.ThankYou}},
		{"a tier the settings no longer have", def.Packing, packing.Facts{ShipDay: march, Tier: "platinum"}, []packing.InsertKind{packing.ThankYou}},
		{"Līgo", p, packing.Facts{ShipDay: calendar.MustParseDay("2027-06-20"), FirstOrder: true},
			[]packing.InsertKind{packing.ThankYou, packing.HolidayCard, packing.Souvenir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kinds(packing.Inserts(tt.p, lv, tt.facts)); !slices.Equal(got, tt.want) {
				t.Errorf("Inserts = %v, want %v", got, tt.want)
			}
		})
	}

	// A tier's souvenir names the card in the packer's language; a tier
	// the settings do not describe, by its code.
	for _, tt := range []struct {
		facts packing.Facts
		lang  i18n.Lang
		want  string
	}{
		{packing.Facts{ShipDay: march, Tier: "gold", Card: gold}, i18n.RU, "Уровень программы лояльности: Золотая карта."},
		{packing.Facts{ShipDay: march, Tier: "gold", Card: gold}, i18n.LV, "Lojalitātes līmenis: Zelta karte."},
		{packing.Facts{ShipDay: march, Tier: "gold"}, i18n.EN, "Loyalty tier: gold."},
	} {
		if got := packing.Inserts(p, lv, tt.facts)[1].Why(tt.lang); got != tt.want {
			t.Errorf("%s reason of a %s souvenir = %q, want %q", tt.lang, tt.facts.Tier, got, tt.want)
		}
	}

	card := packing.Inserts(p, lv, packing.Facts{ShipDay: calendar.MustParseDay("2027-06-20")})[1]
	for lang, want := range map[i18n.Lang][2]string{
		i18n.EN: {"Holiday card: Midsummer (Līgo)", "Ships on Sunday 20 Jun, 3 days before Midsummer (Līgo)."},
		i18n.RU: {"Праздничная открытка: Лиго", "Отправка в воскресенье, 20 июня, за 3 дня до праздника «Лиго»."},
		i18n.LV: {"Svētku kartīte: Līgo un Jāņi", "Sūtām svētdien, 20. jūnijā, 3 dienas pirms svētkiem „Līgo un Jāņi”."},
	} {
		if got := card.Label(lang); got != want[0] {
			t.Errorf("%s label = %q, want %q", lang, got, want[0])
		}
		if got := card.Why(lang); got != want[1] {
			t.Errorf("%s reason = %q, want %q", lang, got, want[1])
		}
	}
	ru := mustCalendar(t, "RU")
	for _, tt := range []struct {
		day, want string
	}{
		{"2026-12-11", "за 21 день до праздника «Новый год»"},
		{"2026-12-20", "за 12 дней до праздника «Новый год»"},
		{"2026-12-29", "за 3 дня до праздника «Новый год»"},
		{"2027-01-10", "через 2 дня после праздника «Новый год»"},
	} {
		ins := packing.Inserts(p, ru, packing.Facts{ShipDay: calendar.MustParseDay(tt.day)})
		if len(ins) != 2 {
			t.Fatalf("%s: inserts %v, want a holiday card", tt.day, kinds(ins))
		}
		if got := ins[1].Why(i18n.RU); !strings.Contains(got, tt.want) {
			t.Errorf("%s: reason %q, want it to say %q", tt.day, got, tt.want)
		}
	}
}
