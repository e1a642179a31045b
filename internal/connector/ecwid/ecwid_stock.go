package ecwid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

var (
	_ connector.StockReader = (*Webhook)(nil)
	_ connector.StockAPI    = (*API)(nil)
)

// ParseStock reads product.created and product.updated: like an
// order's, Ecwid's product webhook names the product (entityId, or
// data.productId) and not its stock, so the drain reads the product
// through the API.
func (w *Webhook) ParseStock(r connector.Request) (connector.StockDelivery, bool, error) {
	var e struct {
		EventType string  `json:"eventType"`
		EntityID  wire.ID `json:"entityId"`
		Data      *struct {
			ProductID wire.ID `json:"productId"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil {
		return connector.StockDelivery{}, false, fmt.Errorf("body: not an Ecwid webhook: %w", err)
	}
	switch e.EventType {
	case "product.created", "product.updated":
	default:
		return connector.StockDelivery{}, false, nil
	}
	ref := string(e.EntityID)
	if e.Data != nil && e.Data.ProductID != "" {
		ref = string(e.Data.ProductID)
	}
	if err := productID(ref); err != nil {
		return connector.StockDelivery{}, false, err
	}
	return connector.StockDelivery{Ref: ref}, true, nil
}

// productID refuses anything but a numeric product id, before it is put
// in a path.
func productID(ref string) error {
	if ref == "" {
		return invalid.Field("entityId", "required", "the product webhook names no product")
	}
	if len(ref) > 20 || strings.Trim(ref, "0123456789") != "" {
		return invalid.Field("entityId", "invalid", "%q is not an Ecwid product id", ref)
	}
	return nil
}

// Product is an Ecwid product as the REST API gives it, as far as stock
// goes: a product with unlimited stock, or a variation (combination)
// with unlimited stock, is not counted.
type Product struct {
	ID           wire.ID  `json:"id"`
	SKU          string   `json:"sku"`
	Name         string   `json:"name"`
	Quantity     *float64 `json:"quantity"`
	Unlimited    bool     `json:"unlimited"`
	Combinations []struct {
		ID        wire.ID  `json:"id"`
		SKU       string   `json:"sku"`
		Quantity  *float64 `json:"quantity"`
		Unlimited bool     `json:"unlimited"`
	} `json:"combinations"`
}

// levels are the product's tracked levels: each variation with its own
// SKU and count; the product's own when no variation counts its stock
// (the product's quantity then is theirs summed). skipped counts what is
// not tracked.
func (p Product) levels() (levels []stock.Level, skipped int) {
	name := strings.TrimSpace(p.Name)
	for _, c := range p.Combinations {
		sku := strings.TrimSpace(c.SKU)
		if c.Unlimited || c.Quantity == nil || sku == "" || sku == strings.TrimSpace(p.SKU) {
			skipped++
			continue
		}
		levels = append(levels, stock.Level{SKU: sku, Name: name, OnHand: count(*c.Quantity)})
	}
	if len(levels) > 0 {
		return levels, skipped
	}
	sku := strings.TrimSpace(p.SKU)
	if p.Unlimited || p.Quantity == nil || sku == "" {
		return nil, skipped + 1
	}
	return []stock.Level{{SKU: sku, Name: name, OnHand: count(*p.Quantity)}}, skipped
}

// count is a quantity as a whole count, within bounds.
func count(q float64) int {
	return int(max(min(q, 1e9), -1e9))
}

// StockOf reads one product (ref is its id) with its variations.
func (a *API) StockOf(ctx context.Context, ref string) (connector.StockPage, error) {
	if err := productID(ref); err != nil {
		return connector.StockPage{}, err
	}
	var p Product
	if _, err := a.http.Get(ctx, a.store+"/products/"+url.PathEscape(ref), &p); err != nil {
		if wire.IsNotFound(err) {
			return connector.StockPage{Skipped: 1, Total: 1}, nil // deleted meanwhile
		}
		return connector.StockPage{}, fmt.Errorf("ecwid: product %s: %w", ref, err)
	}
	levels, skipped := p.levels()
	return connector.StockPage{Levels: levels, Skipped: skipped, Total: 1}, nil
}

// StockPage reads a page of up to 100 products with their levels; the
// cursor is the next page's offset.
func (a *API) StockPage(ctx context.Context, cursor string) (connector.StockPage, error) {
	offset := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return connector.StockPage{}, fmt.Errorf("ecwid: cursor %q is not an offset", cursor)
		}
		offset = n
	}
	v := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(Limit)}}
	var res struct {
		Total int       `json:"total"`
		Items []Product `json:"items"`
	}
	if _, err := a.http.Get(ctx, a.store+"/products?"+v.Encode(), &res); err != nil {
		return connector.StockPage{}, fmt.Errorf("ecwid: products from %d: %w", offset, err)
	}
	out := connector.StockPage{Total: res.Total}
	for _, p := range res.Items {
		levels, skipped := p.levels()
		out.Levels, out.Skipped = append(out.Levels, levels...), out.Skipped+skipped
	}
	if next := offset + len(res.Items); len(res.Items) > 0 && next < res.Total {
		out.Next = strconv.Itoa(next)
	}
	return out, nil
}
