package order

import (
	"unicode"
	"unicode/utf8"
)

// MaxVariantID bounds an order line's VariantID: platforms' ids are
// numbers or short GIDs, far below it.
const MaxVariantID = 64

// CheckVariantID says what is wrong with a line's platform id v, or ""
// when it is fine: at most MaxVariantID bytes of printable characters
// without spaces, as it goes into a cart link. "" (unknown) is fine.
func CheckVariantID(v string) string {
	if len(v) > MaxVariantID {
		return "must be at most 64 characters"
	}
	if !utf8.ValidString(v) {
		return "must be text (UTF-8)"
	}
	for _, r := range v {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return "must be printable characters without spaces, such as 44102623193251"
		}
	}
	return ""
}
