package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/shopcare/shopcare/internal/calendar"
)

// TemplateFuncs are the functions of the shop's message templates, bound
// to a language: the journey's messages (package playbook) and the
// campaigns' content (package campaign) share them, so a shop writes
// {{on .Promise.Ship}} or {{plural .N …}} the same way in both.
func TemplateFuncs(lang Lang) template.FuncMap {
	tag := language.MustParse(string(lang))
	return template.FuncMap{
		// day: "пятница, 4 декабря"
		"day": func(d calendar.Day) string { return FormatDay(lang, d) },
		// on: "в пятницу, 4 декабря"
		"on": func(d calendar.Day) string { return FormatOnDay(lang, d) },
		// between: "с 3 по 5 декабря", or "в пятницу, 4 декабря" for one day
		"between": func(from, to calendar.Day) string { return FormatOnRange(lang, from, to) },
		// window: "четверг, 3 декабря – суббота, 5 декабря"
		"window": func(from, to calendar.Day) string { return FormatRange(lang, from, to) },
		// days: "5 дней"; dayRange: "5–7 дней"
		"days":     func(n int) string { return Days(lang, n) },
		"dayRange": func(lo, hi int, working bool) string { return DayRange(lang, lo, hi, working) },
		// plural: {{plural .N "one:балл" "few:балла" "many:баллов"}} → "5 баллов"
		"plural": func(n int, forms ...string) (string, error) { return pluralForm(tag, n, forms) },
		// capitalize: the first letter upper-cased, for a date that opens a sentence
		"capitalize": func(s string) string {
			r, size := utf8.DecodeRuneInString(s)
			return string(unicode.ToUpper(r)) + s[size:]
		},
	}
}

// pluralForm picks the form of n by the CLDR cardinal rule of the
// language; forms are "category:text" with the categories zero, one, two,
// few, many, other. A missing category falls back to other.
func pluralForm(tag language.Tag, n int, forms []string) (string, error) {
	byForm := map[string]string{}
	for _, f := range forms {
		cat, text, ok := strings.Cut(f, ":")
		if !ok {
			return "", fmt.Errorf("plural form %q must look like one:day", f)
		}
		byForm[cat] = text
	}
	abs := max(n, -n)
	cat := [...]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two",
		plural.Few: "few", plural.Many: "many"}[plural.Cardinal.MatchPlural(tag, abs, 0, 0, 0, 0)]
	text, ok := byForm[cat]
	if !ok {
		text, ok = byForm["other"]
	}
	if !ok {
		return "", fmt.Errorf("no plural form %q (nor other) for %d", cat, n)
	}
	return strconv.Itoa(n) + " " + text, nil
}
