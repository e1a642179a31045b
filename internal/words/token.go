package words

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/i18n"
)

// Words splits text into its lower-case words: runs of letters and
// digits, each cut to maxWord letters.
func Words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, f := range fields {
		if utf8.RuneCountInString(f) > maxWord {
			fields[i] = string([]rune(f)[:maxWord])
		}
	}
	return fields
}

// Terms are the stems of text's words in lang that say something: words
// such as "how", «как», "kā" match every answer and are left out.
func Terms(lang i18n.Lang, text string) []string {
	var out []string
	for _, w := range Words(text) {
		if StopWord(lang, w) {
			continue
		}
		out = append(out, Stem(lang, w))
	}
	return out
}
