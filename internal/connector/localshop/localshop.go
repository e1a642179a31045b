// Package localshop is a small shop platform of shopcare's own, served
// from this process: a REST API of orders in pages with a cursor, bearer
// authentication, 429 answers with Retry-After, webhook registration and a
// write-back endpoint, and the adapter that speaks to it. It is not a real
// platform: the backfill's benchmark (`shopcare bench backfill`) and the
// connector tests use it to drive the core through a real HTTP round trip
// before the real platforms' adapters are in, and it generates its orders
// from their number, so a shop of any size costs no memory.
//
// The API:
//
//	GET  /shop                      {"name", "currency"}
//	GET  /orders?since=&cursor=     {"orders": [...], "next": "", "total": n}
//	GET  /orders/{id}               one order
//	POST /webhooks                  {"address", "topic"} registers a webhook
//	PUT  /orders/{id}/promise       the promise, written back
//
// Every call needs Authorization: Bearer {token}; webhooks it sends are
// signed with X-Localshop-Hmac-Sha256, base64 HMAC-SHA256 of the body.
package localshop

import (
	"encoding/json"
	"fmt"
	"time"
)

// wireOrder is an order as the platform's API writes it.
type wireOrder struct {
	ID        string     `json:"id"`
	Number    string     `json:"number"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Status    string     `json:"status"`
	Paid      bool       `json:"paid"`
	COD       bool       `json:"cash_on_delivery"`
	Currency  string     `json:"currency"`
	Total     string     `json:"total"`
	Customer  wireBuyer  `json:"customer"`
	Address   string     `json:"address"`
	Shipping  string     `json:"shipping"`
	Items     []wireItem `json:"items"`
	Tracking  string     `json:"tracking_number,omitempty"`
	Carrier   string     `json:"carrier,omitempty"`
	Note      string     `json:"note,omitempty"`
}

type wireBuyer struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Country  string `json:"country"`
	Language string `json:"language"`
}

type wireItem struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity int64  `json:"quantity"`
	Price    string `json:"price"`
}

type wirePage struct {
	Orders []wireOrder `json:"orders"`
	Next   string      `json:"next"`
	Total  int         `json:"total"`
}

type wireShop struct {
	Name     string `json:"name"`
	Currency string `json:"currency"`
}

// WirePromise is a promise as PUT /orders/{id}/promise takes it.
type WirePromise struct {
	ProductionDate string `json:"production_date,omitempty"`
	ShipDate       string `json:"ship_date,omitempty"`
	DeliveryFrom   string `json:"delivery_from,omitempty"`
	DeliveryTo     string `json:"delivery_to,omitempty"`
	TrackingURL    string `json:"tracking_url,omitempty"`
	Text           string `json:"text,omitempty"`
}

// apiError is the platform's error body.
type apiError struct {
	Error string `json:"error"`
}

// Statuses are the platform's order states; any other is an error.
var statuses = []string{"open", "paid", "shipped", "delivered", "cancelled", "refunded"}

func checkStatus(s string) error {
	for _, v := range statuses {
		if v == s {
			return nil
		}
	}
	return fmt.Errorf("status: %q is not one of the platform's (open, paid, shipped, delivered, cancelled, refunded)", s)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs only
	}
	return b
}
