package i18n

import "strings"

// Lang is a language a customer can be written to in. Its value is the
// ISO 639-1 code, which is also the name of its locale file.
type Lang string

// The languages shopcare writes in.
const (
	EN Lang = "en"
	RU Lang = "ru"
	LV Lang = "lv"
)

// Langs returns every supported language, English first. The slice is new
// on each call, so callers may change it.
func Langs() []Lang { return []Lang{EN, RU, LV} }

// Parse reads a language tag as shops and browsers send it — "ru", "RU",
// "ru-RU", "lv_LV", "en-GB" — by its primary subtag; the region is ignored.
// It reports false, with an empty Lang, for a language shopcare does not
// write in.
func Parse(tag string) (Lang, bool) {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	switch l := Lang(strings.ToLower(tag)); l {
	case EN, RU, LV:
		return l, true
	}
	return "", false
}

// Pick returns the language of tag, or fallback when Parse does not know it.
func Pick(tag string, fallback Lang) Lang {
	if l, ok := Parse(tag); ok {
		return l
	}
	return fallback
}

// known returns lang, or EN for a Lang this package has no texts for.
func known(lang Lang) Lang {
	switch lang {
	case EN, RU, LV:
		return lang
	}
	return EN
}
