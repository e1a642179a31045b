package experience

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// RecordTx records entries inside tx and journals experience.recorded for
// each row it made, with the customer's count of negative experiences in
// Window up to it. An entry already recorded (same customer, kind and
// ref) changes nothing. It returns the new rows' ids.
func (s *Service) RecordTx(ctx context.Context, tx *store.Tx, entries []Entry) ([]int64, error) {
	var ids []int64
	var events []journal.Event
	now := s.deps.Clock.Now()
	for _, en := range entries {
		if !en.Kind.Known() || en.CustomerID == 0 || en.Ref == "" {
			return nil, fmt.Errorf("record negative experience %q of customer %d: not a register entry", en.Kind, en.CustomerID)
		}
		var orderID *int64
		if en.OrderID != 0 {
			orderID = &en.OrderID
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO negative_experiences (customer_id, order_id, kind, ref, at, detail, history, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (customer_id, kind, ref) DO NOTHING RETURNING id`,
			en.CustomerID, orderID, string(en.Kind), en.Ref, en.At, en.Detail, en.History, now).Scan(&id)
		if errors.Is(err, store.ErrNotFound) {
			continue // recorded already
		}
		if err != nil {
			return nil, fmt.Errorf("record %s %s of customer %d: %w", en.Kind, en.Ref, en.CustomerID, err)
		}
		var count int
		err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM negative_experiences
			WHERE customer_id = $1 AND at > $2 AND at <= $3`, en.CustomerID, en.At.Add(-Window), en.At).Scan(&count)
		if err != nil {
			return nil, fmt.Errorf("count negative experiences of customer %d: %w", en.CustomerID, err)
		}
		ids = append(ids, id)
		events = append(events, journal.Event{Kind: journal.ExperienceRecorded, CustomerID: en.CustomerID, OrderID: en.OrderID,
			History: en.History, OccurredAt: en.At,
			Payload: journal.MustPayload(event.ExperienceRecordedPayload{ExperienceID: id, Kind: string(en.Kind), Count: count})})
	}
	if len(events) == 0 || s.journal == nil {
		return ids, nil
	}
	if err := s.journal.Append(ctx, tx, events...); err != nil {
		return nil, fmt.Errorf("journal %d negative experiences: %w", len(events), err)
	}
	return ids, nil
}

// Record is RecordTx in a transaction of its own.
func (s *Service) Record(ctx context.Context, entries ...Entry) ([]int64, error) {
	var ids []int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = s.RecordTx(ctx, tx, entries)
		return err
	})
	return ids, err
}
