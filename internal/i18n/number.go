package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// nbsp joins a number to its unit and groups digits in Russian and
// Latvian, as CLDR has it, so that "1 234,50 €" never breaks at a line end.
const nbsp = "\u00a0"

// numberStyle is how a language writes a decimal number and an amount of
// money: CLDR's symbols and currency pattern of the language.
type numberStyle struct {
	group, decimal string
	// symbolFirst is CLDR's "¤#,##0.00" (English); otherwise
	// "#,##0.00 ¤" (Russian, Latvian), the symbol after a no-break space.
	symbolFirst bool
}

var numberStyles = map[Lang]numberStyle{
	EN: {group: ",", decimal: ".", symbolFirst: true},
	RU: {group: nbsp, decimal: ","},
	LV: {group: nbsp, decimal: ","},
}

// Money returns an amount of minor units (kopecks, cents) in its currency
// as the language writes money: "489,00 ₽" and "34,50 €" in Russian,
// "34,50 €" in Latvian, "€34.50" and "RUB 489.00" in English. The symbol
// is CLDR's for the language (golang.org/x/text/currency); the pattern is
// CLDR's too, which x/text's formatter does not follow (it always puts the
// symbol first). A code that is not an ISO 4217 currency is written as
// given with two decimals. Money never fails: any int64 is written.
func Money(lang Lang, minor int64, code string) string {
	lang = known(lang)
	st := numberStyles[lang]
	scale, sym := 2, code
	if unit, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(unit)
		sym = message.NewPrinter(language.Make(string(lang))).Sprint(currency.Symbol(unit))
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-(minor + 1)) + 1 // safe for math.MinInt64
	}
	p := uint64(1)
	for range scale {
		p *= 10
	}
	num := group(strconv.FormatUint(u/p, 10), st.group)
	if scale > 0 {
		frac := strconv.FormatUint(u%p, 10)
		num += st.decimal + strings.Repeat("0", scale-len(frac)) + frac
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if st.symbolFirst {
		// CLDR's currency spacing: a symbol ending in a letter ("RUB") is
		// set apart from the digits.
		if r, _ := utf8.DecodeLastRuneInString(sym); unicode.IsLetter(r) {
			sym += nbsp
		}
		return sign + sym + num
	}
	return sign + num + nbsp + sym
}

// Number returns n with the language's digit grouping: "12,345",
// "12 345".
func Number(lang Lang, n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + group(s[1:], numberStyles[known(lang)].group)
	}
	return group(s, numberStyles[known(lang)].group)
}

// Percent returns a share (0.873) as a whole percentage the way the
// language writes it: "87%", "87 %" (Russian), "87%" (Latvian). A share
// that is not a number reads "–".
func Percent(lang Lang, share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "–"
	}
	v := math.Round(share * 100)
	v = math.Max(math.Min(v, 1e15), -1e15)
	s := Number(lang, int64(v))
	if known(lang) == RU {
		return s + nbsp + "%"
	}
	return s + "%"
}

// group puts sep between each three digits of a run of digits.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// durationUnits are the abbreviations a language writes after a number
// of days, hours and minutes: "2 d 3 h", "26 ч 55 мин", "26 st. 55 min.".
var durationUnits = map[Lang][3]string{
	EN: {"d", "h", "min"},
	RU: {"дн.", "ч", "мин"},
	LV: {"d.", "st.", "min."},
}

// Duration returns the length of d (its sign dropped) in the units a
// person reads at a glance: "25 min", "26 h 55 min", and in days and
// hours from two days on: "11 d 6 h" ("11 дн. 6 ч", "11 d. 6 st."). It
// rounds to the minute and never fails, also for the longest Duration.
func Duration(lang Lang, d time.Duration) string {
	u := durationUnits[known(lang)]
	m := d.Round(time.Minute) / time.Minute
	if m < 0 {
		m = -m
	}
	if m < 0 { // math.MinInt64 minutes cannot be negated
		m = math.MaxInt64
	}
	mins := int64(m)
	days, hours, rest := mins/(24*60), mins/60%24, mins%60
	switch {
	case days >= 2:
		s := Number(lang, days) + " " + u[0]
		if hours > 0 {
			s += " " + strconv.FormatInt(hours, 10) + " " + u[1]
		}
		return s
	case mins >= 60:
		s := strconv.FormatInt(mins/60, 10) + " " + u[1]
		if rest > 0 {
			s += " " + strconv.FormatInt(rest, 10) + " " + u[2]
		}
		return s
	}
	return strconv.FormatInt(mins, 10) + " " + u[2]
}

// DurationUnits returns the abbreviations Duration writes after days,
// hours and minutes, for a page's script that counts down in step.
func DurationUnits(lang Lang) [3]string { return durationUnits[known(lang)] }

// DueIn says how a deadline stands in words: "in 25 min" while it is
// ahead (left > 0), "overdue by 11 d 6 h" once it has passed — never a
// bare negative number.
func DueIn(lang Lang, left time.Duration) string {
	if left < 0 {
		return Text(lang, "format.overdue_by", map[string]any{"Duration": Duration(lang, left)})
	}
	return Text(lang, "format.due_in", map[string]any{"Duration": Duration(lang, left)})
}

// CarrierName names a carrier for people: the name the shop gave it
// (name, when it is not just the code), else the language's name for a
// carrier code shopcare knows ("courier" is "Курьер", "pasts" is "Latvijas
// Pasts"), else the code.
func CarrierName(lang Lang, code, name string) string {
	if name != "" && name != code {
		return name
	}
	id := "label.carrier." + code
	if s := Text(lang, id, nil); s != "["+id+"]" {
		return s
	}
	return code
}
