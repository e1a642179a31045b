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
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/store"
)

// Kind names what happened; the kinds and their payload types live in
// package event.
type Kind = event.Kind

// The kinds of event shopcare writes, as named in package event, which
// documents each and its payload type.
const (
	OrderCreated           = event.OrderCreated
	OrderStatusChanged     = event.OrderStatusChanged
	OrderPromiseDue        = event.OrderPromiseDue
	OrderPromiseChanged    = event.OrderPromiseChanged
	OrderChanged           = event.OrderChanged
	OrderLate              = event.OrderLate
	OrderReturnRequested   = event.OrderReturnRequested
	ParcelStatusChanged    = event.ParcelStatusChanged
	ParcelWaiting          = event.ParcelWaiting
	ParcelStuck            = event.ParcelStuck
	LoyaltyTierChanged     = event.LoyaltyTierChanged
	LoyaltyPointsCredited  = event.LoyaltyPointsCredited
	LoyaltyPointsExpiring  = event.LoyaltyPointsExpiring
	CustomerChanged        = event.CustomerChanged
	CustomerErased         = event.CustomerErased
	CustomerSegmentEntered = event.CustomerSegmentEntered
	ConversationOpened     = event.ConversationOpened
	MessageReceived        = event.MessageReceived
	ConversationOverdue    = event.ConversationOverdue
	ExperienceNegative     = event.ExperienceNegative
	ExperienceRecorded     = event.ExperienceRecorded
	SurveyAnswered         = event.SurveyAnswered
	ReviewSubmitted        = event.ReviewSubmitted
	ReviewPublished        = event.ReviewPublished
	InsiderJoined          = event.InsiderJoined
	CampaignStarted        = event.CampaignStarted
	CampaignFinished       = event.CampaignFinished
	StockShort             = event.StockShort
	StockFilled            = event.StockFilled
	StockResolved          = event.StockResolved
	StockBack              = event.StockBack
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

// MustPayload marshals p for an event payload; p is always one of package
// event's structs of plain fields, so an error is a programming mistake.
func MustPayload(p event.Payload) json.RawMessage {
	b, err := event.Encode(p)
	if err != nil {
		panic(fmt.Sprintf("journal payload %T: %v", p, err))
	}
	return b
}
