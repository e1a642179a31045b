package custom

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/order"
)

// TestDocExample: the complete example of docs/connectors.md maps its
// sample message to what the page says it does.
func TestDocExample(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../../../docs/connectors.md")
	if err != nil {
		t.Fatal(err)
	}
	var mappingYAML, sample string
	for _, b := range regexp.MustCompile("(?ms)^```(yaml|json)\n(.*?)^```").FindAllStringSubmatch(string(page), -1) {
		switch {
		case b[1] == "yaml" && strings.Contains(b[2], "name: keramika"):
			mappingYAML = b[2]
		case b[1] == "json" && strings.Contains(b[2], "RK-2025-0193"):
			sample = b[2]
		}
	}
	var settings struct {
		Connectors []config.Connector `yaml:"connectors"`
	}
	if err := yaml.Unmarshal([]byte(mappingYAML), &settings); err != nil || len(settings.Connectors) != 1 || sample == "" {
		t.Fatalf("the page's example: %v, %d connectors, sample %d bytes", err, len(settings.Connectors), len(sample))
	}
	c := settings.Connectors[0]
	w := NewWebhook(connector.Options{Name: c.Name, WebhookSecret: secret, Mapping: c.Mapping})
	d, err := w.Parse(connector.Request{Body: []byte(sample)})
	if err != nil {
		t.Fatal(err)
	}
	o := d.Order
	if d.OrderID != "4812" || o.Number != "RK-2025-0193" || o.Status != order.Shipped || o.Payment != (order.Payment{Method: "prepaid", Paid: true}) ||
		o.TotalMinor != 8740 || o.Currency != "EUR" || o.Customer.Name != "Līga Bērziņa" || o.Customer.Language != "lv" ||
		len(o.Items) != 2 || o.Items[0].Qty != 2 || o.Items[0].PriceMinor != 1850 || o.Items[1].PriceMinor != 4240 ||
		o.Address != "Rīga, Brīvības iela 118 (Rimi), LV-1001" || o.Shipping != "Omniva pakomāts" ||
		len(o.Fulfillments) != 1 || o.Fulfillments[0].TrackingNumber != "CC123456785EE" {
		t.Errorf("the page's example maps to %+v", o)
	}
	bad := strings.Replace(sample, `"quantity": 1`, `"quantity": "two"`, 1)
	if _, err := w.Parse(connector.Request{Body: []byte(bad)}); err == nil || err.Error() != `items[1].qty: "two" at /quantity is not a whole number` {
		t.Errorf("the page's error: %v", err)
	}
}
