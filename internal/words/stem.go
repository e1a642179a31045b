package words

import (
	"strings"

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
