// Package money keeps amounts exact: integers of a currency's minor unit
// (kopecks, cents), parsed from and printed as decimals, never floats.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// ErrSyntax reports text that is not a decimal number.
var ErrSyntax = errors.New("not a decimal number")

// ErrPrecision reports more decimal places than the currency has.
var ErrPrecision = errors.New("more decimal places than the currency allows")

// ErrRange reports an amount too large to hold.
var ErrRange = errors.New("amount out of range")

// Scale returns how many decimal places the currency code uses (2 for RUB
// and EUR, 0 for JPY); unknown codes get 2.
func Scale(code string) int {
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale
}

// ValidCurrency reports whether code is an ISO 4217 currency code.
func ValidCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	_, err := currency.ParseISO(code)
	return err == nil
}

// Parse reads a decimal such as "1234.5", "-3", "1 234,50" into minor units
// of a currency with the given scale. A comma is taken as the decimal
// separator when there is no dot; spaces between digit groups are allowed.
func Parse(s string, scale int) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if !strings.Contains(s, ".") && strings.Count(s, ",") == 1 {
		s = strings.Replace(s, ",", ".", 1)
	}
	if s == "" {
		return 0, ErrSyntax
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, ErrSyntax
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, ErrSyntax
			}
		}
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > scale {
		return 0, ErrPrecision
	}
	frac += strings.Repeat("0", scale-len(frac))
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return 0, nil
	}
	if len(digits) > 18 {
		return 0, ErrRange
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, ErrRange
	}
	if neg {
		v = -v
	}
	return v, nil
}

// Format prints minor units as a decimal with the given scale: 123450, 2 → "1234.50".
func Format(minor int64, scale int) string {
	if scale <= 0 {
		return strconv.FormatInt(minor, 10)
	}
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign = "-"
		u = uint64(-(minor + 1)) + 1 // safe for math.MinInt64
	}
	p := uint64(math.Pow10(scale))
	return fmt.Sprintf("%s%d.%0*d", sign, u/p, scale, u%p)
}

// Caps on what a shop hands in: far beyond any real order, and far enough
// below the int64 limit that sums of many orders stay exact.
const (
	// MaxQty is the most units of one item an order may have.
	MaxQty = 100_000
	// MaxAmount is the largest price or total, in minor units (10 billion
	// roubles or euros).
	MaxAmount = 1_000_000_000_000
)

// ErrOverflow reports arithmetic whose result an int64 cannot hold.
var ErrOverflow = errors.New("amount overflows")

// Add returns a+b, or ErrOverflow instead of wrapping around.
func Add(a, b int64) (int64, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, ErrOverflow
	}
	return s, nil
}

// Mul returns amount×qty, or ErrOverflow instead of wrapping around.
func Mul(amount, qty int64) (int64, error) {
	if amount == 0 || qty == 0 {
		return 0, nil
	}
	p := amount * qty
	if p/qty != amount || (amount == -1 && qty == math.MinInt64) || (qty == -1 && amount == math.MinInt64) {
		return 0, ErrOverflow
	}
	return p, nil
}

// Sum adds amounts, or returns ErrOverflow instead of wrapping around.
func Sum(amounts ...int64) (int64, error) {
	var s int64
	for _, a := range amounts {
		var err error
		if s, err = Add(s, a); err != nil {
			return 0, err
		}
	}
	return s, nil
}
