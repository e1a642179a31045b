package shopify

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
)

// metafieldsSet writes metafields on an owner, creating or replacing
// each by namespace and key.
const metafieldsSet = `mutation($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { key }
    userErrors { field message }
  }
}`

// WriteBack puts the promise on the order as metafields in the
// "shopcare" namespace (production_date, ship_date, delivery_from,
// delivery_to as dates, tracking_url as a URL, promise as text), which
// the shop's order status page and its Liquid can show. Empty parts are
// left as they are.
func (a *Adapter) WriteBack(ctx context.Context, orderID string, p connector.Promise) error {
	gid, err := orderGID(orderID)
	if err != nil {
		return err
	}
	var fields []map[string]any
	add := func(key, typ, value string) {
		if value = strings.TrimSpace(value); value != "" {
			fields = append(fields, map[string]any{"ownerId": gid, "namespace": Namespace, "key": key, "type": typ, "value": value})
		}
	}
	add("production_date", "date", p.ProductionDate)
	add("ship_date", "date", p.ShipDate)
	add("delivery_from", "date", p.DeliveryFrom)
	add("delivery_to", "date", p.DeliveryTo)
	add("tracking_url", "url", p.TrackingURL)
	add("promise", "multi_line_text_field", p.Text)
	if len(fields) == 0 {
		return nil
	}
	var out struct {
		MetafieldsSet struct {
			UserErrors []userError `json:"userErrors"`
		} `json:"metafieldsSet"`
	}
	if err := a.gql.do(ctx, metafieldsSet, map[string]any{"metafields": fields}, costOrder, &out); err != nil {
		return fmt.Errorf("shopify: write the promise on order %s: %w", orderID, err)
	}
	if err := userErrors(out.MetafieldsSet.UserErrors); err != nil {
		return fmt.Errorf("shopify: write the promise on order %s: %w", orderID, err)
	}
	return nil
}
