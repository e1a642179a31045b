package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/shopcare/shopcare/internal/money"
)

// Decimal is an amount or a count as a platform writes it: InSales sends
// "2910.0", Ecwid 9.09, Tilda either. It keeps the text; Minor and Int
// read it.
type Decimal string

// UnmarshalJSON takes a JSON number, a string or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*d = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Decimal(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a number, got %s", short(b))
		}
		*d = Decimal(n)
	}
	return nil
}

// Minor is the amount in minor units of a currency with scale decimal
// places; "" is 0. More places than the scale are rounded half away from
// zero (a float that came out 9.090000000000001); exponents are read.
func (d Decimal) Minor(scale int) (int64, error) {
	s := strings.TrimSpace(string(d))
	if s == "" {
		return 0, nil
	}
	v, err := money.Parse(s, scale)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, money.ErrPrecision) && !errors.Is(err, money.ErrSyntax) {
		return 0, err
	}
	r, ok := new(big.Rat).SetString(strings.ReplaceAll(s, ",", "."))
	if !ok || len(s) > 64 {
		return 0, err
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() || q.Int64() > 1e18 || q.Int64() < -1e18 {
		return 0, money.ErrRange
	}
	return q.Int64(), nil
}

// Int is the value as a whole number ("2", 2, "2.0"); "" is 0.
func (d Decimal) Int() (int64, error) {
	v, err := d.Minor(0)
	if err != nil {
		return 0, err
	}
	c, err := d.Minor(3)
	if err != nil || c != v*1000 {
		return 0, fmt.Errorf("%q is not a whole number", string(d))
	}
	return v, nil
}

// Amount reads an amount of a field for the error's sake: the error
// names the field.
func Amount(field string, d Decimal, scale int) (int64, error) {
	v, err := d.Minor(scale)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an amount: %w", field, string(d), err)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s: must not be negative", field)
	}
	if v > money.MaxAmount {
		return 0, fmt.Errorf("%s: %w", field, money.ErrRange)
	}
	return v, nil
}

// Quantity reads an item's quantity: a whole number from 1 to
// money.MaxQty; the error names the field.
func Quantity(field string, d Decimal) (int64, error) {
	v, err := d.Int()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	if v < 1 {
		return 0, fmt.Errorf("%s: must be at least 1", field)
	}
	if v > money.MaxQty {
		return 0, fmt.Errorf("%s: must be at most %d", field, money.MaxQty)
	}
	return v, nil
}

// Currency is an ISO 4217 code from a platform's: upper case, and InSales'
// old RUR for the rouble as RUB.
func Currency(code string) string {
	c := strings.ToUpper(strings.TrimSpace(code))
	if c == "RUR" {
		return "RUB"
	}
	return c
}

func short(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
