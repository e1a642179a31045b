// Package stock keeps the shop's stock: how many of each SKU are on
// hand, how many of those orders hold, what is on its way and when, and
// who asked to be told when an item is back.
//
// Levels come from the API (PUT /api/v1/stock), a CSV file and the shop
// platforms' connectors. An order holds what it wants of its tracked
// items in the transaction that takes it in (Reserve), so concurrent
// orders never hold more than is on hand; what it cannot hold it waits
// for, and its promise says until when. A shipment takes the held units
// off on hand; a cancellation gives them back. When stock comes in, the
// orders waiting for it are served first, oldest first, then the
// customers who asked to be told, first come first told, never more of
// them than units came in.
//
// The package owns the tables stock_items, stock_incoming,
// stock_reservations and stock_waitlist.
package stock

import (
	"log/slog"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Level is one SKU's stock as the shop hands it in and as it is shown.
type Level struct {
	SKU  string `json:"sku"`
	Name string `json:"name,omitempty"`
	// OnHand counts the units in the shop's hands, those held for orders
	// not yet shipped included.
	OnHand int `json:"on_hand"`
	// Reserved counts the units held for orders; Available is OnHand
	// less Reserved.
	Reserved  int `json:"reserved"`
	Available int `json:"available"`
	// Incoming lists the deliveries on their way, earliest first.
	Incoming []Incoming `json:"incoming"`
	// Waiting counts the units open orders want beyond what they hold.
	Waiting int `json:"waiting"`
	// Source is who set the level last: api, csv, admin or a connector.
	Source string `json:"source,omitempty"`
}

// Incoming is a delivery on its way: Qty units expected on Date
// (YYYY-MM-DD, the shop's day).
type Incoming struct {
	Qty  int    `json:"qty"`
	Date string `json:"date"`
}

// Line is what an order line wants of a SKU.
type Line struct {
	SKU  string
	Name string
	Qty  int
}

// Hold is what an order got of one tracked SKU: Held of Qty units from
// on hand. A line short of stock (Held < Qty) waits until ExpectedOn,
// the day of the incoming delivery that covers it or the shop's restock
// estimate; zero when nothing is known.
type Hold struct {
	SKU        string
	Name       string
	Qty        int
	Held       int
	ExpectedOn calendar.Day
}

// Short tells whether the line waits for stock.
func (h Hold) Short() bool { return h.Held < h.Qty }

// Params are the collaborators of the stock Service.
type Params struct {
	// Journal records stock.short, stock.filled, stock.resolved and
	// stock.back_in_stock.
	Journal *journal.Journal
	// Calendar is the shop's business calendar (working days), read at
	// each use as the owner may change it: the restock estimate of a
	// short line is counted on it. Nil counts every day.
	Calendar func() *calendar.Calendar
	// Orders reads the order an operator's resolution is about and notes
	// it on the order (stock_resolve.go); nil refuses Resolve.
	Orders Orders
}

// Service keeps the stock. It is safe for concurrent use.
type Service struct {
	db       *store.DB
	clock    clock.Clock
	log      *slog.Logger
	settings config.Settings
	journal  *journal.Journal
	calendar func() *calendar.Calendar
	cache    *cache
	orders   Orders
}

// New returns the stock Service.
func New(d service.Deps, p Params) *Service {
	return &Service{db: d.DB, clock: d.Clock, log: d.Log, settings: d.Settings, journal: p.Journal,
		calendar: p.Calendar, cache: newCache(), orders: p.Orders}
}
