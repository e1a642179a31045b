package config

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Reorder is how "order again" on the customer's own page works: with a
// cart link, the customer is sent to the shop's cart with the order's
// lines in it; without one, shopcare makes a new order that an operator
// confirms on the usual call-back.
type Reorder struct {
	// Platform is the shop's platform, which says how its cart link is
	// written: shopify, woocommerce or custom; "" for no cart link.
	// Shopify's and WooCommerce's links name each line by the platform's
	// variant (or product) id, which the connectors keep with the order;
	// an order with a line without one is made in shopcare instead.
	Platform string `yaml:"platform"`
	// CartURL is, for shopify, the shop's address (https://shop.example.com:
	// the link is /cart/{variant_id}:{qty},…); for woocommerce, the address
	// of its cart page (https://shop.example.com/cart/: the link adds
	// ?add-to-cart={variant_id}…); for custom, an address with {items}
	// where the lines go, each written as Item and joined by Separator.
	CartURL string `yaml:"cart_url"`
	// Item is how one line is written into a custom link's {items}:
	// {sku}, {variant_id} and {qty} stand for the line's SKU, the
	// platform's id of it and its quantity.
	Item string `yaml:"item"`
	// Separator joins the lines of a custom link's {items}.
	Separator string `yaml:"separator"`
}

// The platforms whose cart links shopcare writes.
const (
	ReorderShopify     = "shopify"
	ReorderWooCommerce = "woocommerce"
	ReorderCustom      = "custom"
)

// ReorderPlatforms lists the platforms of Reorder.Platform.
var ReorderPlatforms = []string{ReorderShopify, ReorderWooCommerce, ReorderCustom}

// The defaults of a custom link's line and separator.
const (
	defaultReorderItem      = "{sku}:{qty}"
	defaultReorderSeparator = ","
)

// CartLine is one line of an order put back in a cart.
type CartLine struct {
	SKU string
	// VariantID is the shop platform's id of the line's product (Shopify's
	// variant id, WooCommerce's variation or product id); "" when unknown.
	VariantID string
	Qty       int64
}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// validateReorder checks the reorder keys: a known platform, an http(s)
// address whose scheme and host are the shop's own (no placeholder may
// change where the link goes), and a custom template's placeholders.
func (s *Settings) validateReorder(errs *invalid.List) {
	r := &s.Reorder
	r.Platform = strings.TrimSpace(r.Platform)
	r.CartURL = strings.TrimSpace(r.CartURL)
	if r.Platform == "" {
		if r.CartURL != "" {
			errs.Add("reorder.platform", "required", "say whose cart link reorder.cart_url is: %s", strings.Join(ReorderPlatforms, ", "))
		}
		return
	}
	if !slices.Contains(ReorderPlatforms, r.Platform) {
		errs.Add("reorder.platform", "invalid", "%q is not a platform: %s, or empty for no cart link", r.Platform, strings.Join(ReorderPlatforms, ", "))
		return
	}
	if r.CartURL == "" {
		errs.Add("reorder.cart_url", "required", "give the shop's cart address for the %s platform", r.Platform)
		return
	}
	if strings.ContainsFunc(r.CartURL, unicode.IsSpace) || strings.ContainsFunc(r.Item+r.Separator, unicode.IsControl) {
		errs.Add("reorder.cart_url", "invalid", "must be one address without spaces")
		return
	}
	found := placeholder.FindAllString(r.CartURL, -1)
	if r.Platform != ReorderCustom && len(found) > 0 {
		errs.Add("reorder.cart_url", "invalid", "for %s give the shop's address only, without %s: shopcare writes the lines", r.Platform, found[0])
		return
	}
	if r.Platform == ReorderCustom {
		if !r.validateCustom(errs, found) {
			return
		}
	}
	u, err := url.Parse(strings.ReplaceAll(r.CartURL, "{items}", "x"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, "{}") || u.User != nil {
		errs.Add("reorder.cart_url", "invalid", "must be the shop's address such as https://shop.example.com/cart/{items}")
		return
	}
	if i := strings.Index(r.CartURL, "{"); i >= 0 && i < len(u.Scheme)+3+len(u.Host) {
		errs.Add("reorder.cart_url", "invalid", "{items} may stand in the path or the query, never in the host")
		return
	}
	if r.Platform == ReorderShopify && (u.RawQuery != "" || u.Fragment != "") {
		errs.Add("reorder.cart_url", "invalid", "for shopify give the shop's address only, such as https://shop.example.com")
	}
	if r.Platform == ReorderWooCommerce && (strings.Contains(u.RawQuery, "add-to-cart") || u.Fragment != "") {
		errs.Add("reorder.cart_url", "invalid", "for woocommerce give the cart page's address, such as https://shop.example.com/cart/: shopcare adds ?add-to-cart=")
	}
}

// validateCustom checks a custom template's placeholders and fills the
// line's and separator's defaults; false when the template is refused.
func (r *Reorder) validateCustom(errs *invalid.List, found []string) bool {
	if r.Item == "" {
		r.Item = defaultReorderItem
	}
	if r.Separator == "" {
		r.Separator = defaultReorderSeparator
	}
	ok := true
	for _, p := range found {
		if p != "{items}" {
			errs.Add("reorder.cart_url", "invalid", "%s is not a placeholder of the address: {items} stands for the lines", p)
			ok = false
		}
	}
	if strings.Count(r.CartURL, "{items}") != 1 {
		errs.Add("reorder.cart_url", "invalid", "put {items} once where the order's lines go, such as https://shop.example.com/cart/{items}")
		ok = false
	}
	for _, p := range placeholder.FindAllString(r.Item, -1) {
		if p != "{sku}" && p != "{variant_id}" && p != "{qty}" {
			errs.Add("reorder.item", "invalid", "%s is not a placeholder of a line: {sku}, {variant_id} and {qty}", p)
			ok = false
		}
	}
	if !strings.Contains(r.Item, "{sku}") && !strings.Contains(r.Item, "{variant_id}") || !strings.Contains(r.Item, "{qty}") {
		errs.Add("reorder.item", "invalid", "a line needs {qty} and {sku} or {variant_id}, such as {sku}:{qty}")
		ok = false
	}
	bare := strings.NewReplacer("{sku}", "", "{variant_id}", "", "{qty}", "").Replace(r.Item) + r.Separator
	if strings.ContainsAny(bare, " #{}") {
		errs.Add("reorder.item", "invalid", "a line and its separator may not hold spaces, # or braces besides {sku}, {variant_id} and {qty}")
		ok = false
	}
	return ok
}

// CartLink writes the shop's cart link holding lines, or false when the
// shop has no cart link or a line cannot go in one (no quantity, or no id
// the link names it by: shopify and woocommerce name a line by the
// platform's VariantID, a custom Item by what it holds): the caller then
// makes the order in shopcare instead, as a link missing a line, or
// naming it by the SKU where the platform wants its id, would put the
// wrong cart in front of the customer. The link's scheme and host are
// always the settings' own; each value is escaped where it stands (path
// or query), so no SKU or id can move the link elsewhere.
func (r Reorder) CartLink(lines []CartLine) (string, bool) {
	if r.Platform == "" || r.CartURL == "" || len(lines) == 0 {
		return "", false
	}
	needSKU := r.Platform == ReorderCustom && strings.Contains(r.Item, "{sku}")
	needVariant := r.Platform != ReorderCustom || strings.Contains(r.Item, "{variant_id}")
	for _, l := range lines {
		if l.Qty <= 0 || needSKU && strings.TrimSpace(l.SKU) == "" || needVariant && strings.TrimSpace(l.VariantID) == "" {
			return "", false
		}
	}
	var link string
	switch r.Platform {
	case ReorderShopify:
		// https://SHOP/cart/{variant}:{qty},{variant}:{qty} — Shopify's cart
		// permalink, which fills the cart and opens the checkout.
		parts := make([]string, len(lines))
		for i, l := range lines {
			parts[i] = pathValue(l.VariantID) + ":" + strconv.FormatInt(l.Qty, 10)
		}
		link = strings.TrimSuffix(r.CartURL, "/") + "/cart/" + strings.Join(parts, ",")
	case ReorderWooCommerce:
		// WooCommerce itself adds one product a link: ?add-to-cart=ID&quantity=N.
		// Several go as ?add-to-cart=ID:N,ID:N, the form the common
		// "add multiple products to cart via URL" plugins read.
		var q string
		if len(lines) == 1 {
			q = "add-to-cart=" + url.QueryEscape(lines[0].VariantID) + "&quantity=" + strconv.FormatInt(lines[0].Qty, 10)
		} else {
			parts := make([]string, len(lines))
			for i, l := range lines {
				parts[i] = url.QueryEscape(l.VariantID) + ":" + strconv.FormatInt(l.Qty, 10)
			}
			q = "add-to-cart=" + strings.Join(parts, ",")
		}
		sep := "?"
		if strings.Contains(r.CartURL, "?") {
			sep = "&"
		}
		link = r.CartURL + sep + q
	case ReorderCustom:
		i := strings.Index(r.CartURL, "{items}")
		inQuery := strings.Contains(r.CartURL[:i], "?")
		parts := make([]string, len(lines))
		for k, l := range lines {
			esc := pathValue
			if inQuery {
				esc = url.QueryEscape
			}
			parts[k] = strings.NewReplacer("{sku}", esc(l.SKU), "{variant_id}", esc(l.VariantID),
				"{qty}", strconv.FormatInt(l.Qty, 10)).Replace(r.Item)
		}
		link = r.CartURL[:i] + strings.Join(parts, r.Separator) + r.CartURL[i+len("{items}"):]
	default:
		return "", false
	}
	if !sameOrigin(link, r.CartURL) {
		return "", false
	}
	return link, true
}

// pathValue escapes a value for a path segment, ':' and ',' too: they
// separate a line's parts and the lines.
func pathValue(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(url.PathEscape(s))
}

// sameOrigin reports whether link goes to the scheme and host of the
// settings' address tmpl.
func sameOrigin(link, tmpl string) bool {
	l, err := url.Parse(link)
	if err != nil {
		return false
	}
	t, err := url.Parse(strings.ReplaceAll(tmpl, "{items}", "x"))
	return err == nil && l.Scheme == t.Scheme && l.Host == t.Host && l.User == nil
}
