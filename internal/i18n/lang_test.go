package i18n_test

import (
	"slices"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag  string
		want i18n.Lang
		ok   bool
	}{
		{"en", i18n.EN, true},
		{"ru", i18n.RU, true},
		{"lv", i18n.LV, true},
		{"RU", i18n.RU, true},
		{"ru-RU", i18n.RU, true},
		{"ru_RU", i18n.RU, true},
		{"lv_LV", i18n.LV, true},
		{"lv-LV", i18n.LV, true},
		{"LV", i18n.LV, true},
		{"en-GB", i18n.EN, true},
		{"en_US", i18n.EN, true},
		{" ru ", i18n.RU, true},
		{"de", "", false},
		{"de-LV", "", false},
		{"et", "", false},
		{"lt-LT", "", false},
		{"rus", "", false},
		{"", "", false},
		{"-", "", false},
	}
	for _, tt := range tests {
		got, ok := i18n.Parse(tt.tag)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.tag, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag      string
		fallback i18n.Lang
		want     i18n.Lang
	}{
		{"lv_LV", i18n.RU, i18n.LV},
		{"ru-RU", i18n.EN, i18n.RU},
		{"de-DE", i18n.LV, i18n.LV},
		{"", i18n.RU, i18n.RU},
	}
	for _, tt := range tests {
		if got := i18n.Pick(tt.tag, tt.fallback); got != tt.want {
			t.Errorf("Pick(%q, %q) = %q, want %q", tt.tag, tt.fallback, got, tt.want)
		}
	}
}

func TestLangs(t *testing.T) {
	t.Parallel()
	got := i18n.Langs()
	if !slices.Equal(got, []i18n.Lang{i18n.EN, i18n.RU, i18n.LV}) {
		t.Fatalf("Langs() = %v", got)
	}
	got[0] = "xx"
	if i18n.Langs()[0] != i18n.EN {
		t.Error("Langs returns a slice its caller can corrupt")
	}
	for _, l := range i18n.Langs() {
		if p, ok := i18n.Parse(string(l)); !ok || p != l {
			t.Errorf("Parse(%q) = %q, %v", l, p, ok)
		}
	}
}
