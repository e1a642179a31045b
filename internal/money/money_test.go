package money

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		scale int
		want  int64
		err   error
	}{
		{"1234.5", 2, 123450, nil},
		{"1234,50", 2, 123450, nil},
		{"1 234,50", 2, 123450, nil},
		{"0", 2, 0, nil},
		{"-3", 2, -300, nil},
		{".5", 2, 50, nil},
		{"10.", 2, 1000, nil},
		{"1.230", 2, 123, nil},
		{"1.234", 2, 0, ErrPrecision},
		{"500", 0, 500, nil},
		{"abc", 2, 0, ErrSyntax},
		{"", 2, 0, ErrSyntax},
		{"-", 2, 0, ErrSyntax},
		{".", 2, 0, ErrSyntax},
		{"1e5", 2, 0, ErrSyntax},
		{"1.2.3", 2, 0, ErrSyntax},
		{"99999999999999999999", 2, 0, ErrRange},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.scale)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Parse(%q, %d) = %d, %v; want %d, %v", tt.in, tt.scale, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{0, 1, -1, 99, 100, 123450, -123450} {
		s := Format(v, 2)
		got, err := Parse(s, 2)
		if err != nil || got != v {
			t.Errorf("Parse(Format(%d)) = %d, %v (text %q)", v, got, err, s)
		}
	}
	if got := Format(123450, 2); got != "1234.50" {
		t.Errorf("Format = %q", got)
	}
	if got := Scale("JPY"); got != 0 {
		t.Errorf("Scale(JPY) = %d", got)
	}
	if got := Scale("EUR"); got != 2 {
		t.Errorf("Scale(EUR) = %d", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1234.5", "-0,01", "1 000", "", ".", "9e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s, 2)
		if err != nil {
			return
		}
		back, err := Parse(Format(v, 2), 2)
		if err != nil || back != v {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, v, Format(v, 2), back, err)
		}
	})
}

func TestMoneyOverflowRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  func() (int64, error)
		want int64
		err  error
	}{
		{"qty 4611686018427387905 × 0.04", func() (int64, error) { return Mul(4, 4611686018427387905) }, 0, ErrOverflow},
		{"19 × 9999999999999999.99", func() (int64, error) { return Mul(999999999999999999, 19) }, 0, ErrOverflow},
		{"max + 1", func() (int64, error) { return Add(math.MaxInt64, 1) }, 0, ErrOverflow},
		{"min - 1", func() (int64, error) { return Add(math.MinInt64, -1) }, 0, ErrOverflow},
		{"min × -1", func() (int64, error) { return Mul(math.MinInt64, -1) }, 0, ErrOverflow},
		{"sum that wraps", func() (int64, error) { return Sum(math.MaxInt64/2, math.MaxInt64/2, 2) }, 0, ErrOverflow},
		{"3 × 1234.50", func() (int64, error) { return Mul(123450, 3) }, 370350, nil},
		{"sum", func() (int64, error) { return Sum(1, 2, -3, 10) }, 10, nil},
		{"zero qty", func() (int64, error) { return Mul(math.MaxInt64, 0) }, 0, nil},
	}
	for _, tt := range tests {
		got, err := tt.got()
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("%s = %d, %v; want %d, %v", tt.name, got, err, tt.want, tt.err)
		}
	}
}

// FuzzArithmetic checks Add and Mul against big-integer arithmetic: an
// exact result or ErrOverflow, never a wrapped one.
func FuzzArithmetic(f *testing.F) {
	f.Add(int64(4), int64(4611686018427387905))
	f.Add(int64(999999999999999999), int64(19))
	f.Add(int64(math.MinInt64), int64(-1))
	f.Fuzz(func(t *testing.T, a, b int64) {
		for _, op := range []struct {
			name  string
			fn    func(int64, int64) (int64, error)
			exact *big.Int
		}{
			{"Add", Add, new(big.Int).Add(big.NewInt(a), big.NewInt(b))},
			{"Mul", Mul, new(big.Int).Mul(big.NewInt(a), big.NewInt(b))},
		} {
			got, err := op.fn(a, b)
			fits := op.exact.IsInt64()
			switch {
			case fits && (err != nil || got != op.exact.Int64()):
				t.Fatalf("%s(%d, %d) = %d, %v; want %s", op.name, a, b, got, err, op.exact)
			case !fits && !errors.Is(err, ErrOverflow):
				t.Fatalf("%s(%d, %d) = %d, %v; want ErrOverflow", op.name, a, b, got, err)
			}
		}
	})
}
