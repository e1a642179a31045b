package web

import (
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
)

// TestSizeText: sizes in each language's units and decimal mark.
func TestSizeText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang i18n.Lang
		n    int64
		want string
	}{
		{i18n.EN, 512, "512\u00a0B"},
		{i18n.EN, 1536, "1.5\u00a0KB"},
		{i18n.RU, 1536, "1,5\u00a0КБ"},
		{i18n.LV, 5 << 20, "5\u00a0MB"},
		{i18n.RU, 3 << 30, "3\u00a0ГБ"},
		{i18n.EN, 2000 << 20, "2\u00a0GB"},
	} {
		if got := sizeText(tc.lang, tc.n); got != tc.want {
			t.Errorf("sizeText(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}
