package order

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
)

// MaxAddressLen caps a delivery address, in characters: a long street
// address with a flat, entrance and a courier's hint fits; a pasted page
// does not.
const MaxAddressLen = 500

// TidyAddress returns a delivery address on one line: every run of white
// space (new lines and tabs a form or a platform left in) is one space,
// none at the ends. The order keeps it so; the packing slip prints it so.
func TidyAddress(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// CheckAddress returns what is wrong with delivery address s as an
// *invalid.Error naming field, or nil: at most MaxAddressLen characters
// once tidied, valid UTF-8 and no control characters (white space is
// tidied away, a NUL or an escape is not an address).
func CheckAddress(field, s string) *invalid.Error {
	s = TidyAddress(s)
	if !utf8.ValidString(s) {
		return invalid.Field(field, "invalid", "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxAddressLen {
		return invalid.Field(field, "too_long", "must be at most %d characters, not %d", MaxAddressLen, n)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return invalid.Field(field, "control", "must not contain control characters")
	}
	return nil
}
