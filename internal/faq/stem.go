package faq

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"

	"github.com/shopcare/shopcare/internal/i18n"
)

// maxWord bounds the length of a word that is stemmed: longer runs of
// letters are no words a customer asks about, and the stemmers' work
// grows with them.
const maxWord = 40

// Stem returns the stem of one lower-case word in lang: the same for the
// word's grammatical forms (доставка, доставки, доставкой → доставк;
// piegāde, piegādes, piegādi → piegād).
func Stem(lang i18n.Lang, word string) string {
	switch lang {
	case i18n.RU:
		return russian.Stem(strings.ReplaceAll(word, "ё", "е"), true)
	case i18n.LV:
		return stemLatvian(word)
	default:
		return english.Stem(word, true)
	}
}

// Words splits text into its lower-case words: runs of letters and
// digits, each cut to maxWord letters.
func Words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, f := range fields {
		if r := []rune(f); len(r) > maxWord {
			fields[i] = string(r[:maxWord])
		}
	}
	return fields
}

// Terms are the stems of text's words in lang that say something: words
// such as "how", «как», "kā" match every answer and are left out.
func Terms(lang i18n.Lang, text string) []string {
	var out []string
	for _, w := range Words(text) {
		if stopWord(lang, w) {
			continue
		}
		out = append(out, Stem(lang, w))
	}
	return out
}

// stopWord says whether w is a word of lang too common to search by.
func stopWord(lang i18n.Lang, w string) bool {
	switch lang {
	case i18n.RU:
		return russian.IsStopWord(strings.ReplaceAll(w, "ё", "е"))
	case i18n.LV:
		_, ok := latvianStopWords[w]
		return ok
	default:
		return english.IsStopWord(w)
	}
}

// latvianStopWords are Latvian's commonest function words: pronouns,
// prepositions, conjunctions and the forms of "to be".
var latvianStopWords = map[string]struct{}{
	"un": {}, "vai": {}, "bet": {}, "ja": {}, "jā": {}, "ka": {}, "kā": {}, "kas": {}, "kad": {}, "kur": {},
	"kāpēc": {}, "cik": {}, "ar": {}, "bez": {}, "par": {}, "pie": {}, "no": {}, "uz": {}, "līdz": {}, "pēc": {},
	"pa": {}, "priekš": {}, "iekš": {}, "ir": {}, "nav": {}, "būs": {}, "bija": {}, "es": {}, "tu": {}, "viņš": {},
	"viņa": {}, "mēs": {}, "jūs": {}, "viņi": {}, "man": {}, "mans": {}, "mana": {}, "jūsu": {}, "to": {}, "tā": {},
	"tas": {}, "tie": {}, "šis": {}, "šī": {}, "arī": {}, "vēl": {}, "jau": {}, "ne": {}, "nē": {}, "var": {},
	"varu": {}, "es varu": {}, "lai": {}, "tad": {}, "te": {}, "tur": {}, "kādi": {}, "kāda": {}, "kāds": {},
}
