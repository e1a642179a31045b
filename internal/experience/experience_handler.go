package experience

import (
	"context"
	"fmt"
	"strconv"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
)

// HandleEvents is the register's journal handler: each event that tells
// of a bad moment becomes a row, once per customer, kind and ref, so a
// batch drained twice never doubles one. Imported history counts too (a
// late order of last year is still a late order), silently: its
// experience.recorded is history, which the playbook passes over.
func (s *Service) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	var entries []Entry
	for _, e := range events {
		if e.CustomerID == 0 {
			continue
		}
		en, ok, err := entryOf(ctx, tx, e)
		if err != nil {
			return fmt.Errorf("experience register: event %d (%s): %w", e.ID, e.Kind, err)
		}
		if ok {
			entries = append(entries, en)
		}
	}
	_, err := s.RecordTx(ctx, tx, entries)
	return err
}

// entryOf reads the negative experience an event tells of, if any.
func entryOf(ctx context.Context, tx *store.Tx, e journal.Event) (Entry, bool, error) {
	en := Entry{CustomerID: e.CustomerID, OrderID: e.OrderID, At: e.OccurredAt, History: e.History}
	orderRef := "order:" + strconv.FormatInt(e.OrderID, 10)
	switch e.Kind {
	case journal.OrderLate:
		var p event.OrderLatePayload
		if err := e.Decode(&p); err != nil {
			return en, false, err
		}
		en.Kind, en.Ref, en.Detail = LateDelivery, orderRef, fmt.Sprintf("days_late=%d;promised_to=%s", p.DaysLate, p.PromisedTo)
		return en, e.OrderID != 0, nil
	case journal.OrderPromiseChanged:
		var p event.OrderPromiseChangedPayload
		if err := e.Decode(&p); err != nil {
			return en, false, err
		}
		first, broken, err := brokenPromise(ctx, tx, e.OrderID, p)
		if err != nil || !broken {
			return en, false, err
		}
		en.Kind, en.Ref, en.Detail = BrokenPromise, orderRef, "promised_to="+first+";now="+p.New.DeliveryTo
		return en, true, nil
	case journal.OrderStatusChanged:
		var p event.OrderStatusChangedPayload
		if err := e.Decode(&p); err != nil {
			return en, false, err
		}
		// A cancellation the customer asked for on their own page is
		// their choice; any other (the shop's admin, its platform, the
		// API) is the shop's.
		if p.To != "cancelled" || p.Source == "customer" || e.OrderID == 0 {
			return en, false, nil
		}
		en.Kind, en.Ref, en.Detail = CancelledByShop, orderRef, "from="+p.From
		if p.Source != "" {
			en.Detail += ";source=" + p.Source
		}
		return en, true, nil
	case journal.ExperienceNegative:
		var p event.ExperienceNegativePayload
		if err := e.Decode(&p); err != nil {
			return en, false, err
		}
		return negative(en, p, orderRef)
	}
	return en, false, nil
}

// negative reads an experience.negative event by its cause.
func negative(en Entry, p event.ExperienceNegativePayload, orderRef string) (Entry, bool, error) {
	ref := func(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }
	switch p.Cause {
	case CauseUnanswered:
		en.Kind, en.Ref = UnansweredMessage, ref("conversation", p.ConversationID)
	case CauseLowScore, CauseLowRating:
		en.Kind, en.Ref = LowScore, ref("conversation", p.ConversationID)
		if p.SurveyID != 0 {
			en.Kind, en.Ref = LowScore, ref("survey", p.SurveyID)
		}
	case CauseMissedCallback, CauseWrongNumber:
		en.Kind, en.Ref, en.Detail = MissedCallback, ref("task", p.TaskID), p.Cause
	case CauseUnreachable:
		en.Kind, en.Ref = Unreachable, orderRef
		if en.OrderID == 0 {
			en.Ref = ref("message", p.MessageID)
		}
	default:
		return en, false, nil
	}
	return en, true, nil
}

// brokenPromise reports whether a re-promise broke the order's first
// promise: its new last day of delivery is later than the first one the
// customer was given (a promise moved later and back is not broken).
func brokenPromise(ctx context.Context, tx *store.Tx, orderID int64, p event.OrderPromiseChangedPayload) (string, bool, error) {
	if orderID == 0 || p.New.DeliveryTo == "" || p.Old.DeliveryTo == "" || p.New.DeliveryTo <= p.Old.DeliveryTo {
		return "", false, nil // moved earlier or no day at all: cannot be later than the first
	}
	changes, err := promise.Changes(ctx, tx, orderID)
	if err != nil {
		return "", false, err
	}
	first := p.Old.DeliveryTo
	for _, c := range changes {
		if c.Old.DeliveryTo != "" {
			first = c.Old.DeliveryTo
			break
		}
	}
	return first, p.New.DeliveryTo > first, nil
}
