package campaign

import (
	"regexp"
	"strings"
)

// The postal codes of a delivery address, most specific first: a
// country-prefixed code (LV-1010, LT-01100, EE 10111), a Russian,
// Belarusian or Kazakh six-digit index (125009), a five-digit code
// (Estonia, Lithuania, Germany, Finland); a four-digit number alone is too
// often a house or flat number to be trusted.
var postalPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?:^|[^\pL\pN])(\pL\pL)[ \-]?(\d{4,5})(?:$|[^\pN])`),
	regexp.MustCompile(`(?:^|[^\pN])(\d{6})(?:$|[^\pN])`),
	regexp.MustCompile(`(?:^|[^\pN])(\d{5})(?:$|[^\pN])`),
}

// postalCode reads the postal code out of a one-line delivery address,
// normalised for sorting ("lv 1010" is "LV-1010"); "" when it has none.
func postalCode(address string) string {
	if m := postalPatterns[0].FindStringSubmatch(address); m != nil {
		prefix := strings.ToUpper(m[1])
		if isCountryPrefix(prefix) {
			return prefix + "-" + m[2]
		}
	}
	for _, re := range postalPatterns[1:] {
		if m := re.FindStringSubmatch(address); m != nil {
			return m[1]
		}
	}
	return ""
}

// isCountryPrefix is whether p is a country code the Baltic and Nordic
// posts write before their postal codes.
func isCountryPrefix(p string) bool {
	switch p {
	case "LV", "LT", "EE", "FI", "SE", "DK", "PL", "DE", "NO":
		return true
	}
	return false
}
