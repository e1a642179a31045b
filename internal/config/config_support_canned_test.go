package config_test

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

// TestCannedReplies reads support.canned and refuses, naming the key, a
// reply without a name, a name twice, a language shopcare does not write
// in, and a text that is no template or reads a field the data lacks.
func TestCannedReplies(t *testing.T) {
	t.Parallel()
	s, err := config.Parse([]byte(`support:
  canned:
    - name: Where is my parcel
      text:
        ru: "{{.Customer.FirstName}}, заказ {{.Order.Number}} в пути: {{.TrackingURL}}"
        en: "{{.Customer.FirstName}}, order {{.Order.Number}} ships {{.Promise.Ships}}. {{.Operator.Name}}, {{.Shop.Name}}"
`))
	if err != nil || len(s.Support.Canned) != 1 || s.Support.Canned[0].Text["ru"] == "" {
		t.Fatalf("canned: %+v %v", s.Support.Canned, err)
	}
	for _, c := range []struct{ yaml, field string }{
		{"    - text: {en: hi}\n", "support.canned[0].name"},
		{"    - name: a\n      text: {en: hi}\n    - name: a\n      text: {en: ho}\n", "support.canned[1].name"},
		{"    - name: a\n      text: {de: hallo}\n", "support.canned[0].text.de"},
		{"    - name: a\n", "support.canned[0].text"},
		{"    - name: a\n      text: {en: \"{{.Order.Number\"}\n", "support.canned[0].text.en"},
		{"    - name: a\n      text: {lv: \"{{.Order.Nope}}\"}\n", "support.canned[0].text.lv"},
		{"    - name: \"a\\nb\"\n      text: {en: hi}\n", "support.canned[0].name"},
	} {
		_, err := config.Parse([]byte("support:\n  canned:\n" + c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%q: %v, want an error naming %s", c.yaml, err, c.field)
		}
	}
	var sample strings.Builder
	tmpl, err := config.ParseCanned("x", "{{.Order.Number}} {{.Promise.Delivery}} {{.Customer.Name}}")
	if err != nil || tmpl.Execute(&sample, config.CannedSample()) != nil || sample.String() != "1042 с 6 по 8 декабря Андрей Петров" {
		t.Errorf("the sample: %q %v", sample.String(), err)
	}
}
