package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecimalReadsStringsNumbersAndNull(t *testing.T) {
	t.Parallel()
	var v struct{ A, B, C, D Decimal }
	if err := json.Unmarshal([]byte(`{"A":"2910.0","B":9.09,"C":null,"D":" 1 234,50 "}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "2910.0" || v.B != "9.09" || v.C != "" || v.D != "1 234,50" {
		t.Fatalf("%+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":true}`), &v); err == nil {
		t.Fatal("a boolean read as a decimal")
	}
}

func TestMinor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    Decimal
		scale int
		want  int64
		err   string
	}{
		{"", 2, 0, ""},
		{"2910.0", 2, 291000, ""},
		{"9.09", 2, 909, ""},
		{"9.090000000000001", 2, 909, ""},
		{"0.005", 2, 1, ""},
		{"-0.005", 2, -1, ""},
		{"0.004", 2, 0, ""},
		{"1e3", 2, 100000, ""},
		{"1 234,50", 2, 123450, ""},
		{"1000", 0, 1000, ""},
		{"10.5", 0, 11, ""},
		{"abc", 2, 0, "not a decimal"},
		{"1e300", 2, 0, "out of range"},
		{"99999999999999999999", 2, 0, "out of range"},
	}
	for _, c := range cases {
		got, err := c.in.Minor(c.scale)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Minor(%q, %d) = %d, %v; want an error with %q", c.in, c.scale, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Minor(%q, %d) = %d, %v; want %d", c.in, c.scale, got, err, c.want)
		}
	}
}

func TestQuantityAndAmountNameTheField(t *testing.T) {
	t.Parallel()
	if q, err := Quantity("items[0].quantity", "2.0"); err != nil || q != 2 {
		t.Fatalf("Quantity = %d, %v", q, err)
	}
	for in, want := range map[Decimal]string{
		"0":      "items[1].quantity: must be at least 1",
		"1.5":    "items[1].quantity: \"1.5\" is not a whole number",
		"100001": "items[1].quantity: must be at most 100000",
		"x":      "items[1].quantity",
	} {
		if _, err := Quantity("items[1].quantity", in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Quantity(%q) = %v, want %q", in, err, want)
		}
	}
	if _, err := Amount("total", "-1", 2); err == nil || !strings.Contains(err.Error(), "total: must not be negative") {
		t.Errorf("Amount(-1) = %v", err)
	}
	if _, err := Amount("total", "20000000000", 2); err == nil || !strings.HasPrefix(err.Error(), "total:") {
		t.Errorf("Amount(2e10) = %v", err)
	}
}

func TestCurrency(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"RUR": "RUB", " rub ": "RUB", "eur": "EUR", "": ""} {
		if got := Currency(in); got != want {
			t.Errorf("Currency(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMinor(f *testing.F) {
	for _, s := range []string{"2910.0", "9.090000000000001", "1e3", "-0.005", "1 234,50", "1/3"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, scale int) {
		if scale < 0 || scale > 4 {
			return
		}
		_, _ = Decimal(s).Minor(scale)
		_, _ = Decimal(s).Int()
	})
}
