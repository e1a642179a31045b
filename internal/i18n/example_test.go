package i18n_test

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
)

func ExampleDays() {
	for _, lang := range i18n.Langs() {
		fmt.Println(i18n.Days(lang, 1), "/", i18n.Days(lang, 2), "/", i18n.Days(lang, 11), "/", i18n.Days(lang, 21))
	}
	// Output:
	// 1 day / 2 days / 11 days / 21 days
	// 1 день / 2 дня / 11 дней / 21 день
	// 1 diena / 2 dienas / 11 dienu / 21 diena
}

func ExampleFormatRange() {
	from, to := calendar.MustParseDay("2026-12-03"), calendar.MustParseDay("2026-12-05")
	lang := i18n.Pick("ru-RU", i18n.EN)
	fmt.Println("Доставка:", i18n.FormatRange(lang, from, to))
	// Output:
	// Доставка: четверг, 3 декабря – суббота, 5 декабря
}

func ExampleText() {
	fmt.Println(i18n.Text(i18n.LV, "working_days", map[string]any{"Count": 5}))
	fmt.Println(i18n.Text(i18n.LV, "no_such_message", nil))
	// Output:
	// 5 darba dienas
	// [no_such_message]
}
