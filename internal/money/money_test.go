package money

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
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
