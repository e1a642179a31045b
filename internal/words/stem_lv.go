package words

import "strings"

// The Latvian stemmer is a light one, after the approach of Kārlis
// Kreslins' "A stemming algorithm for Latvian" as Lucene's light
// LatvianStemmer applies it: only the inflectional endings of nouns and
// adjectives (case, number, gender, definiteness) are stripped, one
// ending, the longest that fits, and only when enough of the word is left
// to be a stem. Verbs are left alone: a customer asks about piegāde,
// atgriešana, punkti, not about conjugations.

// latvianEndings, longest first, so that "ajiem" is tried before "iem"
// and "em": definite adjectives (-ais, -ajam, -ajā…), then the noun
// declensions' plural and singular endings. An ending is stripped only
// when the stem left has three letters and a vowel: a short word keeps an
// ending that would leave no syllable ("kas", "tas" stay as they are).
var latvianEndings = []string{
	"ajiem", "ajai", "ajam", "ajām", "ajos", "ajās",
	"iem", "ajā", "ais",
	"ām", "ēm", "īm", "ūm", "am", "im",
	"as", "es", "is", "os", "us", "ās", "ēs", "īs",
	"ai", "ei",
	"a", "e", "i", "u", "ā", "ē", "ī", "ū", "o", "s", "š",
}

// latvianPalatal undoes the consonant changes (palatalisation) some
// endings cause: lācis → lāču, brālis → brāļa, zvaigzne → zvaigžņu,
// ziņa → ziņas. It is applied at the end of every stem, not only after
// the endings of declensions II, V and VI as the thesis has it: what
// matters for search is that a question's word and an answer's word in
// two forms end up equal, and a rare pair of different words made equal
// costs less than a missed answer. d/z → ž and t/s → š are left as they
// are, since the stem cannot tell which it was.
var latvianPalatal = []struct{ from, to string }{
	{"šņ", "sn"}, {"žņ", "zn"}, {"šļ", "sl"}, {"žļ", "zl"}, {"ļņ", "ln"}, {"ļļ", "ll"},
	{"pj", "p"}, {"bj", "b"}, {"mj", "m"}, {"vj", "v"},
	{"č", "c"}, {"ļ", "l"}, {"ņ", "n"},
}

// stemLatvian returns the stem of a lower-case Latvian word.
func stemLatvian(word string) string {
	for _, e := range latvianEndings {
		stem, ok := strings.CutSuffix(word, e)
		if !ok || len([]rune(stem)) < 3 || latvianVowels(stem) == 0 {
			continue
		}
		word = stem
		break
	}
	for _, p := range latvianPalatal {
		if s, ok := strings.CutSuffix(word, p.from); ok {
			return s + p.to
		}
	}
	return word
}

// latvianVowels counts the vowels (long and short) of s.
func latvianVowels(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case 'a', 'e', 'i', 'o', 'u', 'ā', 'ē', 'ī', 'ū':
			n++
		}
	}
	return n
}
