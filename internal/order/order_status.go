package order

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
)

// StatusUpdate asks for an order to move to a status.
type StatusUpdate struct {
	Status         Status
	Carrier        string
	TrackingNumber string
	At             time.Time // zero: now
	Source         Source
}

// ChangeStatus moves the order to a new status, records the step and
// journals it. Posting the status the order already has changes nothing and
// reports changed == false, so a retried request is harmless.
func (s *Service) ChangeStatus(ctx context.Context, id int64, u StatusUpdate) (changed bool, err error) {
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changed, err = s.ChangeStatusTx(ctx, tx, id, u)
		if err != nil || !changed || u.Source != SourceAdmin {
			// Only a person's change in the admin is an admin action;
			// the platform's and the carriers' are the shop's traffic.
			return err
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.OrderStatusSet,
			Detail: map[string]any{"status": string(u.Status)}}.Target(actionlog.TargetOrder, id))
	})
	return changed, err
}

// ChangeStatusTx is ChangeStatus inside the caller's transaction.
func (s *Service) ChangeStatusTx(ctx context.Context, tx *store.Tx, id int64, u StatusUpdate) (changed bool, err error) {
	now := s.clock.Now()
	if u.At.IsZero() {
		u.At = now
	}
	if err := checkStatusUpdate(&u); err != nil {
		return false, err
	}
	err = func() error {
		lock := ""
		if s.db.Engine() == store.Postgres {
			lock = " FOR UPDATE"
		}
		var cur Order
		err := tx.QueryRow(ctx, `SELECT id, customer_id, status, total_minor, history, carrier, tracking_number
			FROM orders WHERE id = $1`+lock, id).Scan(&cur.ID, &cur.CustomerID, &cur.Status, &cur.TotalMinor,
			&cur.History, &cur.Carrier, &cur.TrackingNumber)
		if err != nil {
			return fmt.Errorf("load order %d: %w", id, err)
		}
		if cur.Status == u.Status {
			return nil
		}
		if !CanMove(cur.Status, u.Status) {
			return &TransitionError{OrderID: id, From: cur.Status, To: u.Status}
		}
		carrier, tracking := cur.Carrier, cur.TrackingNumber
		if u.Carrier != "" {
			carrier = u.Carrier
		}
		if u.TrackingNumber != "" {
			tracking = u.TrackingNumber
		}
		deliveredAt, deliveredOn := s.deliveredWhen(u)
		_, err = tx.Exec(ctx, `UPDATE orders SET status = $2, carrier = $3, tracking_number = $4,
			delivered_at = COALESCE($5, delivered_at), delivered_on = COALESCE($6, delivered_on), updated_at = $7
			WHERE id = $1`, id, string(u.Status), carrier, tracking, deliveredAt, deliveredOn, now)
		if err != nil {
			return fmt.Errorf("update order %d: %w", id, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO order_status_history (order_id, from_status, to_status, at, source)
			VALUES ($1, $2, $3, $4, $5)`, id, string(cur.Status), string(u.Status), u.At, string(u.Source))
		if err != nil {
			return fmt.Errorf("record status of order %d: %w", id, err)
		}
		changed = true
		err = s.journal.Append(ctx, tx, statusEvent(&cur, u, carrier, tracking))
		if err != nil {
			return err
		}
		if reason, detail := repromiseReason(cur.Status, u.Status, cur.Carrier, carrier); reason != "" {
			_, err = s.repromise(ctx, tx, []int64{id}, reason, detail)
		}
		return err
	}()
	return changed, err
}

// checkStatusUpdate tidies u and checks it by the rules of every inbound
// path, for every caller (API, admin, packing, carriers): nothing is
// written when one fails. Whether the time lies ahead of the clock is the
// caller's to judge (the API refuses it).
func checkStatusUpdate(u *StatusUpdate) error {
	u.Carrier = strings.TrimSpace(u.Carrier)
	u.TrackingNumber = strings.TrimSpace(u.TrackingNumber)
	var errs invalid.List
	errs.CheckText("carrier", u.Carrier)
	errs.CheckText("tracking_number", u.TrackingNumber)
	errs.CheckTime("at", u.At, time.Time{}, false)
	return errs.Err()
}

// deliveredWhen is the delivered_at and delivered_on (the shop's day) a
// move to u.Status sets: nil unless it is a delivery.
func (s *Service) deliveredWhen(u StatusUpdate) (*time.Time, *string) {
	if u.Status != Delivered {
		return nil, nil
	}
	at := u.At
	day := at.In(s.settings.Shop.Location()).Format(time.DateOnly)
	return &at, &day
}

// statusEvent is the journal's order.status_changed of cur's move by u,
// with the carrier and tracking number the order has after it.
func statusEvent(cur *Order, u StatusUpdate, carrier, tracking string) journal.Event {
	return journal.Event{
		Kind: journal.OrderStatusChanged, OrderID: cur.ID, CustomerID: cur.CustomerID, History: cur.History, OccurredAt: u.At,
		Payload: journal.MustPayload(event.OrderStatusChangedPayload{
			OrderFacts: event.OrderFacts{TotalMinor: cur.TotalMinor,
				Uncounted: cur.Status.Counted() && !u.Status.Counted(), Recounted: !cur.Status.Counted() && u.Status.Counted()},
			From: string(cur.Status), To: string(u.Status), Carrier: carrier, TrackingNumber: tracking,
			Source: string(u.Source),
		}),
	}
}

// repromiseReason says whether a status change may move the order's
// promise, and why: a new carrier, work that began, a parcel that left.
func repromiseReason(from, to Status, oldCarrier, newCarrier string) (reason, detail string) {
	switch {
	case newCarrier != oldCarrier:
		return promise.ReasonCarrierChanged, newCarrier
	case to == Processing || to == ReadyToShip && from == New:
		return promise.ReasonStartedLate, ""
	case to == Shipped:
		return promise.ReasonShippedLate, ""
	}
	return "", ""
}
