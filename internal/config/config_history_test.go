package config

import (
	"slices"
	"testing"
)

func TestDroppedAndChangedSections(t *testing.T) {
	t.Parallel()
	const configured = "shop:\n  country: LV\n  timezone: Europe/Riga\nwebhooks:\n  - url: https://x.example/h\n    secret: 0123456789abcdef0\n"
	for _, tc := range []struct {
		name          string
		prev, next    string
		dropped, diff []string
	}{
		{"blank over a configured shop", configured, "", []string{"shop", "webhooks"}, []string{"shop", "webhooks"}},
		{"a section cleared on purpose", configured, "shop:\n  country: LV\n  timezone: Europe/Riga\nwebhooks: []\n", nil, []string{"webhooks"}},
		{"defaults written out", "", "promise:\n  handling_days: 1\n", nil, nil},
		{"blank over the defaults", "", "", nil, nil},
		{"one value changed", configured, configured + "promise:\n  handling_days: 2\n", nil, []string{"promise"}},
		{"not YAML", configured, "shop: [", nil, Sections()}, // compared as written: all differ
	} {
		if got := DroppedSections([]byte(tc.prev), []byte(tc.next)); !slices.Equal(got, tc.dropped) {
			t.Errorf("%s: DroppedSections = %v, want %v", tc.name, got, tc.dropped)
		}
		if got := ChangedSections([]byte(tc.prev), []byte(tc.next)); !slices.Equal(got, tc.diff) {
			t.Errorf("%s: ChangedSections = %v, want %v", tc.name, got, tc.diff)
		}
	}
}
