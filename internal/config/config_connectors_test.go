package config

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
)

func TestConnectorSettings(t *testing.T) {
	t.Parallel()
	const base = "carriers:\n  - {code: cdek, name: СДЭК, transit_days: [2, 4]}\nconnectors:\n"
	for _, tc := range []struct {
		name, yaml string
		want       []string // the keys named, in order; none for valid settings
	}{
		{"each platform with what its webhooks need", `
  - {name: shop, platform: shopify, url: "https://shop.myshopify.com/", webhook_secret: s, carriers: {"СДЭК": cdek}}
  - {name: wp, platform: woocommerce, webhook_secret: s}
  - {name: ecwid-1, platform: ecwid, store_id: "1003", access_token: t, api_secret: s}
  - {name: insales, platform: insales, webhook_secret: 0123456789abcdef, statuses: {"Собран": ready_to_ship}}
  - {name: tilda, platform: tilda, webhook_secret: 0123456789abcdef}
  - {name: own-site, platform: custom, webhook_secret: 0123456789abcdef, mapping: {order_id: /id}}
`, nil},
		{"names", `
  - {name: Shop, platform: shopify, webhook_secret: s}
  - {name: "", platform: shopify, webhook_secret: s}
  - {name: a/b, platform: shopify, webhook_secret: s}
  - {name: ok, platform: shopify, webhook_secret: s}
  - {name: ok, platform: shopify, webhook_secret: s}
  - {name: -x, platform: shopify, webhook_secret: s}
  - {name: telegram, platform: shopify, webhook_secret: s}
`, []string{"connectors[0].name", "connectors[1].name", "connectors[2].name", "connectors[4].name", "connectors[5].name", "connectors[6].name"}},
		{"a custom mapping checked with the rest", `
  - {name: a, platform: custom, webhook_secret: 0123456789abcdef, mapping: {order_id: id}}
`, []string{"connectors[0].mapping.order_id"}},
		{"platform", `
  - {name: shop, platform: magento}
`, []string{"connectors[0].platform"}},
		{"credentials", `
  - {name: a, platform: shopify}
  - {name: b, platform: ecwid, store_id: "1"}
  - {name: c, platform: tilda}
  - {name: d, platform: insales, webhook_secret: short}
`, []string{"connectors[0].webhook_secret", "connectors[1].api_secret", "connectors[1].access_token",
			"connectors[2].webhook_secret", "connectors[3].webhook_secret"}},
		{"url", `
  - {name: a, platform: shopify, webhook_secret: s, url: "ftp://shop"}
`, []string{"connectors[0].url"}},
		{"maps", `
  - {name: a, platform: insales, webhook_secret: 0123456789abcdef, carriers: {"DHL": dhl, "СДЭК": cdek}, statuses: {"Собран": packed}}
`, []string{"connectors[0].carriers.DHL", "connectors[0].statuses.Собран"}},
		{"mapping", `
  - {name: a, platform: custom, webhook_secret: 0123456789abcdef}
  - {name: b, platform: shopify, webhook_secret: s, mapping: {order_id: /id}}
`, []string{"connectors[0].mapping", "connectors[1].mapping"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(base + tc.yaml))
			var got []string
			for _, p := range Problems(err) {
				got = append(got, p.Field)
				for _, l := range i18n.Langs() {
					if s := p.Text(l); strings.HasPrefix(s, "[") {
						t.Errorf("%s: no %s text for %s", p.Field, l, p.Key)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("problems at %v, want %v (%v)", got, tc.want, err)
			}
		})
	}
}

func TestConnectorSecretsFromTheEnvironment(t *testing.T) {
	t.Setenv("SHOPCARE_CONNECTORS_MY_SHOP_WEBHOOK_SECRET", "from-env-0123456789")
	t.Setenv("SHOPCARE_CONNECTORS_MY_SHOP_ACCESS_TOKEN", "shpat_from_env")
	t.Setenv("SHOPCARE_CONNECTORS_WP_API_KEY", "ck_from_env")
	t.Setenv("SHOPCARE_CONNECTORS_WP_API_SECRET", "cs_from_env")
	t.Setenv("SHOPCARE_CONNECTORS_WP_PASSWORD", "pw_from_env")
	s, err := Parse([]byte("connectors:\n  - {name: my-shop, platform: shopify}\n  - {name: wp, platform: woocommerce, webhook_secret: in-file}\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Connectors
	if c[0].WebhookSecret != "from-env-0123456789" || c[0].AccessToken != "shpat_from_env" ||
		c[1].APIKey != "ck_from_env" || c[1].APISecret != "cs_from_env" || c[1].Password != "pw_from_env" || c[1].WebhookSecret != "in-file" {
		t.Fatalf("connectors = %+v", c)
	}
	out, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "from_env") || strings.Contains(string(out), "from-env") || !strings.Contains(string(out), "in-file") {
		t.Fatalf("the export holds a secret from the environment, or lost one of the file:\n%s", out)
	}
	if s.Connectors[0].WebhookSecret != "from-env-0123456789" {
		t.Fatal("Export cleared the settings' own secret")
	}
}
