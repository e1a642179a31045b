package order

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// ChannelReorder is the channel of an order a customer made again from
// their own page, for a shop without a cart link: an operator confirms it
// on the call-back like any new order.
const ChannelReorder = "reorder"

// reorderKey is the form of a reorder's key: the nonce of the form the
// customer clicked, so that a double click makes one order.
var reorderKey = regexp.MustCompile(`^[A-Za-z0-9]{6,32}$`)

// maxSourceID bounds the part of the new order's external id taken from
// the source's, leaving room for the key within invalid.MaxName.
const maxSourceID = invalid.MaxName - 33

// CartLines are the order's lines as a cart link takes them.
func (o *Order) CartLines() []config.CartLine {
	out := make([]config.CartLine, len(o.Items))
	for i, it := range o.Items {
		out[i] = config.CartLine{SKU: it.SKU, VariantID: it.VariantID, Qty: it.Qty}
	}
	return out
}

// Reorder makes src again as a new order of its customer: the same lines
// at the same prices, the same payment method (unpaid), the address and
// carrier of the customer's latest order that has an address, channel
// ChannelReorder. key (6–32 letters and digits, the form's nonce) makes
// it once: the same src and key return the order made the first time,
// with Created false. The new order goes through the usual intake, so the
// playbook asks an operator to confirm it on a call-back.
func (s *Service) Reorder(ctx context.Context, src *Order, key string) (Result, *Order, error) {
	if !reorderKey.MatchString(key) {
		return Result{}, nil, invalid.List{invalid.Field("key", "invalid", "must be 6 to 32 letters and digits")}.Err()
	}
	if len(src.Items) == 0 {
		return Result{}, nil, invalid.List{invalid.Field("items", "required", "order %s has no lines to order again", src.ExternalID)}.Err()
	}
	c := src.Customer
	if c == nil {
		var err error
		if c, err = customer.Get(ctx, s.db.Read(), src.CustomerID); err != nil {
			return Result{}, nil, fmt.Errorf("reorder %s: %w", src.ExternalID, err)
		}
	}
	address, carrier, err := lastAddress(ctx, s.db.Read(), src.CustomerID)
	if err != nil {
		return Result{}, nil, fmt.Errorf("reorder %s: %w", src.ExternalID, err)
	}
	if address == "" {
		address, carrier = src.Address, src.Carrier
	}
	ext := src.ExternalID
	if len(ext) > maxSourceID {
		ext = ext[:maxSourceID]
	}
	n := NewOrder{
		ExternalID: ext + "-" + key,
		// The customer as the intake matches them: by the shop's id, else
		// by e-mail, else by phone — the same customer, never a new one.
		Customer: customer.Input{ExternalID: c.ExternalID, Email: c.Email, Phone: c.Phone, Language: c.Language},
		Items:    make([]Item, len(src.Items)),
		Currency: src.Currency, Carrier: carrier, Channel: ChannelReorder,
		Payment: Payment{Method: src.Payment.Method}, GiftWrap: src.GiftWrap, Address: address,
	}
	copy(n.Items, src.Items)
	if err := NormalizeAt(&n, s.settings, APIFields, s.clock.Now()); err != nil {
		return Result{}, nil, fmt.Errorf("reorder %s: %w", src.ExternalID, err)
	}
	res, o, err := s.CreateRead(ctx, n)
	if err != nil {
		return res, nil, fmt.Errorf("reorder %s as %s: %w", src.ExternalID, n.ExternalID, err)
	}
	if res.CustomerID != src.CustomerID {
		// The intake matched someone else: it must never, and the order
		// would show on another customer's page.
		return res, nil, fmt.Errorf("reorder %s: made for customer %d, not %d", src.ExternalID, res.CustomerID, src.CustomerID)
	}
	if o == nil {
		if o, err = Get(ctx, s.db.Read(), res.ID); err != nil {
			return res, nil, fmt.Errorf("reorder %s: read %d back: %w", src.ExternalID, res.ID, err)
		}
	}
	return res, o, nil
}

// lastAddress is the delivery address and carrier of the customer's
// latest order that has an address; "" when none has. The orders'
// (customer_id, placed_at) index finds it without a scan.
func lastAddress(ctx context.Context, q store.Querier, customerID int64) (address, carrier string, err error) {
	err = q.QueryRow(ctx, `SELECT address, carrier FROM orders WHERE customer_id = $1 AND address <> ''
		ORDER BY placed_at DESC, id DESC LIMIT 1`, customerID).Scan(&address, &carrier)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("last address of customer %d: %w", customerID, err)
	}
	return address, carrier, nil
}
