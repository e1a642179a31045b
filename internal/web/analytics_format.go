package web

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/money"
)

// numbers writes the figures of the analytics pages the way the
// viewer's language does: "1,234.50" in English, "1 234,50" in Russian
// and Latvian (a no-break space between the thousands). The pages call
// its methods: {{$.N.Int .Orders}}, {{$.N.Money .Revenue}}.
type numbers struct {
	lang     i18n.Lang
	currency string
}

// nbsp keeps a number and its unit (or its thousands) on one line.
const nbsp = "\u00a0"

func (n numbers) separators() (group, decimal string) {
	if n.lang == i18n.EN {
		return ",", "."
	}
	return nbsp, ","
}

// Int writes a whole number, an int or an int64 as the figures come:
// 12345 → "12,345" or "12 345".
func (n numbers) Int(v any) string {
	switch i := v.(type) {
	case int64:
		return n.decimal(strconv.FormatInt(i, 10))
	case int:
		return n.decimal(strconv.Itoa(i))
	}
	return fmt.Sprint(v)
}

// Dec writes a number with one decimal: 1.25 → "1.3" or "1,3".
func (n numbers) Dec(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return n.decimal(strconv.FormatFloat(v, 'f', 1, 64))
}

// Pct writes a share as a whole percentage: 0.873 → "87%" or "87 %".
func (n numbers) Pct(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	s := strconv.Itoa(int(math.Round(share * 100)))
	if n.lang == i18n.EN {
		return s + "%"
	}
	return s + nbsp + "%"
}

// Money writes an amount of the shop's currency as analytics gives it
// ("1234.50") as i18n.Money does: "RUB 1,234.50", "1 234,50 ₽".
func (n numbers) Money(v json.Number) string {
	return n.MoneyIn(v, n.currency)
}

// MoneyIn writes an amount of another currency.
func (n numbers) MoneyIn(v json.Number, currency string) string {
	if v == "" {
		return "—"
	}
	if minor, err := money.Parse(string(v), money.Scale(currency)); err == nil {
		return i18n.Money(n.lang, minor, currency)
	}
	return n.decimal(string(v)) + nbsp + currency
}

// decimal regroups a plain decimal ("-1234.5") by the language's
// separators; what is not a plain decimal is returned as it is.
func (n numbers) decimal(s string) string {
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "-", rest
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return sign + s
	}
	group, dec := n.separators()
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// MoneyOr writes an amount that may be absent (a CAC without spend) as
// "—".
func (n numbers) MoneyOr(v *json.Number) string {
	if v == nil {
		return "—"
	}
	return n.Money(*v)
}

// Ratio writes a multiple that may be absent: 2.34 → "2.3×", nil → "—".
func (n numbers) Ratio(v *float64) string {
	if v == nil {
		return "—"
	}
	return n.Dec(*v) + "×"
}

// Payback writes the months a channel's customers took to pay back
// their CAC: "in the first month", "3 months", or "—" when not yet.
func (n numbers) Payback(months *int) string {
	switch {
	case months == nil:
		return "—"
	case *months == 0:
		return i18n.Text(n.lang, "analytics.channels.payback_first", nil)
	}
	return i18n.Text(n.lang, "analytics.channels.payback", map[string]any{"Count": *months})
}

// Round writes a count that comes as a float (an alert's orders) whole.
func (n numbers) Round(v float64) int64 { return int64(math.Round(v)) }
