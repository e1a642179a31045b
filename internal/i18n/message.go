package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

//go:embed locales/*.yaml
var localeFS embed.FS

// localizers holds one go-i18n localizer per language. They are built once
// at init from the embedded files and only read afterwards, which go-i18n
// allows from many goroutines.
var localizers = mustLoad()

// mustLoad parses the locale files into one bundle. It panics on a broken
// file: the files are compiled in, so a bad one is a programming error the
// tests catch, and starting without texts would only fail later.
func mustLoad() map[Lang]*goi18n.Localizer {
	b, err := loadBundle()
	if err != nil {
		panic(err)
	}
	ls := make(map[Lang]*goi18n.Localizer, len(Langs()))
	for _, l := range Langs() {
		ls[l] = goi18n.NewLocalizer(b, string(l))
	}
	return ls
}

// loadBundle parses locales/<lang>.yaml for every language. English is the
// bundle's default, so an id missing in one translation shows in English.
func loadBundle() (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range Langs() {
		names, err := LocaleFiles(localeFS, l)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			buf, err := localeFS.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read locale %s: %w", l, err)
			}
			if _, err := b.ParseMessageFileBytes(buf, name); err != nil {
				return nil, fmt.Errorf("parse locale %s: %w", name, err)
			}
		}
	}
	return b, nil
}

// LocaleFiles lists the files of one language: locales/<lang>.yaml, the
// customer's texts, and locales/<part>.<lang>.yaml, one per part of the
// product (admin.en.yaml: the shop's workspace), so that features keep
// their texts apart.
func LocaleFiles(fsys fs.FS, l Lang) ([]string, error) {
	parts, err := fs.Glob(fsys, path.Join("locales", "*."+string(l)+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("list locales %s: %w", l, err)
	}
	return append([]string{path.Join("locales", string(l)+".yaml")}, parts...), nil
}

// Text returns message id in lang, with the {{.Name}} placeholders filled
// from data. When data has "Count" (an int, or a decimal string such as
// "1.5"), the plural form of the message is chosen by the CLDR rule of lang;
// Count is also a placeholder like any other.
//
// An id no locale file has yields "[id]", so a missing text shows up in a
// rendered message instead of silently vanishing; the tests check that every
// id the code uses exists. An id missing in only one translation falls back
// to English.
func Text(lang Lang, id string, data map[string]any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = n
	}
	msg, err := localizers[known(lang)].Localize(cfg)
	if msg == "" && err != nil {
		return "[" + id + "]"
	}
	return msg
}

// Days returns n calendar days as a phrase standing alone: "3 days",
// "3 дня", "3 dienas".
func Days(lang Lang, n int) string {
	return Text(lang, "days", map[string]any{"Count": n})
}

// WorkingDays returns n working days as a phrase standing alone:
// "2 working days", "2 рабочих дня", "2 darba dienas".
func WorkingDays(lang Lang, n int) string {
	return Text(lang, "working_days", map[string]any{"Count": n})
}

// DayRange returns lo to hi days as a phrase standing alone: "2 days",
// "5–7 дней", "3 darba dienas" (working days when working).
func DayRange(lang Lang, lo, hi int, working bool) string {
	words := Days
	if working {
		words = WorkingDays
	}
	if lo == hi {
		return words(lang, hi)
	}
	// "5–7 дней": the noun agrees with the last number.
	return strconv.Itoa(lo) + "–" + words(lang, hi)
}
