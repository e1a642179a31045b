package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/invalid"
)

// PageSize is how many orders one page asks for: WooCommerce's most.
const PageSize = 100

// Check reads the shop's system status, which needs working keys (the
// index at /wp-json/wc/v3 answers anyone), for its currency and address,
// and the site's name from the WordPress index where it is public.
func (a *Adapter) Check(ctx context.Context) (connector.Shop, error) {
	var st struct {
		Environment struct {
			HomeURL string `json:"home_url"`
		} `json:"environment"`
		Settings struct {
			Currency string `json:"currency"`
		} `json:"settings"`
	}
	if _, err := a.rest.do(ctx, http.MethodGet, "/system_status", nil, nil, &st); err != nil {
		return connector.Shop{}, fmt.Errorf("woocommerce: check the shop: %w", err)
	}
	shop := connector.Shop{Name: st.Environment.HomeURL, Currency: st.Settings.Currency}
	if u, err := url.Parse(st.Environment.HomeURL); err == nil && u.Host != "" {
		shop.Name = u.Host
	}
	return shop, nil
}

// Orders returns one page of the shop's orders, oldest first, created at
// or after q.Since; the cursor is the page number. WooCommerce counts the
// query's orders on every page (X-WP-Total).
func (a *Adapter) Orders(ctx context.Context, q connector.Query) (connector.Page, error) {
	page := 1
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 1 {
			return connector.Page{}, invalid.Field("cursor", "invalid", "%q is not a page number", q.Cursor)
		}
		page = n
	}
	v := url.Values{
		"per_page": {strconv.Itoa(PageSize)}, "page": {strconv.Itoa(page)},
		"orderby": {"date"}, "order": {"asc"},
	}
	if !q.Since.IsZero() {
		// after is exclusive; a second earlier takes in an order placed
		// at since itself.
		v.Set("after", q.Since.UTC().Add(-time.Second).Format("2006-01-02T15:04:05"))
		v.Set("dates_are_gmt", "true")
	}
	var raw []orderPayload
	r, err := a.rest.do(ctx, http.MethodGet, "/orders", v, nil, &raw)
	if err != nil {
		return connector.Page{}, fmt.Errorf("woocommerce: orders page %d: %w", page, err)
	}
	out := connector.Page{Total: total(r.header, "X-WP-Total")}
	for i := range raw {
		o, err := raw[i].order(a.opts.Statuses)
		if err != nil {
			return connector.Page{}, fmt.Errorf("woocommerce: orders page %d, order %s: %w", page, raw[i].ID, err)
		}
		out.Orders = append(out.Orders, *o)
	}
	pages := total(r.header, "X-WP-TotalPages")
	if pages > page || pages < 0 && len(raw) == PageSize {
		out.Next = strconv.Itoa(page + 1)
	}
	return out, nil
}

// Order returns one order by id; a 404 APIError when the shop has none.
func (a *Adapter) Order(ctx context.Context, orderID string) (*connector.Order, error) {
	if err := checkID(orderID); err != nil {
		return nil, err
	}
	var p orderPayload
	if _, err := a.rest.do(ctx, http.MethodGet, "/orders/"+orderID, nil, nil, &p); err != nil {
		return nil, fmt.Errorf("woocommerce: order %s: %w", orderID, err)
	}
	o, err := p.order(a.opts.Statuses)
	if err != nil {
		return nil, fmt.Errorf("woocommerce: order %s: %w", orderID, err)
	}
	return o, nil
}

// checkID refuses anything but a numeric order id, before it is put in a
// path.
func checkID(orderID string) error {
	if orderID == "" || len(orderID) > 20 || strings.Trim(orderID, "0123456789") != "" {
		return invalid.Field("order_id", "invalid", "%q is not a WooCommerce order id", orderID)
	}
	return nil
}
