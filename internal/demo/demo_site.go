package demo

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// The demo shop's web shop runs on WooCommerce, connected as the
// connector "site" of the demo's settings (shops/*.yaml): half of the
// live orders come in as its signed order.created webhooks, through the
// same intake as a real shop's, and show on the admin's connectors page.
const (
	siteConnector = "site"
	// siteSitePercent is the share of live orders placed on the site.
	sitePercent = 50
)

// viaSite tells whether a new order is placed on the shop's WooCommerce
// site rather than through the API (the shop's phone orders and its
// other channels): every other order or so, never one that uses the
// loyalty program at checkout (the site's plugin for it is not shown).
func (l *Live) viaSite(n order.NewOrder) bool {
	c, ok := l.a.Connectors.Connector(siteConnector)
	return ok && c.Platform == "woocommerce" && n.ReferralCode == "" && l.rnd.IntN(100) < sitePercent
}

// placeOnSite hands the order to the connector as WooCommerce would:
// its REST v3 order as an order.created webhook, signed with the
// webhook's secret. The connector applies it right after (the intake
// kicks its drain); the order's number stays the demo's.
func (l *Live) placeOnSite(ctx context.Context, n order.NewOrder, number string, at time.Time) error {
	c, _ := l.a.Connectors.Connector(siteConnector)
	body, err := json.Marshal(wooOrder(n, number, at, l.carrierName(n.Carrier)))
	if err != nil {
		return err
	}
	if err := l.wooHook(ctx, c, "order", "created", body, at); err != nil {
		return fmt.Errorf("demo: the site's order %s: %w", number, err)
	}
	return nil
}

// wooHook hands the connector a webhook of the demo's WooCommerce site:
// resource.event (order.created, product.updated) with body, signed with
// the webhook's secret as WooCommerce signs it.
func (l *Live) wooHook(ctx context.Context, c config.Connector, resource, event string, body []byte, at time.Time) error {
	m := hmac.New(sha256.New, []byte(c.WebhookSecret))
	m.Write(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-WC-Webhook-Topic", resource+"."+event)
	h.Set("X-WC-Webhook-Resource", resource)
	h.Set("X-WC-Webhook-Event", event)
	h.Set("X-WC-Webhook-Source", c.URL+"/")
	h.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	_, err := l.a.Connectors.Intake(ctx, siteConnector, connector.Request{Header: h, Body: body, ReceivedAt: at})
	return err
}

// carrierName is the shipping method's title on the site: the carrier's
// name, which the connector matches to the carrier.
func (l *Live) carrierName(code string) string {
	if c, ok := l.a.Settings.Carrier(code); ok {
		return c.DisplayName()
	}
	return code
}

// wooOrder is the order as WooCommerce's REST API v3 writes it (the
// fields the connector reads; see woocommerce/testdata/order.json).
func wooOrder(n order.NewOrder, number string, at time.Time, shipping string) map[string]any {
	scale := money.Scale(n.Currency)
	dec := func(minor int64) string { return money.Format(minor, scale) }
	first, last, _ := strings.Cut(n.Customer.Name, " ")
	gmt := at.UTC().Format("2006-01-02T15:04:05")
	items := make([]map[string]any, len(n.Items))
	var total int64
	for i, it := range n.Items {
		items[i] = map[string]any{"id": i + 1, "name": it.Name, "sku": it.SKU, "quantity": it.Qty,
			"subtotal": dec(it.PriceMinor * it.Qty), "total": dec(it.PriceMinor * it.Qty), "price": dec(it.PriceMinor)}
		total += it.PriceMinor * it.Qty
	}
	o := map[string]any{
		"id": json.Number(number), "number": number, "status": "on-hold", "currency": n.Currency,
		"date_created_gmt": gmt, "date_modified_gmt": gmt, "total": dec(total), "customer_id": 0,
		"payment_method": map[bool]string{true: "cod", false: "stripe"}[n.Payment.Method == "cod"],
		"billing": map[string]any{"first_name": first, "last_name": last, "email": n.Customer.Email,
			"phone": n.Customer.Phone, "city": n.Customer.City, "country": n.Customer.Country},
		"shipping": map[string]any{"first_name": first, "last_name": last, "address_1": n.Address,
			"city": n.Customer.City, "country": n.Customer.Country},
		"line_items":     items,
		"shipping_lines": []map[string]any{{"method_title": shipping}},
		"meta_data": []map[string]any{{"id": 1, "key": "wpml_language", "value": n.Customer.Language},
			{"id": 2, "key": "_wc_order_attribution_source_type", "value": map[bool]string{true: "typein", false: "utm"}[n.Channel == "direct"]},
			{"id": 3, "key": "_wc_order_attribution_utm_source", "value": map[bool]string{true: "(direct)", false: n.Channel}[n.Channel == "direct"]}},
	}
	if n.Payment.Paid {
		o["date_paid_gmt"] = gmt
	}
	return o
}

// siteNumber is the number of a site order's external id ("site:100123"),
// for the demo's numbering.
func siteNumber(ext string) (int, bool) {
	num, ok := strings.CutPrefix(ext, siteConnector+":")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}
