package invalid

import (
	"strings"
	"testing"
	"time"
)

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field, value, code string
	}{
		{"customer.name", "Jānis Bērziņš", ""},
		{"customer.name", "An\x00na", "control_character"},
		{"items[2].sku", "A\x07", "control_character"},
		{"customer.name", "Anna\n", "control_character"},
		{"customer.city", "R\u0085iga", "control_character"},
		{"address", "Brīvības iela 1\r\nRīga\t", ""},
		{"events[3].description", "line\nline", ""},
		{"reason", "a\x00", "control_character"},
		{"customer.name", "An\xffna", "invalid_utf8"},
		{"customer.name", strings.Repeat("я", MaxName), ""},
		{"customer.name", strings.Repeat("я", MaxName+1), "too_long"},
		{"address", strings.Repeat("a", MaxAddress+1), "too_long"},
		{"items[0].sku", strings.Repeat("a", MaxSKU+1), "too_long"},
		{"tracking_number", strings.Repeat("7", MaxTracking+1), "too_long"},
		{"customer.email", strings.Repeat("a", MaxEmail+1), "too_long"},
		{"customer.phone", strings.Repeat("1", MaxPhone+1), "too_long"},
		{"unlisted", strings.Repeat("a", MaxText+1), "too_long"},
	}
	for _, tt := range tests {
		e := Text(tt.field, tt.value)
		switch {
		case tt.code == "" && e != nil:
			t.Errorf("Text(%s, %.20q) = %v, want nil", tt.field, tt.value, e)
		case tt.code != "" && (e == nil || e.Code != tt.code || e.Field != tt.field):
			t.Errorf("Text(%s, %.20q) = %+v, want %s on %s", tt.field, tt.value, e, tt.code, tt.field)
		}
	}
}

func TestTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		at   time.Time
		past bool
		code string
	}{
		{now, true, ""},
		{now.Add(ClockSkew), true, ""},
		{now.Add(ClockSkew + time.Second), true, "in_future"},
		{now.AddDate(1, 0, 0), false, ""},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), false, "out_of_range"},
		{time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC), true, "out_of_range"},
		{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), true, ""},
		{time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC), false, ""},
	}
	for _, tt := range tests {
		e := Time("at", tt.at, now, tt.past)
		if tt.code == "" && e != nil || tt.code != "" && (e == nil || e.Code != tt.code) {
			t.Errorf("Time(%s, past %t) = %v, want %q", tt.at, tt.past, e, tt.code)
		}
	}
}
