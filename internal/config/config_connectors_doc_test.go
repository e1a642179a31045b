package config

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/invalid"
)

// docsShop is the smallest settings document the connectors' examples
// are merged into: a shop with the carriers the examples name.
const docsShop = `shop:
  name: Keramika
  country: LV
  timezone: Europe/Riga
  public_url: https://care.myshop.lv
carriers:
  - {code: omniva, transit_days: [1, 2]}
  - {code: dpd, transit_days: [1, 2]}
  - {code: dhl, transit_days: [2, 4]}
  - {code: cdek, transit_days: [2, 7]}
  - {code: post, transit_days: [3, 10]}
  - {code: courier, transit_days: [1, 1]}
`

var yamlBlock = regexp.MustCompile("(?ms)^```yaml\n(.*?)^```")

// TestConnectorsDocExamples: every YAML example of docs/connectors.md is
// a valid connectors: section — it parses into the settings with unknown
// keys refused, validates with the rest of them, and its mappings
// validate. The connectors' secrets come from the environment, as the
// page tells the owner to keep them (so this test is not parallel).
func TestConnectorsDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/connectors.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := yamlBlock.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 7 {
		t.Fatalf("docs/connectors.md has %d yaml examples, want one per platform and the custom ones", len(blocks))
	}
	platforms := map[string]bool{}
	for i, b := range blocks {
		block := b[1]
		var fragment struct {
			Connectors []struct {
				Name string `yaml:"name"`
			} `yaml:"connectors"`
		}
		if err := yaml.Unmarshal([]byte(block), &fragment); err != nil || len(fragment.Connectors) == 0 {
			t.Errorf("example %d is not a connectors: section (%v):\n%s", i+1, err, block)
			continue
		}
		for _, c := range fragment.Connectors {
			env := "SHOPCARE_CONNECTORS_" + strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToUpper(c.Name))
			for _, k := range []string{"WEBHOOK_SECRET", "ACCESS_TOKEN", "API_KEY", "API_SECRET", "PASSWORD"} {
				t.Setenv(env+"_"+k, fmt.Sprintf("%s-%s-0123456789abcdef", c.Name, strings.ToLower(k)))
			}
		}
		s, err := Parse([]byte(docsShop + block))
		if err != nil {
			t.Errorf("example %d does not validate: %v\n%s", i+1, err, block)
			continue
		}
		for j, c := range s.Connectors {
			platforms[c.Platform] = true
			if c.Mapping == nil {
				continue
			}
			var errs invalid.List
			c.Mapping.Validate(fmt.Sprintf("connectors[%d].mapping", j), &errs)
			if len(errs) > 0 {
				t.Errorf("example %d: %v", i+1, errs)
			}
		}
	}
	for _, p := range ConnectorPlatforms {
		if !platforms[p] {
			t.Errorf("docs/connectors.md has no example for %s", p)
		}
	}
}
