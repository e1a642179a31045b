package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

var (
	_ connector.StockReader = (*Adapter)(nil)
	_ connector.StockAPI    = (*Adapter)(nil)
)

// StockSubscriptions are the topics that tell shopcare of stock (the
// app needs the read_products and read_inventory scopes; Register does
// not subscribe to them, so a shop that keeps no stock in shopcare is
// not asked for more): a
// product's webhook carries every variant's count; an inventory level's
// names only the inventory item and one location, so the drain reads
// the item's total through the API.
var StockSubscriptions = []struct{ Enum, Topic string }{
	{"PRODUCTS_CREATE", "products/create"},
	{"PRODUCTS_UPDATE", "products/update"},
	{"INVENTORY_LEVELS_UPDATE", "inventory_levels/update"},
}

// productPayload is the products/create and products/update webhook's
// body, as far as stock goes.
type productPayload struct {
	ID       id     `json:"id"`
	Title    string `json:"title"`
	Variants []struct {
		ID    id     `json:"id"`
		SKU   string `json:"sku"`
		Title string `json:"title"`
		// InventoryQuantity is the variant's count over every location:
		// what the shop can still sell.
		InventoryQuantity *int64 `json:"inventory_quantity"`
		// InventoryManagement is "shopify" (or a fulfillment service's
		// handle) when Shopify counts the variant, null when it does
		// not; newer API versions leave it out.
		InventoryManagement json.RawMessage `json:"inventory_management"`
	} `json:"variants"`
}

// ParseStock reads products/create, products/update (the variants'
// sku and inventory_quantity; a variant whose inventory_management is
// null is not counted by Shopify and is skipped, as is one without a
// SKU) and inventory_levels/update (its inventory_item_id, for the drain
// to read through the API: the level of one location is not the
// variant's count).
func (a *Adapter) ParseStock(r connector.Request) (connector.StockDelivery, bool, error) {
	topic := strings.TrimSpace(r.Header.Get(headerTopic))
	switch topic {
	case "products/create", "products/update":
		var p productPayload
		if err := decode(r.Body, &p); err != nil {
			return connector.StockDelivery{}, false, err
		}
		if p.ID == "" {
			return connector.StockDelivery{}, false, invalid.Field("id", "required", "the product has no id")
		}
		var d connector.StockDelivery
		for i, v := range p.Variants {
			tracked := v.InventoryQuantity != nil
			if m := strings.TrimSpace(string(v.InventoryManagement)); m == "null" || m == `""` {
				tracked = false
			}
			sku := strings.TrimSpace(v.SKU)
			if !tracked || sku == "" {
				d.Skipped++
				continue
			}
			if *v.InventoryQuantity > 1e9 || *v.InventoryQuantity < -1e9 {
				return connector.StockDelivery{}, false, invalid.Field(fmt.Sprintf("variants[%d].inventory_quantity", i), "out_of_range",
					"%d is not a count of items", *v.InventoryQuantity)
			}
			d.Levels = append(d.Levels, stock.Level{SKU: sku, Name: variantName(p.Title, v.Title), OnHand: int(*v.InventoryQuantity)})
		}
		return d, true, nil
	case "inventory_levels/update":
		var p struct {
			InventoryItemID id `json:"inventory_item_id"`
		}
		if err := decode(r.Body, &p); err != nil {
			return connector.StockDelivery{}, false, err
		}
		if p.InventoryItemID == "" {
			return connector.StockDelivery{}, false, invalid.Field("inventory_item_id", "required", "the inventory level names no inventory item")
		}
		return connector.StockDelivery{Ref: "gid://shopify/InventoryItem/" + string(p.InventoryItemID)}, true, nil
	}
	return connector.StockDelivery{}, false, nil
}

// variantName is a variant's name as the shop shows it: the product's
// title, then the variant's unless it is Shopify's "Default Title".
func variantName(product, variant string) string {
	product, variant = strings.TrimSpace(product), strings.TrimSpace(variant)
	if variant == "" || variant == "Default Title" {
		return product
	}
	if product == "" {
		return variant
	}
	return product + " — " + variant
}

// StockPageSize is how many variants one page of the stock backfill
// asks for: each costs about a point, well inside a query's 1,000.
const StockPageSize = 250

const (
	inventoryItemQuery = `query($id: ID!) {
  inventoryItem(id: $id) {
    sku tracked
    variant { title inventoryQuantity product { title } }
  }
}`
	variantsQuery = `query($first: Int!, $after: String) {
  productVariants(first: $first, after: $after) {
    nodes { sku title inventoryQuantity inventoryItem { tracked } product { title } }
    pageInfo { hasNextPage endCursor }
  }
}`
)

// gqlVariant is a product variant as the stock queries read it.
type gqlVariant struct {
	SKU               string `json:"sku"`
	Title             string `json:"title"`
	InventoryQuantity *int64 `json:"inventoryQuantity"`
	InventoryItem     *struct {
		Tracked bool `json:"tracked"`
	} `json:"inventoryItem"`
	Product *struct {
		Title string `json:"title"`
	} `json:"product"`
}

// level is the variant's level; ok is false for a variant Shopify does
// not count or that has no SKU.
func (v gqlVariant) level(tracked bool) (stock.Level, bool) {
	sku := strings.TrimSpace(v.SKU)
	if !tracked || sku == "" || v.InventoryQuantity == nil {
		return stock.Level{}, false
	}
	product := ""
	if v.Product != nil {
		product = v.Product.Title
	}
	return stock.Level{SKU: sku, Name: variantName(product, v.Title), OnHand: int(max(min(*v.InventoryQuantity, 1e9), -1e9))}, true
}

// StockOf reads an inventory item's variant and its count over every
// location (ref is the item's global id).
func (a *Adapter) StockOf(ctx context.Context, ref string) (connector.StockPage, error) {
	var out struct {
		InventoryItem *struct {
			SKU     string      `json:"sku"`
			Tracked bool        `json:"tracked"`
			Variant *gqlVariant `json:"variant"`
		} `json:"inventoryItem"`
	}
	if err := a.gql.do(ctx, inventoryItemQuery, map[string]any{"id": ref}, costOrder, &out); err != nil {
		return connector.StockPage{}, fmt.Errorf("shopify: inventory item %s: %w", ref, err)
	}
	it := out.InventoryItem
	if it == nil || it.Variant == nil {
		return connector.StockPage{Skipped: 1, Total: 1}, nil // deleted meanwhile
	}
	v := *it.Variant
	v.SKU = strings.TrimSpace(wire.FirstOf(it.SKU, v.SKU))
	if l, ok := v.level(it.Tracked); ok {
		return connector.StockPage{Levels: []stock.Level{l}, Total: 1}, nil
	}
	return connector.StockPage{Skipped: 1, Total: 1}, nil
}

// StockPage reads one page of the shop's variants with their counts.
func (a *Adapter) StockPage(ctx context.Context, cursor string) (connector.StockPage, error) {
	vars := map[string]any{"first": StockPageSize}
	if cursor != "" {
		vars["after"] = cursor
	}
	var out struct {
		ProductVariants struct {
			Nodes    []gqlVariant `json:"nodes"`
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
		} `json:"productVariants"`
	}
	if err := a.gql.do(ctx, variantsQuery, vars, StockPageSize, &out); err != nil {
		return connector.StockPage{}, fmt.Errorf("shopify: variants after %q: %w", cursor, err)
	}
	p := connector.StockPage{Total: -1}
	for _, v := range out.ProductVariants.Nodes {
		if l, ok := v.level(v.InventoryItem != nil && v.InventoryItem.Tracked); ok {
			p.Levels = append(p.Levels, l)
		} else {
			p.Skipped++
		}
	}
	if out.ProductVariants.PageInfo.HasNextPage {
		p.Next = out.ProductVariants.PageInfo.EndCursor
	}
	return p, nil
}
