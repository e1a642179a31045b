package words

import (
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"

	"github.com/shopcare/shopcare/internal/i18n"
)

// StopWord says whether w, a lower-case word, is a word of lang too
// common to search by: pronouns, prepositions, conjunctions, "to be".
func StopWord(lang i18n.Lang, w string) bool {
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

// fillers are words a customer's free text is full of that name no theme:
// intensifiers, thanks, "everything", "all", "good" without what was good
// is kept (it is what a customer liked). Themes leave them out besides
// the stop words; the search does not, a question may well hold them.
var fillers = map[i18n.Lang]map[string]struct{}{
	i18n.RU: set("очень", "всё", "все", "это", "этот", "эта", "просто", "спасибо", "благодарю", "вообще", "всегда",
		"ещё", "еще", "уже", "так", "также", "тоже", "был", "была", "было", "были", "будет", "вот", "там", "тут",
		"который", "которая", "которые", "мой", "моя", "мои", "ваш", "ваша", "ваши", "наш", "весь", "всего"),
	i18n.LV: set("ļoti", "viss", "visi", "visu", "paldies", "vienmēr", "tikai", "kā", "tāpat", "šo", "šī", "tās",
		"bija", "būtu", "esmu", "esam", "ir", "manu", "jūsu", "savu", "kas", "kurš", "kura", "tomēr", "vairāk", "tik"),
	i18n.EN: set("very", "really", "just", "thanks", "thank", "everything", "all", "also", "always", "much", "so",
		"would", "could", "get", "got", "one", "well", "quite", "bit", "lot", "us", "please"),
}

// negations turn the word after them around; a theme keeps the two as one
// word ("не пришёл", "nav atnācis", "not fresh").
var negations = map[i18n.Lang]map[string]struct{}{
	i18n.RU: set("не", "нет", "ни"),
	i18n.LV: set("ne", "nav", "nebija"),
	i18n.EN: set("not", "no", "never", "didn't", "didn", "don't", "don", "wasn't", "wasn", "isn't", "isn", "nt"),
}

func set(ws ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(ws))
	for _, w := range ws {
		m[w] = struct{}{}
	}
	return m
}

// filler says whether w is a stop word or a filler of lang: no theme.
func filler(lang i18n.Lang, w string) bool {
	if _, ok := fillers[lang][w]; ok {
		return true
	}
	return StopWord(lang, w)
}

// negation says whether w turns the next word around in lang.
func negation(lang i18n.Lang, w string) bool {
	_, ok := negations[lang][w]
	return ok
}
