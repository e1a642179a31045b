package order

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
)

// ReasonOrderChanged is the promise change reason of an order whose items
// the shop changed (a made-to-order item added, production days longer).
const ReasonOrderChanged = "order_changed"

// Change is a change to a stored order, as the shop sends it later (PATCH
// /orders/{id}, a platform's order update): every nil field is left as it
// is.
type Change struct {
	// Address is the delivery address; "" clears it.
	Address *string
	// Payment changes how the customer pays and whether they have (a cash
	// on delivery order paid at the door).
	Payment *PaymentChange
	// Items replaces the order's lines. The total becomes their sum
	// unless Total is given too.
	Items *[]Item
	// Total is the order's total in minor units, when it is not the sum of
	// the items (shipping, a discount).
	Total *int64
	// Carrier is one of the shop's carriers; another carrier re-promises.
	Carrier *string
	// Contact changes the customer's name and how to reach them, through
	// package customer (the customer's other orders see it too).
	Contact *customer.Contact
	// Source says who changed the order, for the journal.
	Source Source
}

// PaymentChange changes an order's payment; nil fields are left.
type PaymentChange struct {
	Method *string // "cod" or "prepaid"
	Paid   *bool
}

// Updated says what an Update did.
type Updated struct {
	// Changed lists the fields that changed, by their API names
	// ("delivery_address", "payment.paid", "customer.email"); empty when
	// the change asked for what the order had.
	Changed []string
	// Repromised is true when the change moved the order's promise.
	Repromised bool
}

// Update applies c to order id in one transaction. Everything is checked
// first, by the rules of intake (NormalizeAt's limits, CheckAddress, the
// shop's carriers), and nothing is written when anything is wrong; the
// errors name their fields as the API does. A change that asks for what
// the order has writes nothing. What changed is journaled
// (order.changed), and a new carrier or new items re-promise the order.
// The items, address and carrier of an order that left the shop, was
// cancelled or returned stay as they were: changing them is an error
// naming the field; so is a new address on an order of a customer whose
// data was erased.
func (s *Service) Update(ctx context.Context, id int64, c Change) (Updated, error) {
	var out Updated
	if err := checkChange(&c); err != nil {
		return out, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.UpdateTx(ctx, tx, id, c)
		return err
	})
	if err != nil {
		return Updated{}, err
	}
	return out, nil
}

// checkChange checks what needs no stored order: text, the payment
// method, the address.
func checkChange(c *Change) error {
	var errs invalid.List
	if c.Address != nil {
		if e := CheckAddress("delivery_address", *c.Address); e != nil {
			errs = append(errs, e)
		}
		a := TidyAddress(*c.Address)
		c.Address = &a
	}
	if c.Carrier != nil {
		errs.CheckText("carrier", *c.Carrier)
		v := strings.TrimSpace(*c.Carrier)
		c.Carrier = &v
	}
	if p := c.Payment; p != nil && p.Method != nil {
		m := strings.TrimSpace(*p.Method)
		p.Method = &m
		switch m {
		case "cod", "prepaid":
		default:
			errs.Add("payment.method", "invalid", "%q is not cod or prepaid", m)
		}
	}
	if c.Items != nil && len(*c.Items) == 0 {
		errs.Add("items", "required", "an order needs at least one item")
	}
	return errs.Err()
}

// UpdateTx is Update inside the caller's transaction.
func (s *Service) UpdateTx(ctx context.Context, tx *store.Tx, id int64, c Change) (Updated, error) {
	var out Updated
	if err := checkChange(&c); err != nil {
		return out, err
	}
	lock := ""
	if s.db.Engine() == store.Postgres {
		lock = " FOR UPDATE"
	}
	cur, err := scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`+lock, id))
	if err != nil {
		return out, fmt.Errorf("load order %d: %w", id, err)
	}
	if err := loadDetails(ctx, tx, cur); err != nil {
		return out, err
	}
	next, errs := s.applyChange(cur, c)
	if err := errs.Err(); err != nil {
		return out, err
	}
	changed := diffOrder(cur, next)
	if next.Address != "" && slices.Contains(changed, "delivery_address") {
		// The customer's data was erased on their request: an address
		// sent later (a platform's stale copy) must not bring it back.
		erased, err := customer.IsErased(ctx, tx, cur.CustomerID)
		if err != nil {
			return out, err
		}
		if erased {
			return out, invalid.Field("delivery_address", "erased", "the customer's personal data was erased on their request")
		}
	}

	now := s.clock.Now()
	if c.Contact != nil {
		moved, err := customer.Update(ctx, tx, cur.CustomerID, c.Contact.Patch(), customer.Defaults{
			Country: s.settings.Shop.Country, Language: s.settings.Shop.Languages[0], Timezone: s.settings.Shop.Timezone,
		}, "customer.", now)
		if err != nil {
			return out, err
		}
		for _, f := range moved {
			changed = append(changed, "customer."+f)
		}
	}
	if len(changed) == 0 {
		return out, nil
	}
	out.Changed = changed
	if orderFieldsChanged(changed) {
		_, err = tx.Exec(ctx, `UPDATE orders SET address = $2, payment_method = $3, paid = $4, carrier = $5,
			total_minor = $6, updated_at = $7 WHERE id = $1`, id, next.Address, next.Payment.Method, next.Payment.Paid,
			next.Carrier, next.TotalMinor, now)
		if err != nil {
			return out, fmt.Errorf("update order %d: %w", id, err)
		}
	}
	if slices.Contains(changed, "items") {
		if _, err := tx.Exec(ctx, `DELETE FROM order_items WHERE order_id = $1`, id); err != nil {
			return out, fmt.Errorf("replace items of order %d: %w", id, err)
		}
		rows := make([][]any, len(next.Items))
		for i, it := range next.Items {
			rows[i] = []any{id, it.SKU, it.Name, it.Qty, it.PriceMinor, it.MadeToOrder, it.ProductionDays, it.VariantID}
		}
		if err := store.InsertMany(ctx, tx, "order_items", []string{"order_id", "sku", "name", "qty", "price_minor",
			"made_to_order", "production_days", "variant_id"}, rows, "", nil); err != nil {
			return out, fmt.Errorf("replace items of order %d: %w", id, err)
		}
	}
	delta := next.TotalMinor - cur.TotalMinor
	err = s.journal.Append(ctx, tx, journal.Event{
		Kind: journal.OrderChanged, OrderID: id, CustomerID: cur.CustomerID, History: cur.History, OccurredAt: now,
		Payload: journal.MustPayload(event.OrderChangedPayload{
			OrderFacts: event.OrderFacts{TotalMinor: delta, Counted: delta != 0 && cur.Status.Counted(), PlacedAt: cur.PlacedAt},
			Fields:     changed, Source: string(c.Source), Carrier: next.Carrier, PaymentMethod: next.Payment.Method,
			Paid: next.Payment.Paid, NewTotalMinor: next.TotalMinor, Items: int64(len(next.Items)),
		}),
	})
	if err != nil {
		return out, err
	}
	if reason, detail := changeReason(cur, next, changed); reason != "" {
		moved, err := s.repromise(ctx, tx, []int64{id}, reason, detail)
		if err != nil {
			return out, err
		}
		out.Repromised = moved > 0
	}
	return out, nil
}

// applyChange returns the order as c would leave it, and what is wrong
// with that.
func (s *Service) applyChange(cur *Order, c Change) (*Order, invalid.List) {
	var errs invalid.List
	next := *cur
	next.Items = slices.Clone(cur.Items)
	frozen := cur.Status.LeftShop() || cur.Status == Cancelled
	refuse := func(field string) {
		errs.Add(field, "frozen", "order %d is %s: its %s can no longer change", cur.ID, cur.Status, strings.ReplaceAll(field, "_", " "))
	}
	if c.Address != nil && *c.Address != cur.Address {
		if frozen {
			refuse("delivery_address")
		}
		next.Address = *c.Address
	}
	if c.Carrier != nil && *c.Carrier != cur.Carrier {
		if frozen {
			refuse("carrier")
		}
		if _, ok := s.settings.Carrier(*c.Carrier); !ok && *c.Carrier != "" && !cur.History {
			errs.Add("carrier", "unknown", "%q is not one of the shop's carriers (%s)", *c.Carrier, carrierCodes(s.settings))
		}
		next.Carrier = *c.Carrier
	}
	if p := c.Payment; p != nil {
		if p.Method != nil {
			next.Payment.Method = *p.Method
		}
		if p.Paid != nil {
			next.Payment.Paid = *p.Paid
		}
	}
	if c.Items != nil || c.Total != nil {
		if frozen && (c.Items != nil && !slices.Equal(*c.Items, cur.Items) || c.Total != nil && *c.Total != cur.TotalMinor) {
			refuse("items")
		}
		// The items and the total pass intake's checks: the same
		// NormalizeAt, on an order holding only them.
		probe := NewOrder{ExternalID: cur.ExternalID, Customer: customer.Input{ExternalID: "-"}, Currency: cur.Currency,
			Items: cur.Items, Status: cur.Status, History: true}
		if c.Items != nil {
			probe.Items = *c.Items
		}
		if c.Total != nil {
			probe.TotalMinor, probe.TotalGiven = *c.Total, true
		} else if c.Items == nil {
			probe.TotalMinor, probe.TotalGiven = cur.TotalMinor, true
		}
		if err := NormalizeAt(&probe, s.settings, APIFields, time.Time{}); err != nil {
			var list invalid.List
			if errors.As(err, &list) {
				errs = append(errs, list...)
			} else if e, ok := invalid.First(err); ok {
				errs = append(errs, e)
			}
		}
		next.Items, next.TotalMinor = probe.Items, probe.TotalMinor
	}
	return &next, errs
}

// diffOrder names the fields that differ between cur and next.
func diffOrder(cur, next *Order) []string {
	var changed []string
	add := func(field string, differ bool) {
		if differ {
			changed = append(changed, field)
		}
	}
	add("delivery_address", cur.Address != next.Address)
	add("carrier", cur.Carrier != next.Carrier)
	add("payment.method", cur.Payment.Method != next.Payment.Method)
	add("payment.paid", cur.Payment.Paid != next.Payment.Paid)
	add("items", !slices.Equal(cur.Items, next.Items))
	add("total", cur.TotalMinor != next.TotalMinor)
	return changed
}

// orderFieldsChanged tells whether a column of orders changed (not only
// the items or the customer).
func orderFieldsChanged(changed []string) bool {
	return slices.ContainsFunc(changed, func(f string) bool {
		return f != "items" && !strings.HasPrefix(f, "customer.")
	})
}

// changeReason says whether the change may move the promise, and why: a
// new carrier (either way), or items that take longer to make.
func changeReason(cur, next *Order, changed []string) (reason, detail string) {
	switch {
	case slices.Contains(changed, "carrier"):
		return promise.ReasonCarrierChanged, next.Carrier
	case slices.Contains(changed, "items") && productionOf(cur.Items) != productionOf(next.Items):
		return ReasonOrderChanged, "items"
	}
	return "", ""
}

// production is what an order's items weigh in a promise.
type production struct {
	made bool
	days int
}

// productionOf is what the items weigh in a promise.
func productionOf(items []Item) production {
	var r promise.Request
	for _, it := range items {
		r.AddItem(it.MadeToOrder, it.ProductionDays)
	}
	return production{r.MadeToOrder, r.ProductionDays}
}

// Eraser erases what one package holds of a customer's personal data
// inside tx, and counts the rows it touched by what they are
// ("messages": 12). Packages the order package cannot import (message)
// hand theirs to EraseCustomer.
type Eraser func(ctx context.Context, tx *store.Tx, customerID int64, now time.Time) (map[string]int64, error)

// OpenOrdersError refuses to erase a customer whose orders are still on
// their way: their addresses are needed to deliver them.
type OpenOrdersError struct {
	CustomerID int64
	Open       int64
}

func (e *OpenOrdersError) Error() string {
	return fmt.Sprintf("customer %d has %d orders on their way: erasing now loses their delivery addresses", e.CustomerID, e.Open)
}

// Erasure says what EraseCustomer did.
type Erasure struct {
	customer.Erased
	// Rows counts the rows erased by what they are: search terms,
	// channels, orders (their addresses), order notes, messages…
	Rows map[string]int64
}

// EraseCustomer erases customer id's personal data on their request (GDPR
// art. 17, 152-FZ art. 21) in one transaction: their own row
// (customer.Erase), the delivery addresses, notes and tracking links of
// their orders, and what the erasers hand in (the messages to them). The
// orders' figures (totals, items, dates, statuses) stay, anonymous. It is
// journaled (customer.erased) and idempotent: a second call writes
// nothing and reports the first one's time. Unless force, a customer with
// orders on their way is refused (*OpenOrdersError).
func (s *Service) EraseCustomer(ctx context.Context, id int64, force bool, source Source, erasers ...Eraser) (Erasure, error) {
	var out Erasure
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.clock.Now()
		out = Erasure{Rows: map[string]int64{}}
		if !force {
			var open int64
			err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND history = FALSE
				AND status IN `+openStatusesSQL, id).Scan(&open)
			if err != nil {
				return fmt.Errorf("count open orders of customer %d: %w", id, err)
			}
			if open > 0 {
				erased, err := customer.GetErasedAt(ctx, tx, id)
				if err != nil {
					return fmt.Errorf("load customer %d: %w", id, err)
				}
				if erased == nil {
					return &OpenOrdersError{CustomerID: id, Open: open}
				}
			}
		}
		var err error
		out.Erased, err = customer.Erase(ctx, tx, id, now)
		if err != nil || out.Already {
			return err
		}
		out.Rows["search_terms"], out.Rows["channels"] = out.SearchTerms, out.Channels
		for _, erase := range append([]Eraser{eraseOrders}, erasers...) {
			rows, err := erase(ctx, tx, id, now)
			if err != nil {
				return err
			}
			for k, v := range rows {
				out.Rows[k] += v
			}
		}
		if err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.CustomerErased, CustomerID: id, OccurredAt: now,
			Payload: journal.MustPayload(event.CustomerErasedPayload{Fields: out.Fields, Rows: out.Rows, Source: string(source)})}); err != nil {
			return err
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.CustomerErased,
			Detail: map[string]any{"source": string(source), "forced": force}}.Target(actionlog.TargetCustomer, id))
	})
	if err != nil {
		return Erasure{}, err
	}
	return out, nil
}

// eraseOrders blanks the personal data on a customer's orders: the
// delivery address and window, the notes (a call-back's outcome quotes
// the customer), the tracking link (its page names them) and the request
// digest (a fingerprint of their data).
func eraseOrders(ctx context.Context, tx *store.Tx, customerID int64, now time.Time) (map[string]int64, error) {
	notes, err := tx.Exec(ctx, `UPDATE order_notes SET body = '' WHERE body <> ''
		AND order_id IN (SELECT id FROM orders WHERE customer_id = $1)`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase order notes of customer %d: %w", customerID, err)
	}
	orders, err := tx.Exec(ctx, `UPDATE orders SET address = '', delivery_window = '', tracking_token = NULL,
		request_hash = '', updated_at = $2 WHERE customer_id = $1`, customerID, now)
	if err != nil {
		return nil, fmt.Errorf("erase orders of customer %d: %w", customerID, err)
	}
	return map[string]int64{"orders": orders, "order_notes": notes}, nil
}
