package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

var (
	_ connector.StockReader = (*Adapter)(nil)
	_ connector.StockAPI    = (*Adapter)(nil)
)

// productPayload is a product (or a variation) as the REST API v3 and
// the product.* webhooks give it, as far as stock goes.
type productPayload struct {
	ID   id     `json:"id"`
	Name string `json:"name"`
	// Type is simple, variable, grouped, external or variation.
	Type string `json:"type"`
	SKU  string `json:"sku"`
	// ManageStock is true when WooCommerce counts the item, false when
	// it does not, and "parent" for a variation counted with its
	// product.
	ManageStock json.RawMessage `json:"manage_stock"`
	// StockQuantity is the count, null when the stock is not managed;
	// below zero when back orders sold more than there was.
	StockQuantity *int64 `json:"stock_quantity"`
}

// managed tells whether WooCommerce counts the item itself.
func (p productPayload) managed() bool {
	return string(bytes.TrimSpace(p.ManageStock)) == "true"
}

// level is the item's level; ok is false for an item whose stock is not
// managed, or has no SKU.
func (p productPayload) level(field string) (stock.Level, bool, error) {
	sku := strings.TrimSpace(p.SKU)
	if !p.managed() || p.StockQuantity == nil || sku == "" {
		return stock.Level{}, false, nil
	}
	if q := *p.StockQuantity; q > 1e9 || q < -1e9 {
		return stock.Level{}, false, invalid.Field(field+"stock_quantity", "out_of_range", "%d is not a count of items", q)
	}
	return stock.Level{SKU: sku, Name: strings.TrimSpace(p.Name), OnHand: int(*p.StockQuantity)}, true, nil
}

// ParseStock reads product.created, product.updated and
// product.restored: the product (or variation, which WooCommerce also
// sends under product.updated) with its sku, manage_stock and
// stock_quantity. An item whose stock WooCommerce does not manage is not
// tracked; a variation counted with its product ("parent") is the
// product's level. A variable product's webhook lists its variations by
// id only, so the drain reads them through the API.
func (a *Adapter) ParseStock(r connector.Request) (connector.StockDelivery, bool, error) {
	switch strings.TrimSpace(r.Header.Get(headerTopic)) {
	case "product.created", "product.updated", "product.restored":
	default:
		return connector.StockDelivery{}, false, nil
	}
	var p productPayload
	if err := decode(r.Body, &p); err != nil {
		return connector.StockDelivery{}, false, err
	}
	if p.ID == "" {
		return connector.StockDelivery{}, false, invalid.Field("id", "required", "the product has no id")
	}
	if m := string(bytes.TrimSpace(p.ManageStock)); m != "" && m != "true" && m != "false" && m != `"parent"` && m != "null" {
		return connector.StockDelivery{}, false, invalid.Field("manage_stock", "type", "must be true, false or \"parent\", not %.40s", m)
	}
	var d connector.StockDelivery
	l, ok, err := p.level("")
	if err != nil {
		return d, false, err
	}
	if ok {
		d.Levels = append(d.Levels, l)
	} else if p.Type != "variable" {
		d.Skipped++
	}
	if p.Type == "variable" {
		d.Ref = string(p.ID)
	}
	return d, true, nil
}

// StockOf reads the variations of a variable product (ref is its id),
// each with its level; those counted with the product are skipped (the
// product's own level covers them).
func (a *Adapter) StockOf(ctx context.Context, ref string) (connector.StockPage, error) {
	if err := checkID(ref); err != nil {
		return connector.StockPage{}, err
	}
	var out connector.StockPage
	for page := 1; ; page++ {
		v := url.Values{"per_page": {strconv.Itoa(PageSize)}, "page": {strconv.Itoa(page)}}
		var raw []productPayload
		r, err := a.rest.do(ctx, http.MethodGet, "/products/"+ref+"/variations", v, nil, &raw)
		if err != nil {
			return connector.StockPage{}, fmt.Errorf("woocommerce: variations of product %s: %w", ref, err)
		}
		if err := collect(&out, raw, fmt.Sprintf("product %s variations page %d", ref, page)); err != nil {
			return connector.StockPage{}, err
		}
		if pages := total(r.header, "X-WP-TotalPages"); pages <= page && (pages >= 0 || len(raw) < PageSize) {
			out.Total = len(out.Levels) + out.Skipped
			return out, nil
		}
	}
}

// StockPage reads one page of the shop's products (the cursor is the
// page number) with their levels, and the variations of the variable
// ones among them.
func (a *Adapter) StockPage(ctx context.Context, cursor string) (connector.StockPage, error) {
	page := 1
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 1 {
			return connector.StockPage{}, invalid.Field("cursor", "invalid", "%q is not a page number", cursor)
		}
		page = n
	}
	v := url.Values{"per_page": {strconv.Itoa(PageSize)}, "page": {strconv.Itoa(page)}, "orderby": {"id"}, "order": {"asc"}}
	var raw []productPayload
	r, err := a.rest.do(ctx, http.MethodGet, "/products", v, nil, &raw)
	if err != nil {
		return connector.StockPage{}, fmt.Errorf("woocommerce: products page %d: %w", page, err)
	}
	out := connector.StockPage{Total: total(r.header, "X-WP-Total")}
	if err := collect(&out, raw, fmt.Sprintf("products page %d", page)); err != nil {
		return connector.StockPage{}, err
	}
	for _, p := range raw {
		if p.Type != "variable" {
			continue
		}
		vs, err := a.StockOf(ctx, string(p.ID))
		if err != nil {
			return connector.StockPage{}, err
		}
		out.Levels, out.Skipped = append(out.Levels, vs.Levels...), out.Skipped+vs.Skipped
	}
	pages := total(r.header, "X-WP-TotalPages")
	if pages > page || pages < 0 && len(raw) == PageSize {
		out.Next = strconv.Itoa(page + 1)
	}
	return out, nil
}

// collect adds the levels of a list of products or variations to p.
func collect(p *connector.StockPage, raw []productPayload, where string) error {
	for i, it := range raw {
		l, ok, err := it.level(fmt.Sprintf("[%d].", i))
		switch {
		case err != nil:
			return fmt.Errorf("woocommerce: %s: %w", where, err)
		case ok:
			p.Levels = append(p.Levels, l)
		case it.Type != "variable":
			p.Skipped++
		}
	}
	return nil
}
