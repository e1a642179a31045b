package i18n_test

import (
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
)

// pluralCounts are the numbers every plural table below is checked at: each
// CLDR category of ru and lv, the teens that break the "last digit" rule
// (11, 12, 111) and their neighbours (21, 22, 101).
var pluralCounts = []int{0, 1, 2, 3, 4, 5, 10, 11, 12, 14, 20, 21, 22, 25, 101, 111, 1000}

func TestDays(t *testing.T) {
	t.Parallel()
	want := map[i18n.Lang][]string{
		i18n.EN: {"0 days", "1 day", "2 days", "3 days", "4 days", "5 days", "10 days", "11 days",
			"12 days", "14 days", "20 days", "21 days", "22 days", "25 days", "101 days", "111 days", "1000 days"},
		// one: 1, 21, 101; few: 2–4, 22; many: 0, 5–20, 25, 111, 1000.
		i18n.RU: {"0 дней", "1 день", "2 дня", "3 дня", "4 дня", "5 дней", "10 дней", "11 дней",
			"12 дней", "14 дней", "20 дней", "21 день", "22 дня", "25 дней", "101 день", "111 дней", "1000 дней"},
		// zero (genitive plural): 0, 10–20, 111, 1000; one: 1, 21, 101;
		// other (nominative plural): 2–5, 22, 25.
		i18n.LV: {"0 dienu", "1 diena", "2 dienas", "3 dienas", "4 dienas", "5 dienas", "10 dienu", "11 dienu",
			"12 dienu", "14 dienu", "20 dienu", "21 diena", "22 dienas", "25 dienas", "101 diena", "111 dienu", "1000 dienu"},
	}
	checkPlurals(t, "Days", i18n.Days, want)
}

func TestWorkingDays(t *testing.T) {
	t.Parallel()
	want := map[i18n.Lang][]string{
		i18n.EN: {"0 working days", "1 working day", "2 working days", "3 working days", "4 working days",
			"5 working days", "10 working days", "11 working days", "12 working days", "14 working days",
			"20 working days", "21 working days", "22 working days", "25 working days", "101 working days",
			"111 working days", "1000 working days"},
		i18n.RU: {"0 рабочих дней", "1 рабочий день", "2 рабочих дня", "3 рабочих дня", "4 рабочих дня",
			"5 рабочих дней", "10 рабочих дней", "11 рабочих дней", "12 рабочих дней", "14 рабочих дней",
			"20 рабочих дней", "21 рабочий день", "22 рабочих дня", "25 рабочих дней", "101 рабочий день",
			"111 рабочих дней", "1000 рабочих дней"},
		i18n.LV: {"0 darba dienu", "1 darba diena", "2 darba dienas", "3 darba dienas", "4 darba dienas",
			"5 darba dienas", "10 darba dienu", "11 darba dienu", "12 darba dienu", "14 darba dienu",
			"20 darba dienu", "21 darba diena", "22 darba dienas", "25 darba dienas", "101 darba diena",
			"111 darba dienu", "1000 darba dienu"},
	}
	checkPlurals(t, "WorkingDays", i18n.WorkingDays, want)
}

func checkPlurals(t *testing.T, name string, f func(i18n.Lang, int) string, want map[i18n.Lang][]string) {
	t.Helper()
	for _, lang := range i18n.Langs() {
		if len(want[lang]) != len(pluralCounts) {
			t.Fatalf("%s: table for %s has %d rows, want %d", name, lang, len(want[lang]), len(pluralCounts))
		}
		for i, n := range pluralCounts {
			if got := f(lang, n); got != want[lang][i] {
				t.Errorf("%s(%s, %d) = %q, want %q", name, lang, n, got, want[lang][i])
			}
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang i18n.Lang
		id   string
		data map[string]any
		want string
	}{
		{i18n.RU, "days", map[string]any{"Count": 3}, "3 дня"},
		{i18n.RU, "days", map[string]any{"Count": int64(25)}, "25 дней"},
		// A fraction takes the genitive singular in Russian ("other").
		{i18n.RU, "days", map[string]any{"Count": "1.5"}, "1.5 дня"},
		{i18n.RU, "working_days", map[string]any{"Count": "2.5"}, "2.5 рабочего дня"},
		{i18n.LV, "days", map[string]any{"Count": 19}, "19 dienu"},
		{i18n.EN, "days", map[string]any{"Count": 1}, "1 day"},
		// A Lang without texts reads English.
		{"de", "days", map[string]any{"Count": 2}, "2 days"},
		{"", "working_days", map[string]any{"Count": 1}, "1 working day"},
		{i18n.RU, "no_such_message", nil, "[no_such_message]"},
		{i18n.LV, "no_such_message", map[string]any{"Count": 2}, "[no_such_message]"},
		// A Count that is not a number cannot pick a form.
		{i18n.RU, "days", map[string]any{"Count": "many"}, "[days]"},
	}
	for _, tt := range tests {
		if got := i18n.Text(tt.lang, tt.id, tt.data); got != tt.want {
			t.Errorf("Text(%s, %q, %v) = %q, want %q", tt.lang, tt.id, tt.data, got, tt.want)
		}
	}
}

func TestTextConcurrent(t *testing.T) {
	t.Parallel()
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for n := range 200 {
				lang := i18n.Langs()[(g+n)%3]
				ok = ok && i18n.Days(lang, n) != "" && i18n.WorkingDays(lang, n) == i18n.Text(lang, "working_days", map[string]any{"Count": n})
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent texts differ")
		}
	}
}

func BenchmarkDays(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_ = i18n.Days(i18n.RU, i%200)
	}
}
