package localshop

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// SignatureHeader carries the base64 HMAC-SHA256 of a webhook's body,
// keyed with the connector's webhook secret.
const SignatureHeader = "X-Localshop-Hmac-Sha256"

// Topics are the webhooks Register asks for.
var Topics = []string{"orders/create", "orders/updated"}

// maxThrottled is how many 429s in a row a call waits through before it
// gives up.
const maxThrottled = 10

// client speaks to the platform at o.URL with o.AccessToken.
type client struct{ o connector.Options }

// New returns the adapter of a connector on this platform.
func New(o connector.Options) connector.Adapter {
	c := &client{o: o}
	return connector.Adapter{Webhook: c, API: c, Registrar: c, Writer: c}
}

// Sign returns the signature the platform puts on body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify checks the signature on the raw body.
func (c *client) Verify(r connector.Request) error {
	got, err := base64.StdEncoding.DecodeString(r.Header.Get(SignatureHeader))
	if err != nil || len(got) == 0 || c.o.WebhookSecret == "" {
		return connector.ErrUnauthorized
	}
	want, _ := base64.StdEncoding.DecodeString(Sign(c.o.WebhookSecret, r.Body))
	if !hmac.Equal(got, want) {
		return connector.ErrUnauthorized
	}
	return nil
}

// Parse reads a delivery: the order itself, its topic in
// X-Localshop-Topic and its id in X-Localshop-Delivery.
func (c *client) Parse(r connector.Request) (connector.Delivery, error) {
	var w wireOrder
	if err := json.Unmarshal(r.Body, &w); err != nil {
		return connector.Delivery{}, fmt.Errorf("body: not an order: %w", err)
	}
	o, err := c.mapOrder(w)
	if err != nil {
		return connector.Delivery{}, err
	}
	d := connector.Delivery{ID: r.Header.Get("X-Localshop-Delivery"), Topic: r.Header.Get("X-Localshop-Topic"),
		Event: connector.OrderUpdated, OrderID: o.ID, Order: &o}
	switch {
	case d.Topic == "orders/create":
		d.Event = connector.OrderCreated
	case o.Status == order.Cancelled:
		d.Event = connector.OrderCancelled
	case o.Status == order.Returned:
		d.Event = connector.OrderRefunded
	case len(o.Fulfillments) > 0:
		d.Event = connector.OrderFulfilled
	}
	return d, nil
}

// Check reads the shop's name.
func (c *client) Check(ctx context.Context) (connector.Shop, error) {
	var s wireShop
	if err := c.call(ctx, http.MethodGet, "/shop", nil, &s); err != nil {
		return connector.Shop{}, err
	}
	return connector.Shop{Name: s.Name, Currency: s.Currency}, nil
}

// Orders reads one page.
func (c *client) Orders(ctx context.Context, q connector.Query) (connector.Page, error) {
	v := url.Values{}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.UTC().Format(time.RFC3339))
	}
	if q.Cursor != "" {
		v.Set("cursor", q.Cursor)
	}
	var p wirePage
	if err := c.call(ctx, http.MethodGet, "/orders?"+v.Encode(), nil, &p); err != nil {
		return connector.Page{}, err
	}
	page := connector.Page{Orders: make([]connector.Order, 0, len(p.Orders)), Next: p.Next, Total: p.Total}
	for i, w := range p.Orders {
		o, err := c.mapOrder(w)
		if err != nil {
			return connector.Page{}, fmt.Errorf("orders[%d]: %w", i, err)
		}
		page.Orders = append(page.Orders, o)
	}
	return page, nil
}

// Order reads one order.
func (c *client) Order(ctx context.Context, id string) (*connector.Order, error) {
	var w wireOrder
	if err := c.call(ctx, http.MethodGet, "/orders/"+url.PathEscape(id), nil, &w); err != nil {
		return nil, err
	}
	o, err := c.mapOrder(w)
	return &o, err
}

// Register asks for every topic, leaving those registered already.
func (c *client) Register(ctx context.Context, address string) ([]string, error) {
	var done []string
	for _, t := range Topics {
		err := c.call(ctx, http.MethodPost, "/webhooks", map[string]string{"address": address, "topic": t}, nil)
		var ae *connector.APIError
		if errors.As(err, &ae) && ae.Status == http.StatusUnprocessableEntity && strings.Contains(ae.Body, "already been taken") {
			err = nil
		}
		if err != nil {
			return done, fmt.Errorf("register %s: %w", t, err)
		}
		done = append(done, t)
	}
	return done, nil
}

// WriteBack puts the promise on the order.
func (c *client) WriteBack(ctx context.Context, id string, p connector.Promise) error {
	return c.call(ctx, http.MethodPut, "/orders/"+url.PathEscape(id)+"/promise", WirePromise{
		ProductionDate: p.ProductionDate, ShipDate: p.ShipDate, DeliveryFrom: p.DeliveryFrom, DeliveryTo: p.DeliveryTo,
		TrackingURL: p.TrackingURL, Text: p.Text,
	}, nil)
}

// call makes one API call, waiting through 429s as Retry-After says.
func (c *client) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		body = mustJSON(in)
	}
	for try := 0; ; try++ {
		req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.o.URL, "/")+path, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		req.Header.Set("Authorization", "Bearer "+c.o.AccessToken)
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.o.Client().Do(req)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		if resp.StatusCode == http.StatusTooManyRequests && try < maxThrottled {
			_ = resp.Body.Close()
			if err := c.o.Wait(ctx, c.retryAfter(resp.Header.Get("Retry-After"))); err != nil {
				return err
			}
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
			return &connector.APIError{Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
		}
		if out == nil {
			return nil
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("%s %s: the answer is not what the platform sends: %w", method, path, err)
		}
		return nil
	}
}

// retryAfter reads Retry-After: seconds or an HTTP date; a second when
// it says neither.
func (c *client) retryAfter(v string) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && c.o.Clock != nil {
		return max(t.Sub(c.o.Clock.Now()), 0)
	}
	return time.Second
}

// mapOrder reads a platform order in shopcare's words.
func (c *client) mapOrder(w wireOrder) (connector.Order, error) {
	if w.ID == "" {
		return connector.Order{}, errors.New("id: is required")
	}
	if err := checkStatus(w.Status); err != nil {
		return connector.Order{}, err
	}
	scale := money.Scale(w.Currency)
	total, err := money.Parse(w.Total, scale)
	if err != nil {
		return connector.Order{}, fmt.Errorf("total: %q is not an amount", w.Total)
	}
	o := connector.Order{
		ID: w.ID, Number: w.Number, PlacedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Currency: w.Currency, TotalMinor: total,
		Payment: order.Payment{Method: "prepaid", Paid: w.Paid},
		Customer: customer.Input{ExternalID: w.Customer.ID, Name: w.Customer.Name, Email: w.Customer.Email,
			Phone: w.Customer.Phone, Country: w.Customer.Country, Language: w.Customer.Language},
		Address: w.Address, Shipping: w.Shipping, Note: w.Note,
	}
	if w.COD {
		o.Payment.Method = "cod"
	}
	for i, it := range w.Items {
		price, err := money.Parse(it.Price, scale)
		if err != nil {
			return connector.Order{}, fmt.Errorf("items[%d].price: %q is not an amount", i, it.Price)
		}
		o.Items = append(o.Items, order.Item{SKU: it.SKU, Name: it.Name, Qty: it.Quantity, PriceMinor: price})
	}
	switch w.Status {
	case "shipped":
		o.Status = order.Shipped
	case "delivered":
		o.Status = order.Delivered
	case "cancelled":
		o.Status = order.Cancelled
	case "refunded":
		o.Status = order.Returned
	}
	if w.Tracking != "" {
		o.Fulfillments = []connector.Fulfillment{{ID: w.ID, Carrier: w.Carrier, TrackingNumber: w.Tracking, At: w.UpdatedAt}}
	}
	return o, nil
}
