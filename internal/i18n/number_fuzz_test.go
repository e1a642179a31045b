package i18n_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/i18n"
)

// FuzzFormatters: the formatters are total — any amount, currency code,
// duration, share and holiday name gives a valid, non-empty text in every
// language, never a panic, so one stored row can never break a page.
func FuzzFormatters(f *testing.F) {
	f.Add(int64(48900), "RUB", int64(96900e9), 0.873, "New Year holidays (observed)")
	f.Add(int64(-1<<63), "", int64(-1<<63), -1e300, "; (")
	f.Add(int64(1<<63-1), "XYZ", int64(1<<63-1), 1e308, "Labour Day; ")
	f.Fuzz(func(t *testing.T, minor int64, cur string, d int64, share float64, holiday string) {
		for _, lang := range append(i18n.Langs(), "de") {
			for _, s := range []string{i18n.Money(lang, minor, cur), i18n.Duration(lang, time.Duration(d)),
				i18n.DueIn(lang, time.Duration(d)), i18n.Percent(lang, share), i18n.Number(lang, minor)} {
				if s == "" {
					t.Fatalf("%s: an empty text for %d %q %d %v", lang, minor, cur, d, share)
				}
			}
			if h := i18n.HolidayName(lang, holiday); utf8.ValidString(holiday) && !utf8.ValidString(h) {
				t.Fatalf("%s: HolidayName(%q) = %q", lang, holiday, h)
			}
		}
	})
}
