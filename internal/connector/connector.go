// Package connector connects shop platforms (Shopify, WooCommerce,
// InSales, Tilda, Ecwid and any other through a mapping) to shopcare:
// their webhooks come in at POST /hooks/{name}, are checked on the raw
// body, stored once per delivery and then applied to orders through the
// order service, the same way as the API's changes; their REST APIs give
// the shop's history (backfill) and take the promised dates back.
//
// This file is the contract between the core and the platforms' adapters,
// each in a package of its own under this one.
package connector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
)

// Event is what a delivery says happened to an order, in shopcare's words.
type Event string

// The events a delivery can carry.
const (
	OrderCreated   Event = "order_created"
	OrderUpdated   Event = "order_updated"
	OrderPaid      Event = "order_paid"
	OrderCancelled Event = "order_cancelled"
	OrderRefunded  Event = "order_refunded"
	OrderFulfilled Event = "order_fulfilled" // a shipment with its carrier and tracking number
	// Ping is a platform's test delivery (WooCommerce's webhook_id=…
	// form, Tilda's test=test): answered 200, nothing to apply.
	Ping Event = "ping"
	// Ignored is a delivery about something shopcare does not follow
	// (a product, a customer alone): stored and answered, not applied.
	Ignored Event = "ignored"
)

// Request is a delivery as it reached POST /hooks/{name}, before anything
// in it is trusted.
type Request struct {
	Header http.Header
	Query  url.Values
	// PathSecret is the {secret} of POST /hooks/{name}/{secret}; "" on
	// the plain address.
	PathSecret string
	Body       []byte
	// ReceivedAt is when it came (the shop's clock).
	ReceivedAt time.Time
}

// ErrUnauthorized is Verify's answer to a delivery whose signature or
// secret is wrong or missing: 401, nothing stored.
var ErrUnauthorized = errors.New("the delivery's signature or secret is wrong or missing")

// Delivery is what an adapter reads from a verified request.
type Delivery struct {
	// ID is the platform's id of this delivery (X-Shopify-Webhook-Id,
	// X-WC-Webhook-Delivery-ID, Ecwid's eventId); "" when the platform
	// sends none: the core then uses a digest of the body.
	ID string
	// Topic is the platform's own name of the event ("orders/create"),
	// for the connector's log.
	Topic string
	Event Event
	// OrderID is the platform's id of the order, set for every order
	// event.
	OrderID string
	// Order is the order as the delivery carries it; nil when the
	// delivery names only OrderID (Ecwid): the core then asks the API.
	Order *Order
}

// Order is an order as a platform describes it, in shopcare's words.
type Order struct {
	// ID is the platform's id of the order; the shopcare order's
	// external id is "{connector name}:{ID}".
	ID string
	// Number is the order's number as the customer knows it ("#1001").
	Number    string
	PlacedAt  time.Time
	UpdatedAt time.Time
	// Status is the platform's state in shopcare's statuses; "" when the
	// platform says nothing beyond the order existing (a new order).
	// Cancelled and returned (refunded after shipping) are set here too.
	Status order.Status
	// Payment: Method is "prepaid" or "cod"; Paid whether the money came.
	Payment    order.Payment
	Currency   string
	TotalMinor int64
	// Customer is the buyer; ExternalID is the platform's customer id
	// (the core prefixes it with the connector's name), Language where
	// the platform knows it (ru, lv, en).
	Customer customer.Input
	// MarketingConsent is whether the customer agreed to marketing
	// e-mail, nil where the platform does not say.
	MarketingConsent *bool
	// Address is the delivery address on one line.
	Address string
	Items   []order.Item
	// Shipping is the platform's name of the shipping method chosen at
	// checkout; the core maps it to a carrier (config.Connector.Carriers).
	Shipping string
	// Fulfillments are the shipments sent, each with its carrier and
	// tracking number.
	Fulfillments []Fulfillment
	// Note is the customer's comment at checkout.
	Note string
	// Channel is the acquisition channel the platform attributes the
	// order to (its utm_source: google, instagram; direct for a visit
	// typed in), for the analytics' CAC by channel; "" when unknown.
	Channel string
}

// Fulfillment is one shipment of an order.
type Fulfillment struct {
	ID string
	// Carrier is the platform's name of the carrier ("DHL Express", "СДЭК").
	Carrier        string
	TrackingNumber string
	TrackingURL    string
	At             time.Time
}

// Webhook is the inbound half of an adapter.
type Webhook interface {
	// Verify checks the request's signature or secret on the raw body,
	// before anything is parsed, in constant time; ErrUnauthorized
	// when it is wrong or missing.
	Verify(r Request) error
	// Parse reads a verified request; an error means the body is not
	// what the platform sends: 422 naming the field, nothing stored (the
	// platform's retries then fail alike, and the log says why).
	Parse(r Request) (Delivery, error)
}

// Query asks the platform's API for a page of orders.
type Query struct {
	// Since: orders created (or updated, where the platform filters so)
	// at or after it; zero for all.
	Since time.Time
	// Cursor is the Page.Next of the page before; "" for the first.
	Cursor string
}

// Page is one page of the shop's orders, oldest first where the platform
// can sort so.
type Page struct {
	Orders []Order
	// Next continues after this page; "" on the last one.
	Next string
	// Total is how many orders the query has in all, -1 when the
	// platform does not say (for the progress bar).
	Total int
}

// Shop is what a credentials check learned of the shop.
type Shop struct {
	Name     string
	Currency string
}

// API is the platform's REST API. Adapters honour the platform's rate
// limits themselves (Shopify's leaky bucket, InSales' quota, 429 with
// Retry-After), waiting through Options.Sleep.
type API interface {
	// Check tries the credentials with a cheap call.
	Check(ctx context.Context) (Shop, error)
	// Orders returns one page of the shop's orders.
	Orders(ctx context.Context, q Query) (Page, error)
	// Order returns one order by the platform's id.
	Order(ctx context.Context, id string) (*Order, error)
}

// Registrar registers shopcare's webhook address with the platform,
// where its API allows; it returns the topics registered and leaves
// registrations already there alone.
type Registrar interface {
	Register(ctx context.Context, address string) ([]string, error)
}

// Promise is what write-back puts on the platform's order.
type Promise struct {
	// Days YYYY-MM-DD: made on, ships on, arrives between.
	ProductionDate, ShipDate, DeliveryFrom, DeliveryTo string
	// TrackingURL is the customer's tracking page.
	TrackingURL string
	// Text says it all in the shop's first language, for platforms that
	// take a note.
	Text string
}

// Writer puts the promise on the platform's order (write-back).
type Writer interface {
	WriteBack(ctx context.Context, orderID string, p Promise) error
}

// Options build an adapter from a connector's settings.
type Options struct {
	Name, URL, StoreID             string
	AccessToken, APIKey, APISecret string
	Password, WebhookSecret        string
	Statuses                       map[string]string
	// Mapping reads a custom platform's payloads (custom only).
	Mapping *config.Mapping
	// HTTP makes the API's requests; a client with a 30 s timeout when nil.
	HTTP *http.Client
	// Clock tells the time (rate-limit windows, Retry-After dates).
	Clock clock.Clock
	// Sleep waits d or until ctx ends; a real wait when nil. Tests pass
	// one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client returns o.HTTP or a default client.
func (o Options) Client() *http.Client {
	if o.HTTP != nil {
		return o.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// Wait sleeps d through o.Sleep, or for real.
func (o Options) Wait(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Adapter is one platform's adapter: every one has Webhook; API,
// Registrar and Writer are nil where the platform has no such API (Tilda
// has no orders API).
type Adapter struct {
	Webhook   Webhook
	API       API
	Registrar Registrar
	Writer    Writer
}

// APIError is a refusal of the platform's API, with what it said.
type APIError struct {
	Status int
	Body   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("the platform answered %d: %s", e.Status, e.Body)
}
