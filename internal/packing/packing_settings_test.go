package packing_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

// TestSettings: the packing keys of the shop settings, their defaults and
// the errors that name a wrong one.
func TestSettings(t *testing.T) {
	t.Parallel()
	def := config.Default().Packing
	if !slices.Equal(def.Checklist, config.ChecklistKeys) || !def.Souvenir.FirstOrder || len(def.HolidayCards) != 4 {
		t.Errorf("defaults: %+v", def)
	}
	s, err := config.Parse([]byte(strings.Join([]string{
		"packing:",
		`  checklist: [" tape ", "Наклейка «Хрупкое»"]`,
		"  holiday_cards:",
		"    - {holiday: Victory Day, before: 5}",
		"  souvenir: {tiers: [gold]}",
	}, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Packing
	if !slices.Equal(p.Checklist, []string{"tape", "Наклейка «Хрупкое»"}) ||
		!slices.Equal(p.HolidayCards, []config.HolidayWindow{{Holiday: "Victory Day", Before: 5}}) ||
		!p.Souvenir.FirstOrder || !slices.Equal(p.Souvenir.Tiers, []string{"gold"}) {
		t.Errorf("parsed: %+v", p)
	}
	if s, err := config.Parse([]byte("packing:\n  checklist: []\n")); err != nil || len(s.Packing.Checklist) != 0 {
		t.Errorf("an empty checklist: %v, %v", s.Packing.Checklist, err)
	}

	_, err = config.Parse([]byte(strings.Join([]string{
		"packing:",
		`  checklist: [tape, "", tape]`,
		"  holiday_cards:",
		"    - {holiday: '', before: -1, after: 61}",
		"  souvenir: {tiers: [' ']}",
	}, "\n")))
	if err == nil {
		t.Fatal("wrong packing settings were accepted")
	}
	for _, key := range []string{"packing.checklist[1]", "packing.checklist[2]", "packing.holiday_cards[0].holiday",
		"packing.holiday_cards[0].before", "packing.holiday_cards[0].after", "packing.souvenir.tiers[0]"} {
		if !strings.Contains(err.Error(), key+":") {
			t.Errorf("the error does not name %s: %v", key, err)
		}
	}
}
