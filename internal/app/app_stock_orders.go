package app

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// stockOrders gives the stock service what it needs of the orders when an
// operator settles an order's missing items (stock.Orders): package order
// holds stock when it takes an order in, so stock cannot import it.
type stockOrders struct{}

var _ stock.Orders = stockOrders{}

// OrderOf reads the order's total, currency and customer.
func (stockOrders) OrderOf(ctx context.Context, q store.Querier, orderID int64) (stock.OrderFacts, error) {
	o, err := order.Get(ctx, q, orderID)
	if err != nil {
		return stock.OrderFacts{}, err
	}
	return stock.OrderFacts{CustomerID: o.CustomerID, TotalMinor: o.TotalMinor, Currency: o.Currency}, nil
}

// NoteAdd writes a note on the order.
func (stockOrders) NoteAdd(ctx context.Context, tx *store.Tx, orderID int64, kind, body, author string, at time.Time) error {
	return order.NoteAdd(ctx, tx, order.Note{OrderID: orderID, Kind: kind, Body: body, Author: author, CreatedAt: at})
}
