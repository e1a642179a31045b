package order

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/store"
)

const orderColumns = `id, external_id, customer_id, status, total_minor, currency, channel, carrier, tracking_number,
	payment_method, paid, gift_wrap, history, production_date, ship_date, delivery_from, promised_to, promise_given,
	promise_version, delivered_at, delivered_on, placed_at, created_at, updated_at, tracking_token, address,
	delivery_window, packed_at, address_confirmed_at`

func scanOrder(r store.Row) (*Order, error) {
	var o Order
	var production, ship, from, promised, deliveredOn, token *string
	err := r.Scan(&o.ID, &o.ExternalID, &o.CustomerID, &o.Status, &o.TotalMinor, &o.Currency, &o.Channel, &o.Carrier,
		&o.TrackingNumber, &o.Payment.Method, &o.Payment.Paid, &o.GiftWrap, &o.History, &production, &ship, &from,
		&promised, &o.PromiseGiven, &o.PromiseVersion, &o.DeliveredAt, &deliveredOn, &o.PlacedAt, &o.CreatedAt, &o.UpdatedAt, &token,
		&o.Address, &o.DeliveryWindow, &o.PackedAt, &o.AddressConfirmedAt)
	if err != nil {
		return nil, err
	}
	o.ProductionDate, o.ShipDate, o.DeliveryFrom = store.Text(production), store.Text(ship), store.Text(from)
	o.PromisedTo, o.DeliveredOn, o.TrackingToken = store.Text(promised), store.Text(deliveredOn), store.Text(token)
	return &o, nil
}

// Get returns the order with its items, status history and customer.
func Get(ctx context.Context, q store.Querier, id int64) (*Order, error) {
	o, err := scanOrder(q.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load order %d: %w", id, err)
	}
	return o, loadDetails(ctx, q, o)
}

// GetByExternalID returns the order the shop knows by ext.
func GetByExternalID(ctx context.Context, q store.Querier, ext string) (*Order, error) {
	o, err := scanOrder(q.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE external_id = $1`, ext))
	if err != nil {
		return nil, fmt.Errorf("load order %q: %w", ext, err)
	}
	return o, loadDetails(ctx, q, o)
}

// Find returns the order named by ref: shopcare's id when ref is a number
// that is one, else the shop's external id.
func Find(ctx context.Context, q store.Querier, ref string) (*Order, error) {
	id, err := ResolveID(ctx, q, ref)
	if err != nil {
		return nil, err
	}
	return Get(ctx, q, id)
}

// ResolveID returns the id of the order named by ref, as Find reads ref,
// without loading the order.
func ResolveID(ctx context.Context, q store.Querier, ref string) (int64, error) {
	var id int64
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		err := q.QueryRow(ctx, `SELECT id FROM orders WHERE id = $1`, n).Scan(&id)
		if !errors.Is(err, store.ErrNotFound) {
			return id, err
		}
	}
	if err := q.QueryRow(ctx, `SELECT id FROM orders WHERE external_id = $1`, ref).Scan(&id); err != nil {
		return 0, fmt.Errorf("find order %q: %w", ref, err)
	}
	return id, nil
}

func loadDetails(ctx context.Context, q store.Querier, o *Order) error {
	return loadDetailsOf(ctx, q, map[int64]*Order{o.ID: o}, fmt.Sprintf("order %d", o.ID))
}

// loadDetailsOf is loadDetails for the orders by id, with a statement
// for all of them per table; what names them in errors.
func loadDetailsOf(ctx context.Context, q store.Querier, orders map[int64]*Order, what string) error {
	ids := slices.Collect(maps.Keys(orders))
	err := store.QueryIn(ctx, q, `SELECT order_id, sku, name, qty, price_minor, made_to_order, production_days, variant_id
		FROM order_items WHERE order_id IN (IN_LIST) ORDER BY id`, nil, ids, func(r store.Rows) error {
		var id int64
		var it Item
		if err := r.Scan(&id, &it.SKU, &it.Name, &it.Qty, &it.PriceMinor, &it.MadeToOrder, &it.ProductionDays, &it.VariantID); err != nil {
			return err
		}
		if o := orders[id]; o != nil {
			o.Items = append(o.Items, it)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load items of %s: %w", what, err)
	}
	err = store.QueryIn(ctx, q, `SELECT order_id, from_status, to_status, at, source FROM order_status_history
		WHERE order_id IN (IN_LIST) ORDER BY id`, nil, ids, func(r store.Rows) error {
		var id int64
		var c StatusChange
		var from *string
		if err := r.Scan(&id, &from, &c.To, &c.At, &c.Source); err != nil {
			return err
		}
		if from != nil {
			c.From = Status(*from)
		}
		if o := orders[id]; o != nil {
			o.StatusHistory = append(o.StatusHistory, c)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load status history of %s: %w", what, err)
	}
	return attachCustomers(ctx, q, orders)
}

// attachCustomers loads the customers of orders with one statement and
// sets each order's Customer; an order whose customer is gone fails it,
// as Get does.
func attachCustomers(ctx context.Context, q store.Querier, orders map[int64]*Order) error {
	ids := make([]int64, 0, len(orders))
	seen := make(map[int64]bool, len(orders))
	for _, o := range orders {
		if !seen[o.CustomerID] {
			seen[o.CustomerID] = true
			ids = append(ids, o.CustomerID)
		}
	}
	customers, err := customer.GetMany(ctx, q, ids)
	if err != nil {
		return err
	}
	for _, o := range orders {
		c := customers[o.CustomerID]
		if c == nil {
			return fmt.Errorf("load customer %d: %w", o.CustomerID, store.ErrNotFound)
		}
		o.Customer = c
	}
	return nil
}
