// Package order takes a shop's orders in and moves them through their
// lifecycle: new → processing → ready_to_ship → shipped → ready_for_pickup →
// delivered, or cancelled and returned.
//
// Every accepted order and every status change writes its event to the
// journal in the same transaction, so nothing downstream can miss one.
// Intake is set-based: a batch of orders (a CSV chunk, or the API requests
// that arrived together) is stored with a handful of statements in one
// transaction, which is what lets one SQLite writer take thousands of
// orders a second.
package order

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
)

// Status is where an order is in its lifecycle.
type Status string

// The statuses of an order, in lifecycle order.
const (
	New            Status = "new"
	Processing     Status = "processing"
	ReadyToShip    Status = "ready_to_ship"
	Shipped        Status = "shipped"
	ReadyForPickup Status = "ready_for_pickup"
	Delivered      Status = "delivered"
	Cancelled      Status = "cancelled"
	Returned       Status = "returned"
)

// Statuses lists every status.
var Statuses = []Status{New, Processing, ReadyToShip, Shipped, ReadyForPickup, Delivered, Cancelled, Returned}

var rank = map[Status]int{New: 0, Processing: 1, ReadyToShip: 2, Shipped: 3, ReadyForPickup: 4, Delivered: 5}

// ParseStatus returns the status named s.
func ParseStatus(s string) (Status, bool) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// StatusNames lists the statuses for messages: "new, processing, …".
func StatusNames() string {
	names := make([]string, len(Statuses))
	for i, s := range Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Counted tells whether an order in this status counts toward revenue.
func (s Status) Counted() bool { return s != Cancelled && s != Returned }

// LeftShop tells whether an order in status s has been handed to its
// carrier (a returned one had been).
func (s Status) LeftShop() bool { return s == Returned || rank[s] >= rank[Shipped] }

// CanMove tells whether an order may go from one status to another. Orders
// move forward only (steps may be skipped: a shop need not report each one);
// an order not yet shipped can be cancelled, a shipped or delivered one can
// be returned; cancelled and returned are final.
func CanMove(from, to Status) bool {
	switch {
	case from == Cancelled || from == Returned:
		return false
	case to == Cancelled:
		return rank[from] < rank[Shipped]
	case to == Returned:
		return rank[from] >= rank[Shipped]
	default:
		return rank[to] > rank[from]
	}
}

// TransitionError reports a status change the lifecycle does not allow.
type TransitionError struct {
	OrderID  int64
	From, To Status
}

func (e *TransitionError) Error() string {
	if e.From == Cancelled || e.From == Returned {
		return fmt.Sprintf("order %d is %s, which is final: it cannot become %s", e.OrderID, e.From, e.To)
	}
	return fmt.Sprintf("order %d is %s and cannot go back or over to %s", e.OrderID, e.From, e.To)
}

// Item is one line of an order.
type Item struct {
	SKU            string
	Name           string
	Qty            int64
	PriceMinor     int64
	MadeToOrder    bool
	ProductionDays int
	// VariantID is the shop platform's id of what was bought (Shopify's
	// variant id, WooCommerce's variation or product id, …), which a cart
	// link names it by; "" when unknown. Left out of the request digest
	// when empty, so orders from before it was kept stay idempotent.
	VariantID string `json:",omitempty"`
}

// Payment says how the customer pays.
type Payment struct {
	Method string // "cod" (cash on delivery) or "prepaid"
	Paid   bool
}

// StatusChange is one step of an order's status history.
type StatusChange struct {
	From   Status
	To     Status
	At     time.Time
	Source string
}

// Order is a stored order.
type Order struct {
	ID             int64
	ExternalID     string
	CustomerID     int64
	Status         Status
	TotalMinor     int64
	Currency       string
	Channel        string
	Carrier        string
	TrackingNumber string
	Payment        Payment
	GiftWrap       bool
	History        bool
	// The promise, days YYYY-MM-DD in the shop's time zone, "" when not
	// known. PromisedTo is the last promised delivery day.
	ProductionDate string
	ShipDate       string
	DeliveryFrom   string
	PromisedTo     string
	// PromiseGiven says the shop gave PromisedTo itself (the CSV's
	// promised_to) rather than shopcare computing it.
	PromiseGiven bool
	// PromiseVersion counts the promises the customer was given: 1, plus
	// one per change.
	PromiseVersion int
	DeliveredAt    *time.Time
	DeliveredOn    string // the shop-local day of DeliveredAt
	// TrackingToken opens the customer's tracking page (/t/{token});
	// "" until one is made (history orders get one when first needed).
	TrackingToken string
	// Address and DeliveryWindow are what the customer confirmed on the
	// call-back (the address may come with the order too); PackedAt is
	// when the packing station finished.
	Address        string
	DeliveryWindow string
	PackedAt       *time.Time
	PlacedAt       time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// AddressConfirmedAt is when a call-back reached the customer and they
	// gave or confirmed Address; nil while it is only what the shop sent.
	AddressConfirmedAt *time.Time

	Items         []Item
	StatusHistory []StatusChange
	Customer      *customer.Customer
}

// Source says where a change came from, for the status history.
type Source string

// The sources of changes.
const (
	SourceAPI    Source = "api"
	SourceImport Source = "import"
	SourceSystem Source = "system"
	SourceAdmin  Source = "admin" // a person of the shop, in the admin app
	// SourceCarrier: a carrier's event about the order's parcel.
	SourceCarrier Source = "carrier"
	// SourcePlatform: the shop's platform (a connector's webhook).
	SourcePlatform Source = "platform"
	// SourceCustomer: the customer themself, on their own page (/my).
	SourceCustomer Source = "customer"
)
