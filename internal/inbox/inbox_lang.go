package inbox

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// detectOptions restricts detection to the languages shopcare writes in.
var detectOptions = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
	whatlanggo.Rus: true, whatlanggo.Lav: true, whatlanggo.Eng: true}}

// latvianLetters are letters only Latvian, of the three, writes.
const latvianLetters = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ"

// Supported tells whether lang is one shopcare writes in.
func Supported(lang string) bool { return lang == "ru" || lang == "lv" || lang == "en" }

// detectLanguage returns ru, lv or en for a text long enough to tell,
// else "": Cyrillic is Russian, Latvian's own letters are Latvian, and
// between Latvian and English without them the trigram detector decides
// when it is confident.
func detectLanguage(text string) string {
	if len(text) > 2000 {
		text = text[:2000]
		for !utf8.ValidString(text) && len(text) > 0 {
			text = text[:len(text)-1]
		}
	}
	letters, cyrillic := 0, 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Cyrillic, r) {
				cyrillic++
			}
		}
	}
	switch {
	case letters < 3:
		return ""
	case cyrillic*2 > letters:
		return "ru"
	case strings.ContainsAny(text, latvianLetters):
		return "lv"
	}
	info := whatlanggo.DetectWithOptions(text, detectOptions)
	if info.Confidence < 0.5 {
		return ""
	}
	if code := info.Lang.Iso6391(); Supported(code) {
		return code
	}
	return ""
}
