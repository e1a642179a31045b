package config_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

// reorderOf parses settings holding only the reorder keys.
func reorderOf(t *testing.T, yml string) config.Reorder {
	t.Helper()
	s, err := config.Parse([]byte("reorder:\n" + yml))
	if err != nil {
		t.Fatalf("parse %q: %v", yml, err)
	}
	return s.Reorder
}

// TestReorderCartLink: each platform's cart link holds the order's lines
// in its own form, shopify and woocommerce by the platform's variant id
// (never the SKU), a custom one by what its line names, each value escaped
// where it stands.
func TestReorderCartLink(t *testing.T) {
	t.Parallel()
	two := []config.CartLine{{SKU: "4411", VariantID: "44102623193251", Qty: 2}, {SKU: "A B/7", VariantID: "gid:x/7", Qty: 1}}
	one := []config.CartLine{{SKU: "512", VariantID: "8031", Qty: 3}}
	for _, c := range []struct {
		name, yml string
		lines     []config.CartLine
		want      string
	}{
		{"shopify", "  platform: shopify\n  cart_url: https://shop.example.com/\n", two,
			"https://shop.example.com/cart/44102623193251:2,gid%3Ax%2F7:1"},
		{"shopify one line", "  platform: shopify\n  cart_url: https://shop.example.com\n", one,
			"https://shop.example.com/cart/8031:3"},
		{"woocommerce one line", "  platform: woocommerce\n  cart_url: https://shop.example.com/cart/\n", one,
			"https://shop.example.com/cart/?add-to-cart=8031&quantity=3"},
		{"woocommerce several", "  platform: woocommerce\n  cart_url: https://shop.example.com/cart/?lang=lv\n", two,
			"https://shop.example.com/cart/?lang=lv&add-to-cart=44102623193251:2,gid%3Ax%2F7:1"},
		{"custom in the path", "  platform: custom\n  cart_url: https://shop.example.com/basket/{items}\n", two,
			"https://shop.example.com/basket/4411:2,A%20B%2F7:1"},
		{"custom in the query", "  platform: custom\n  cart_url: https://shop.example.com/add?p={items}&from=care\n  item: \"{sku}*{qty}\"\n  separator: \";\"\n",
			two, "https://shop.example.com/add?p=4411*2;A+B%2F7*1&from=care"},
		{"custom by variant id", "  platform: custom\n  cart_url: https://shop.example.com/add?p={items}\n  item: \"{variant_id}-{qty}\"\n", two,
			"https://shop.example.com/add?p=44102623193251-2,gid%3Ax%2F7-1"},
		{"custom by both", "  platform: custom\n  cart_url: https://shop.example.com/b/{items}\n  item: \"{sku}~{variant_id}~{qty}\"\n", one,
			"https://shop.example.com/b/512~8031~3"},
		{"custom by SKU needs no variant id", "  platform: custom\n  cart_url: https://shop.example.com/b/{items}\n",
			[]config.CartLine{{SKU: "512", Qty: 1}}, "https://shop.example.com/b/512:1"},
		{"a SKU that tries another host", "  platform: custom\n  cart_url: https://shop.example.com/{items}\n",
			[]config.CartLine{{SKU: "@evil.example/x", Qty: 1}}, "https://shop.example.com/@evil.example%2Fx:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, ok := reorderOf(t, c.yml).CartLink(c.lines)
			if !ok || got != c.want {
				t.Errorf("link %q, %v; want %q", got, ok, c.want)
			}
		})
	}
}

// TestReorderNoCartLink: without a platform, or with a line that lacks
// what the link names it by (shopify's and woocommerce's variant id, a
// custom line's SKU or variant id), there is no cart link — never one
// naming the SKU where the platform wants its id — and the order is made
// in shopcare.
func TestReorderNoCartLink(t *testing.T) {
	t.Parallel()
	shopify := reorderOf(t, "  platform: shopify\n  cart_url: https://shop.example.com\n")
	woo := reorderOf(t, "  platform: woocommerce\n  cart_url: https://shop.example.com/cart/\n")
	bySKU := reorderOf(t, "  platform: custom\n  cart_url: https://shop.example.com/b/{items}\n")
	byVariant := reorderOf(t, "  platform: custom\n  cart_url: https://shop.example.com/b/{items}\n  item: \"{variant_id}:{qty}\"\n")
	for _, c := range []struct {
		name  string
		r     config.Reorder
		lines []config.CartLine
	}{
		{"no platform", config.Reorder{}, []config.CartLine{{SKU: "1", VariantID: "1", Qty: 1}}},
		{"shopify, a line without variant id", shopify, []config.CartLine{{SKU: "1", VariantID: "11", Qty: 1}, {SKU: "2", Qty: 1}}},
		{"shopify, SKUs only", shopify, []config.CartLine{{SKU: "1", Qty: 1}}},
		{"woocommerce, one line without variant id", woo, []config.CartLine{{SKU: "1", VariantID: " ", Qty: 1}}},
		{"woocommerce, a line without variant id", woo, []config.CartLine{{SKU: "1", VariantID: "5", Qty: 1}, {SKU: "2", Qty: 3}}},
		{"custom by SKU, a line without SKU", bySKU, []config.CartLine{{SKU: "1", Qty: 1}, {SKU: " ", VariantID: "9", Qty: 1}}},
		{"custom by variant, a line without it", byVariant, []config.CartLine{{SKU: "1", Qty: 1}}},
		{"no lines", shopify, nil},
		{"no quantity", shopify, []config.CartLine{{SKU: "1", VariantID: "1", Qty: 0}}},
	} {
		if link, ok := c.r.CartLink(c.lines); ok || link != "" {
			t.Errorf("%s: link %q, want none", c.name, link)
		}
	}
}

// TestReorderSettingsRefused: a wrong template is refused at load with
// its key named.
func TestReorderSettingsRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ yml, key string }{
		{"  cart_url: https://shop.example.com\n", "reorder.platform"},
		{"  platform: magento\n  cart_url: https://shop.example.com\n", "reorder.platform"},
		{"  platform: shopify\n", "reorder.cart_url"},
		{"  platform: shopify\n  cart_url: https://shop.example.com/cart/{items}\n", "reorder.cart_url"},
		{"  platform: shopify\n  cart_url: ftp://shop.example.com\n", "reorder.cart_url"},
		{"  platform: shopify\n  cart_url: /cart\n", "reorder.cart_url"},
		{"  platform: custom\n  cart_url: https://shop.example.com/cart\n", "reorder.cart_url"},
		{"  platform: custom\n  cart_url: https://{items}.example.com/\n", "reorder.cart_url"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}/{variant}\n", "reorder.cart_url"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}\n  item: \"{sku}\"\n", "reorder.item"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}\n  item: \"{variant_id}\"\n", "reorder.item"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}\n  item: \"{qty}\"\n", "reorder.item"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}\n  item: \"{variant}:{qty}\"\n", "reorder.item"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}\n  item: \"{sku}-{qty}-{price}\"\n", "reorder.item"},
		{"  platform: custom\n  cart_url: https://shop.example.com/{items}\n  separator: \"#\"\n", "reorder.item"},
		{"  platform: woocommerce\n  cart_url: https://shop.example.com/?add-to-cart=5\n", "reorder.cart_url"},
		{"  platform: shopify\n  cart_url: https://user@shop.example.com\n", "reorder.cart_url"},
	} {
		_, err := config.Parse([]byte("reorder:\n" + c.yml))
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: %v, want an error naming %s", c.yml, err, c.key)
		}
	}
}

// FuzzReorderCartLink: whatever the SKU and variant id, the link parses,
// goes to the settings' host, and carries the value back unescaped.
func FuzzReorderCartLink(f *testing.F) {
	for _, s := range []string{"4411", "A B/7", "@evil.example", "../../x", "a:b,c", "%2F", "?x=1#y", "ключ"} {
		f.Add(s, int64(2))
	}
	links := map[string]config.Reorder{}
	for name, yml := range map[string]string{
		"shopify": "  platform: shopify\n  cart_url: https://shop.example.com\n",
		"woo":     "  platform: woocommerce\n  cart_url: https://shop.example.com/cart/\n",
		"path":    "  platform: custom\n  cart_url: https://shop.example.com/b/{items}\n",
		"query":   "  platform: custom\n  cart_url: https://shop.example.com/b?i={items}\n",
	} {
		s, err := config.Parse([]byte("reorder:\n" + yml))
		if err != nil {
			f.Fatal(err)
		}
		links[name] = s.Reorder
	}
	f.Fuzz(func(t *testing.T, sku string, qty int64) {
		for name, r := range links {
			link, ok := r.CartLink([]config.CartLine{{SKU: sku, VariantID: sku, Qty: qty}})
			if !ok {
				if strings.TrimSpace(sku) != "" && qty > 0 {
					t.Fatalf("%s: no link for %q × %d", name, sku, qty)
				}
				continue
			}
			u, err := url.Parse(link)
			if err != nil || u.Scheme != "https" || u.Host != "shop.example.com" || u.Fragment != "" {
				t.Fatalf("%s: %q × %d gave %q (%v)", name, sku, qty, link, err)
			}
			if !strings.Contains(u.Path, sku) && !strings.Contains(u.Query().Get("add-to-cart"), sku) && !strings.Contains(u.Query().Get("i"), sku) {
				t.Fatalf("%s: %q does not carry %q back", name, link, sku)
			}
		}
	})
}
