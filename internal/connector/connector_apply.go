package connector

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
)

// The reason codes of a delivery's outcome, which the admin says in
// words (label.connector.reason.*).
const (
	ReasonNotOrder     = "not_order"      // about something other than an order
	ReasonStale        = "stale"          // older than an update already applied
	ReasonIllegalMove  = "illegal_move"   // a status change the lifecycle forbids
	ReasonError        = "error"          // applying it failed
	ReasonFrozen       = "frozen"         // a change of what can no longer change (the address of a shipped order)
	ReasonNoChange     = "no_change"      // applied; the order already was so
	ReasonGone         = "connector_gone" // the connector is no longer in the settings
	ReasonUnmapped     = "carrier_unmapped"
	ReasonParcelTaken  = "parcel_taken" // the tracking number is another order's parcel
	ReasonUnverifiable = "unreadable"   // the stored body no longer reads
	// ReasonContactDropped: applied without a contact detail that does
	// not validate (a phone number of another country's format).
	ReasonContactDropped = "contact_dropped"
)

// illegalMove marks a TransitionError met while applying, so the caller
// records it as rejected, not failed.
type illegalMove struct{ err *order.TransitionError }

func (e *illegalMove) Error() string { return e.err.Error() }

// applyOne applies one stored delivery in a transaction of its own and
// records its outcome. With onlyReceived it leaves a delivery another
// drain took meanwhile (skipped); Replay applies whatever its state.
func (s *Service) applyOne(ctx context.Context, id int64, onlyReceived bool) (rec Record, skipped bool, err error) {
	rec, err = scanFull(s.db.Read().QueryRow(ctx, `SELECT `+recordColumns+`, body, headers, query
		FROM connector_deliveries WHERE id = $1`, id))
	if err != nil {
		return rec, false, fmt.Errorf("load delivery %d: %w", id, err)
	}
	if onlyReceived && rec.State != StateReceived {
		return rec, true, nil
	}
	if rec.Event == StockChanged {
		return s.applyStockOne(ctx, rec, onlyReceived)
	}
	now := s.clock.Now()
	d, out, ok := s.prepare(ctx, rec)
	if err := ctx.Err(); err != nil {
		return rec, false, err // stopping: left received for the next drain
	}
	if ok {
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			if _, ok, err := s.claim(ctx, tx, id, onlyReceived); err != nil || !ok {
				skipped = !ok
				return err
			}
			var err error
			if out, err = s.apply(ctx, tx, s.conns[rec.Connector], d, now); err != nil {
				return err
			}
			return finish(ctx, tx, id, out, now)
		})
		if skipped && err == nil {
			return rec, true, nil
		}
		var illegal *illegalMove
		switch {
		case err == nil:
			return s.reload(ctx, id)
		case ctx.Err() != nil || store.Unavailable(err):
			// Stopping, or the database could not do it now (a cut
			// connection, a full disk): left received for the next
			// drain, not failed for good.
			return rec, false, err
		case errors.As(err, &illegal):
			out = outcome{state: StateRejected, code: ReasonIllegalMove, reason: illegal.Error()}
			s.log.Warn("connector delivery not applied: the order's lifecycle forbids it", "connector", rec.Connector,
				"delivery", id, "platform_order", rec.PlatformOrderID, "reason", out.reason)
		default:
			out = outcome{state: StateFailed, code: ReasonError, reason: err.Error()}
			s.log.Warn("connector delivery failed", "connector", rec.Connector, "delivery", id,
				"platform_order", rec.PlatformOrderID, "error", err)
		}
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, ok, err := s.claim(ctx, tx, id, onlyReceived); err != nil || !ok {
			skipped = !ok
			return err
		}
		return finish(ctx, tx, id, out, now)
	})
	if err != nil || skipped {
		return rec, skipped, err
	}
	return s.reload(ctx, id)
}

// reload reads a delivery back after its outcome was recorded.
func (s *Service) reload(ctx context.Context, id int64) (Record, bool, error) {
	rec, err := s.Delivery(ctx, id)
	return rec, false, err
}

// prepare reads a stored delivery again and fetches its order from the
// platform's API when the delivery names only its id (Ecwid). ok false
// means there is nothing to apply and out says why.
func (s *Service) prepare(ctx context.Context, rec Record) (d Delivery, out outcome, ok bool) {
	cn := s.conns[rec.Connector]
	switch {
	case cn == nil:
		return d, outcome{state: StateFailed, code: ReasonGone, reason: "the connector " + rec.Connector + " is no longer in the settings"}, false
	case cn.err != nil:
		return d, outcome{state: StateFailed, code: ReasonError, reason: cn.err.Error()}, false
	}
	d, err := parse(cn.adapter.Webhook, Request{Header: rec.Header, Query: rec.Query, Body: rec.Body, ReceivedAt: rec.ReceivedAt})
	if err != nil {
		return d, outcome{state: StateFailed, code: ReasonUnverifiable, reason: err.Error()}, false
	}
	if d.Event == Ignored || d.Event == Ping {
		return d, outcome{state: StateIgnored, code: ReasonNotOrder, reason: "the delivery is not about an order"}, false
	}
	if d.Order == nil {
		if cn.adapter.API == nil {
			return d, outcome{state: StateFailed, code: ReasonError,
				reason: "the delivery names only order " + d.OrderID + " and the platform has no API to read it"}, false
		}
		fetchCtx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		o, err := cn.adapter.API.Order(fetchCtx, d.OrderID)
		if err == nil && o == nil {
			err = errors.New("the platform returned no order")
		}
		if err != nil {
			return d, outcome{state: StateFailed, code: ReasonError,
				reason: fmt.Sprintf("read order %s from the platform: %v", d.OrderID, err)}, false
		}
		d.Order = o
	}
	if d.Order.ID == "" {
		d.Order.ID = d.OrderID
	}
	return d, outcome{}, true
}

// apply changes the order a delivery is about, through the order
// service as the API does: a new order is created, a known one moves
// through its statuses and gets its parcels. An illegal status change
// returns *illegalMove; nothing of the delivery is then kept.
func (s *Service) apply(ctx context.Context, tx *store.Tx, cn *conn, d Delivery, now time.Time) (outcome, error) {
	name, po := cn.cfg.Name, d.Order
	var notes []note
	l, known, err := linkGet(ctx, tx, name, d.OrderID)
	if err != nil {
		return outcome{}, err
	}
	if known && l.UpdatedAt != nil && !po.UpdatedAt.IsZero() && po.UpdatedAt.Before(*l.UpdatedAt) {
		return outcome{state: StateIgnored, code: ReasonStale, orderID: l.OrderID, reason: fmt.Sprintf(
			"the platform's order was updated at %s, before the update of %s already applied",
			po.UpdatedAt.UTC().Format(time.RFC3339), l.UpdatedAt.UTC().Format(time.RFC3339))}, nil
	}
	var cur *order.Order
	if known {
		cur, err = order.Get(ctx, tx, l.OrderID)
	} else {
		// An order of the platform that came another way (backfill, the API).
		cur, err = order.GetByExternalID(ctx, tx, name+":"+d.OrderID)
		known = err == nil
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	}
	if err != nil {
		return outcome{}, err
	}
	changed := false
	if cur == nil {
		n, unmapped := s.newOrder(cn.cfg, po)
		notes = append(notes, unmapped...)
		dropped, err := Normalize(&n, s.settings, order.APIFields, now)
		if err != nil {
			return outcome{}, fmt.Errorf("the platform's order %s does not make a shopcare order: %w", po.ID, err)
		}
		for _, d := range dropped {
			notes = append(notes, note{ReasonContactDropped, "kept without " + d})
		}
		res, err := s.orders.CreateBatch(ctx, tx, []order.NewOrder{n}, order.SourcePlatform)
		if err != nil {
			return outcome{}, err
		}
		if cur, err = order.Get(ctx, tx, res[0].ID); err != nil {
			return outcome{}, err
		}
		changed = res[0].Created
	} else {
		updated, more, err := s.update(ctx, tx, cn.cfg, po, cur)
		if err != nil {
			return outcome{}, err
		}
		notes, changed = append(notes, more...), updated
	}
	if err := s.consent(ctx, tx, cn.cfg, po, cur.CustomerID, now); err != nil {
		return outcome{}, err
	}

	moved, more, err := s.move(ctx, tx, cn.cfg, d, l, known, cur, now)
	if err != nil {
		return outcome{}, err
	}
	notes = append(notes, more...)
	added, more, err := s.addParcels(ctx, tx, cn.cfg, po, cur.ID)
	if err != nil {
		return outcome{}, err
	}
	notes = append(notes, more...)
	changed = changed || moved || added

	var updated *time.Time
	if !po.UpdatedAt.IsZero() {
		updated = &po.UpdatedAt
	}
	if err := linkSave(ctx, tx, name, d.OrderID, link{OrderID: cur.ID, UpdatedAt: updated, Status: string(po.Status),
		Number: po.Number}); err != nil {
		return outcome{}, err
	}
	out := outcome{state: StateApplied, orderID: cur.ID}
	switch {
	case len(notes) > 0:
		out.code, out.reason = notes[0].code, joinNotes(notes)
		if !changed && notes[0].code == ReasonFrozen {
			out.state = StateIgnored
		}
	case !changed:
		out.code, out.reason = ReasonNoChange, "the order already was as the delivery says"
	}
	return out, nil
}

// note is something of a delivery that was not applied, with its code.
type note struct{ code, text string }

func joinNotes(notes []note) string {
	texts := make([]string, len(notes))
	for i, n := range notes {
		texts[i] = n.text
	}
	return strings.Join(texts, "; ")
}

// newOrder turns the platform's order into shopcare's, its external ids
// prefixed with the connector's name; it starts new (or cancelled or
// returned, which cannot be reached from new otherwise) and moves on
// through move, so the customer hears what a shop's own order would say.
func (s *Service) newOrder(c config.Connector, po *Order) (order.NewOrder, []note) {
	n := order.NewOrder{
		ExternalID: ExternalID(c.Name, po.ID),
		PlacedAt:   po.PlacedAt,
		Customer:   po.Customer,
		Items:      platformItems(po.Items),
		TotalMinor: po.TotalMinor,
		TotalGiven: po.TotalMinor > 0 || len(po.Items) == 0,
		Currency:   po.Currency,
		Payment:    po.Payment,
		Address:    po.Address,
		Channel:    po.Channel,
	}
	if n.Customer.ExternalID != "" {
		n.Customer.ExternalID = ExternalID(c.Name, n.Customer.ExternalID)
	}
	if !n.PlacedAt.IsZero() && n.PlacedAt.After(s.clock.Now()) {
		n.PlacedAt = s.clock.Now() // a platform clock ahead of the shop's
	}
	if po.Status == order.Cancelled || po.Status == order.Returned {
		n.Status = po.Status
	}
	var notes []note
	if po.Shipping != "" {
		if code, ok := Carrier(s.settings, c, po.Shipping); ok {
			n.Carrier = code
		} else {
			notes = append(notes, note{ReasonUnmapped, fmt.Sprintf("the shipping method %q matched none of the shop's carriers", po.Shipping)})
		}
	}
	return n, notes
}

// update changes what the platform changed of a known order through
// the order service, as PATCH /orders/{id} does: address, items and
// total, payment, carrier and the customer's contact. What can no longer
// change (the address of an order that left the shop) is noted, not
// failed: the platform's order may keep its own copy.
func (s *Service) update(ctx context.Context, tx *store.Tx, c config.Connector, po *Order, cur *order.Order) (bool, []note, error) {
	var ch order.Change
	var frozen []string
	left := cur.Status.LeftShop() || cur.Status == order.Cancelled
	if po.Address != "" && order.TidyAddress(po.Address) != cur.Address {
		if left {
			frozen = append(frozen, "address")
		} else {
			a := po.Address
			ch.Address = &a
		}
	}
	if len(po.Items) > 0 && !sameItems(po.Items, cur.Items) {
		if left {
			frozen = append(frozen, "items")
		} else {
			items := platformItems(po.Items)
			ch.Items = &items
		}
	}
	if po.TotalMinor > 0 && po.TotalMinor != cur.TotalMinor && !left {
		total := po.TotalMinor
		ch.Total = &total
	}
	var pay order.PaymentChange
	if m := po.Payment.Method; m != "" && m != cur.Payment.Method {
		pay.Method = &m
	}
	if po.Payment.Paid != cur.Payment.Paid {
		paid := po.Payment.Paid
		pay.Paid = &paid
	}
	if pay.Method != nil || pay.Paid != nil {
		ch.Payment = &pay
	}
	var notes []note
	if code, ok := Carrier(s.settings, c, po.Shipping); ok && code != cur.Carrier && !left {
		ch.Carrier = &code
	} else if po.Shipping != "" && !ok {
		notes = append(notes, note{ReasonUnmapped, fmt.Sprintf("the shipping method %q matched none of the shop's carriers", po.Shipping)})
	}
	if cu := cur.Customer; cu != nil {
		in, dropped := s.contact(po.Customer, cu)
		for _, d := range dropped {
			notes = append(notes, note{ReasonContactDropped, "kept without " + d})
		}
		var contact customer.Contact
		if n := in.Name; n != "" && n != cu.Name {
			contact.Name = &n
		}
		if e := in.Email; e != "" && e != cu.Email {
			contact.Email = &e
		}
		if p := in.Phone; p != "" && p != cu.Phone {
			contact.Phone = &p
		}
		if contact != (customer.Contact{}) {
			ch.Contact = &contact
		}
	}
	if len(frozen) > 0 {
		notes = append(notes, note{ReasonFrozen, "not applied, the order has left the shop: its " + strings.Join(frozen, " and ") + " no longer change"})
	}
	if ch == (order.Change{}) {
		return false, notes, nil
	}
	ch.Source = order.SourcePlatform
	done, err := s.orders.UpdateTx(ctx, tx, cur.ID, ch)
	if err != nil {
		return false, nil, fmt.Errorf("update order %d from the platform's order %s: %w", cur.ID, po.ID, err)
	}
	return len(done.Changed) > 0, notes, nil
}

// contact is the name, e-mail and phone a platform's order gives its
// customer, normalized as shopcare stores them (so a number written
// another way is no change); a detail that does not validate is left
// out and listed in dropped, with why.
func (s *Service) contact(in customer.Input, cu *customer.Customer) (customer.Input, []string) {
	given := customer.Input{ExternalID: "-", Name: in.Name, Email: in.Email, Phone: in.Phone, Country: cu.Country}
	def := customer.Defaults{Country: s.settings.Shop.Country, Language: s.settings.Shop.Languages[0], Timezone: s.settings.Shop.Timezone}
	out, err := customer.Normalize(given, def, "")
	var list invalid.List
	if err == nil || !errors.As(err, &list) {
		return out, nil
	}
	var dropped []string
	for _, e := range list {
		switch e.Field {
		case "email":
			given.Email = ""
		case "phone":
			given.Phone = ""
		default:
			given.Name = ""
		}
		dropped = append(dropped, "customer."+e.Error())
	}
	out, _ = customer.Normalize(given, def, "")
	return out, dropped
}

// consent records the customer's marketing consent where the platform's
// checkout took it; a platform's "no" is not a withdrawal (the customer
// may have agreed elsewhere) and changes nothing.
func (s *Service) consent(ctx context.Context, tx *store.Tx, c config.Connector, po *Order, customerID int64, now time.Time) error {
	if po.MarketingConsent == nil || !*po.MarketingConsent || customerID == 0 {
		return nil
	}
	yes := true
	_, err := customer.Update(ctx, tx, customerID, customer.Patch{
		Consent:       map[string]customer.ConsentPatch{"email": {Marketing: &yes}},
		ConsentSource: c.Platform + " checkout (connector " + c.Name + ", order " + po.ID + ")",
		DoubleOptIn:   s.settings.Campaigns.DoubleOptIn,
	}, customer.Defaults{Country: s.settings.Shop.Country, Language: s.settings.Shop.Languages[0], Timezone: s.settings.Shop.Timezone},
		"customer.", now)
	if err != nil {
		return fmt.Errorf("marketing consent of the platform's order %s: %w", po.ID, err)
	}
	return nil
}

// platformItems is a copy of a platform's lines without the variant ids
// shopcare cannot keep (too long, spaces): an id only serves the
// customer's "order again" cart link, which then falls back to making the
// order in shopcare, so it never costs the order.
func platformItems(items []order.Item) []order.Item {
	out := slices.Clone(items)
	for i := range out {
		if order.CheckVariantID(strings.TrimSpace(out[i].VariantID)) != "" {
			out[i].VariantID = ""
		}
	}
	return out
}

// sameItems compares two lists of lines by SKU (or name), quantity and
// price, in any order.
func sameItems(a, b []order.Item) bool {
	key := func(it order.Item) string {
		k := strings.TrimSpace(it.SKU)
		if k == "" {
			k = strings.TrimSpace(it.Name)
		}
		return fmt.Sprintf("%s\x00%d\x00%d", k, it.Qty, it.PriceMinor)
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i, it := range a {
		ka[i] = key(it)
	}
	for i, it := range b {
		kb[i] = key(it)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// move sets the order's status to what the delivery says: the
// platform's status when it changed since the last delivery applied, a
// cancellation or refund, or shipped when a fulfillment brought a
// tracking number.
func (s *Service) move(ctx context.Context, tx *store.Tx, c config.Connector, d Delivery, l link, known bool, cur *order.Order, now time.Time) (bool, []note, error) {
	po := d.Order
	want := po.Status
	if known && string(want) == l.Status {
		want = "" // the platform's status did not change: shopcare's may have moved on
	}
	if want == "" {
		switch d.Event {
		case OrderCancelled:
			want = order.Cancelled
		case OrderRefunded:
			want = order.Cancelled
			if cur.Status.LeftShop() {
				want = order.Returned
			}
		}
	}
	f, hasTracking := tracked(po.Fulfillments)
	if hasTracking && !cur.Status.LeftShop() && (want == "" || !want.LeftShop() && want != order.Cancelled) {
		want = order.Shipped
	}
	if want == "" || want == cur.Status {
		return false, nil, nil
	}
	u := order.StatusUpdate{Status: want, Source: order.SourcePlatform, At: po.UpdatedAt}
	var notes []note
	if hasTracking && (want == order.Shipped || want.LeftShop() && !cur.Status.LeftShop()) {
		u.TrackingNumber = f.TrackingNumber
		if !f.At.IsZero() && want == order.Shipped {
			u.At = f.At
		}
		if f.Carrier != "" {
			if code, ok := Carrier(s.settings, c, f.Carrier); ok {
				u.Carrier = code
			} else {
				notes = append(notes, note{ReasonUnmapped, fmt.Sprintf("the carrier %q matched none of the shop's carriers", f.Carrier)})
			}
		}
	}
	if u.At.After(now) || u.At.Before(cur.PlacedAt) {
		u.At = now
	}
	changed, err := s.orders.ChangeStatusTx(ctx, tx, cur.ID, u)
	var te *order.TransitionError
	if errors.As(err, &te) {
		return false, nil, &illegalMove{err: te}
	}
	if err != nil {
		return false, nil, err
	}
	if changed {
		cur.Status = want
		if u.Carrier != "" {
			cur.Carrier = u.Carrier
		}
	}
	return changed, notes, nil
}

// tracked returns the first fulfillment with a tracking number.
func tracked(fs []Fulfillment) (Fulfillment, bool) {
	for _, f := range fs {
		if strings.TrimSpace(f.TrackingNumber) != "" {
			return f, true
		}
	}
	return Fulfillment{}, false
}

// addParcels records a parcel per fulfillment with a tracking number,
// once the order has left the shop; a tracking number the order has is
// no change, one of another order is noted.
func (s *Service) addParcels(ctx context.Context, tx *store.Tx, c config.Connector, po *Order, orderID int64) (bool, []note, error) {
	if s.parcels == nil {
		return false, nil, nil
	}
	cur, err := order.GetBrief(ctx, tx, orderID)
	if err != nil {
		return false, nil, fmt.Errorf("load order %d: %w", orderID, err)
	}
	if !cur.Status.LeftShop() {
		return false, nil, nil
	}
	added := false
	var notes []note
	for _, f := range po.Fulfillments {
		if strings.TrimSpace(f.TrackingNumber) == "" {
			continue
		}
		code := cur.Carrier
		if mapped, ok := Carrier(s.settings, c, f.Carrier); ok {
			code = mapped
		}
		_, created, err := s.parcels.AddTx(ctx, tx, orderID, code, clip(f.TrackingNumber, 100))
		var conflict *parcel.ConflictError
		if errors.As(err, &conflict) {
			notes = append(notes, note{ReasonParcelTaken, conflict.Error()})
			continue
		}
		if err != nil {
			return false, nil, err
		}
		added = added || created
	}
	return added, notes, nil
}

// Carrier maps a platform's shipping method or carrier name to one of
// the shop's carrier codes: through the connector's carriers map first,
// else a carrier whose code or name matches, ignoring case.
func Carrier(s config.Settings, c config.Connector, name string) (string, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", false
	}
	if code, ok := c.Carriers[name]; ok {
		return code, true
	}
	for platformName, code := range c.Carriers {
		if strings.EqualFold(platformName, name) {
			return code, true
		}
	}
	for _, cr := range s.Carriers {
		if strings.EqualFold(cr.Code, name) || cr.Name != "" && strings.EqualFold(cr.Name, name) {
			return cr.Code, true
		}
	}
	return "", false
}
