// Package journal is shopcare's event journal: every state change writes an
// event in the same transaction as the change (a transactional outbox), and
// a drain hands the events, in batches, to the parts that react: at once in
// the process that committed them (Kicks), and from a periodic drain job
// for what any process left behind (a crash, an import run without
// workers, another node).
//
// Handlers run inside the transaction that marks their events processed, so
// an event is handled exactly once whatever crashes when: either the handling
// and the mark commit together, or neither does and the event is drained again.
// A handler that must reach the outside world (send a message) does so by
// enqueueing a job in that same transaction.
package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/store"
)

// Kind names what happened.
type Kind string

// The kinds of event shopcare writes.
const (
	OrderCreated       Kind = "order.created"
	OrderStatusChanged Kind = "order.status_changed"
	OrderPromiseDue    Kind = "order.promise_due"
	// OrderPromiseChanged: the promised dates moved; the payload says why.
	OrderPromiseChanged Kind = "order.promise_changed"
	// OrderChanged: the shop changed an order's address, payment, items,
	// carrier or customer contact (PATCH /orders/{id}); the payload names
	// the fields and carries figures only, no personal data.
	OrderChanged Kind = "order.changed"
	// OrderLate: the order is past its promised day and the grace, not
	// delivered; once per order.
	OrderLate Kind = "order.late"
	// ParcelStatusChanged: a parcel moved to another normalised status.
	ParcelStatusChanged Kind = "parcel.status_changed"
	// ParcelWaiting: a parcel has waited at the pickup point for some
	// days (a pickup reminder is due).
	ParcelWaiting Kind = "parcel.waiting"
	// ParcelStuck: a parcel on its way has had no carrier event for too long.
	ParcelStuck Kind = "parcel.stuck"
	// LoyaltyTierChanged: a customer moved to another club tier; the
	// payload has from, to and whether it was up.
	LoyaltyTierChanged Kind = "loyalty.tier_changed"
	// LoyaltyPointsCredited: points were given other than for a purchase
	// (a bonus, a referral, compensation, an operator's grant).
	LoyaltyPointsCredited Kind = "loyalty.points_credited"
	// LoyaltyPointsExpiring: some of a customer's points lapse soon.
	LoyaltyPointsExpiring Kind = "loyalty.points_expiring"
	// CustomerChanged: a customer's profile or consents changed; the
	// payload names the fields, not their values.
	CustomerChanged Kind = "customer.changed"
	// CustomerErased: a customer's personal data was erased on request
	// (GDPR art. 17, 152-FZ); the payload counts what was erased.
	CustomerErased Kind = "customer.erased"
	// CustomerSegmentEntered: the CLV scoring moved a customer into a
	// win-back segment (at_risk, drifting, likely_lost).
	CustomerSegmentEntered Kind = "customer.segment_entered"
	// ConversationOpened: a customer's message opened a conversation in
	// the support inbox (inbox.OpenedPayload).
	ConversationOpened Kind = "conversation.opened"
	// MessageReceived: a customer's message was stored in a conversation
	// (inbox.ReceivedPayload).
	MessageReceived Kind = "message.received"
	// ConversationOverdue: a conversation's answer is past its response
	// target; once per awaited answer (inbox.OverduePayload).
	ConversationOverdue Kind = "conversation.overdue"
	// ExperienceNegative: something went wrong for the customer, for the
	// experience register; the payload names the cause
	// (inbox.ExperiencePayload).
	ExperienceNegative Kind = "experience.negative"
)

// Event is one entry of the journal.
type Event struct {
	ID         int64
	Kind       Kind
	OrderID    int64
	CustomerID int64
	// History marks events of imported past orders: they feed analytics but
	// must never make anything happen to a customer.
	History    bool
	Payload    json.RawMessage
	OccurredAt time.Time
}

// Decode unmarshals the event's payload into v.
func (e Event) Decode(v any) error {
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return fmt.Errorf("decode %s event %d: %w", e.Kind, e.ID, err)
	}
	return nil
}

// Journal writes events.
type Journal struct {
	clock       clock.Clock
	kicks       chan struct{}
	projections []Handler
}

// Project makes h handle every batch of events in the transaction that
// appends it, before it commits: for read models that must be as current
// as what they are read from (the analytics roll-ups). h must be cheap and
// must not fail on what it does not know. Set projections up before the
// first Append.
func (j *Journal) Project(h Handler) { j.projections = append(j.projections, h) }

// New returns a Journal.
func New(clk clock.Clock) *Journal {
	return &Journal{clock: clk, kicks: make(chan struct{}, 1)}
}

// Kicks signals, once per burst, that events were committed: the process
// that wrote them drains at once (Dispatcher.Run) instead of waiting for
// the drain job's turn. The drain job stays the durable path.
func (j *Journal) Kicks() <-chan struct{} { return j.kicks }

func (j *Journal) kick() {
	select {
	case j.kicks <- struct{}{}:
	default: // a drain is due already
	}
}

// Append writes events inside tx and makes sure a drain job will see them.
func (j *Journal) Append(ctx context.Context, tx *store.Tx, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	now := j.clock.Now()
	rows := make([][]any, len(events))
	for i, e := range events {
		payload := e.Payload
		if len(payload) == 0 {
			payload = json.RawMessage("{}")
		}
		rows[i] = []any{string(e.Kind), nullID(e.OrderID), nullID(e.CustomerID), e.History, string(payload), e.OccurredAt, now}
	}
	err := store.InsertMany(ctx, tx, "events",
		[]string{"kind", "order_id", "customer_id", "history", "payload", "occurred_at", "created_at"}, rows, "", nil)
	if err != nil {
		return fmt.Errorf("append %d events: %w", len(events), err)
	}
	for _, h := range j.projections {
		if err := h.HandleEvents(ctx, tx, events); err != nil {
			return err
		}
	}
	// No job per append: a unique River insert per transaction cost a
	// fifth of the CPU at 500 status changes a second. The kick drains
	// at once; the periodic sweep is the durable path.
	tx.AfterCommit(j.kick)
	return nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// MustPayload marshals v for an event payload; v is always a struct of
// plain fields, so an error is a programming mistake.
func MustPayload(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("journal payload %T: %v", v, err))
	}
	return b
}
