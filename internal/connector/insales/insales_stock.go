package insales

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

var _ connector.StockReader = (*Webhook)(nil)

// StockTopics are the product topics that carry stock; the shop points
// them at shopcare's address with ?topic= as Register does for orders.
var StockTopics = []string{"products/create", "products/update"}

// productTopic is the product topic a delivery's address names ("" for
// none): Parse leaves those to ParseStock.
func productTopic(r connector.Request) string {
	if r.Query == nil {
		return ""
	}
	if t := r.Query.Get("topic"); strings.HasPrefix(t, "products/") {
		return t
	}
	return ""
}

// product is an InSales product as its webhook and API give it, as far
// as stock goes: every variant's sku and quantity (null when the shop
// does not count it).
type product struct {
	ID       wire.ID `json:"id"`
	Title    string  `json:"title"`
	Variants []struct {
		ID       wire.ID       `json:"id"`
		SKU      string        `json:"sku"`
		Title    string        `json:"title"`
		Quantity *wire.Decimal `json:"quantity"`
	} `json:"variants"`
}

// ParseStock reads products/create and products/update (the topic in
// the address, ?topic=): the product, or a batch of them as InSales
// groups product webhooks (a list), each alone or wrapped as
// {"product": …}. A variant without a quantity or a SKU is not tracked.
func (w *Webhook) ParseStock(r connector.Request) (connector.StockDelivery, bool, error) {
	if productTopic(r) == "" {
		return connector.StockDelivery{}, false, nil
	}
	body := bytes.TrimSpace(r.Body)
	var raws []json.RawMessage
	if len(body) > 0 && body[0] == '[' {
		if err := json.Unmarshal(body, &raws); err != nil {
			return connector.StockDelivery{}, false, fmt.Errorf("body: not a list of InSales products: %w", err)
		}
	} else {
		raws = []json.RawMessage{body}
	}
	var d connector.StockDelivery
	for i, raw := range raws {
		f := ""
		if len(raws) > 1 || body[0] == '[' {
			f = fmt.Sprintf("[%d].", i)
		}
		var src struct {
			product
			Wrapped *product `json:"product"`
		}
		if err := json.Unmarshal(raw, &src); err != nil {
			return connector.StockDelivery{}, false, fmt.Errorf("%sbody: not an InSales product: %w", f, err)
		}
		p := src.product
		if src.Wrapped != nil {
			p = *src.Wrapped
		}
		if p.ID == "" {
			return connector.StockDelivery{}, false, invalid.Field(f+"id", "required", "the product has no id")
		}
		for j, v := range p.Variants {
			sku := strings.TrimSpace(v.SKU)
			if v.Quantity == nil || *v.Quantity == "" || sku == "" {
				d.Skipped++
				continue
			}
			field := fmt.Sprintf("%svariants[%d].quantity", f, j)
			q, err := v.Quantity.Int()
			if err != nil {
				return connector.StockDelivery{}, false, invalid.Field(field, "type", "%v", err)
			}
			if q > 1e9 || q < -1e9 {
				return connector.StockDelivery{}, false, invalid.Field(field, "out_of_range", "%d is not a count of items", q)
			}
			d.Levels = append(d.Levels, stock.Level{SKU: sku, Name: variantName(p.Title, v.Title), OnHand: int(q)})
		}
	}
	return d, true, nil
}

// variantName is the product's title, with the variant's when it has
// one of its own.
func variantName(product, variant string) string {
	product, variant = strings.TrimSpace(product), strings.TrimSpace(variant)
	if variant == "" || variant == product {
		return product
	}
	return wire.JoinWith(" — ", product, variant)
}
