package config

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzMapping decodes any YAML as a mapping and validates it: it must
// never panic, and every problem names a key under the prefix.
func FuzzMapping(f *testing.F) {
	f.Add(fullMapping)
	f.Add("order_id: /id\nitems: {path: /lines, sku: /sku, qty: qty}")
	f.Add("order_id: /a~2\ntime_format: \"15:04 Jan\"\nsignature: {header: 'X Y'}")
	f.Add("customer_name: [/a, '', b]\nstatuses: {x: y}")
	f.Fuzz(func(t *testing.T, doc string) {
		var m Mapping
		dec := yaml.NewDecoder(strings.NewReader(doc))
		dec.KnownFields(true)
		if dec.Decode(&m) != nil {
			return
		}
		var errs invalid.List
		m.Validate("connectors[0].mapping", &errs)
		for _, e := range errs {
			if !strings.HasPrefix(e.Field, "connectors[0].mapping.") || e.Message == "" {
				t.Fatalf("problem %q", e.Error())
			}
		}
	})
}
