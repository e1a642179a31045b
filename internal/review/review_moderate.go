package review

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Publish shows review id on the shop's pages, journals review.published
// and credits the customer's loyalty review bonus (once per order; the
// programme's own key makes a second review of the order credit
// nothing; an imported past order gets none). Publishing a published
// review changes nothing. by names who did it.
func (s *Service) Publish(ctx context.Context, id int64, by string) (Review, error) {
	return s.PublishAt(ctx, id, by, s.deps.Clock.Now())
}

// PublishAt is Publish at a given time (the demo's history).
func (s *Service) PublishAt(ctx context.Context, id int64, by string, now time.Time) (Review, error) {
	var r Review
	changed, history := false, false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = get(ctx, tx, id); err != nil {
			return err
		}
		if r.Status == Published {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE reviews SET status = $1, reject_reason = '', moderated_by = $2, published_at = $3,
			updated_at = $3 WHERE id = $4`, Published, by, now, id); err != nil {
			return fmt.Errorf("publish review %d: %w", id, err)
		}
		r.Status, r.RejectReason, r.ModeratedBy, r.PublishedAt, r.UpdatedAt = Published, "", by, &now, now
		o, err := order.Get(ctx, tx, r.OrderID)
		if err != nil {
			return err
		}
		// An imported past order's review is shown, but makes nothing
		// happen to its customer: no bonus, no message.
		changed, history = true, o.History
		if !o.History {
			if err := s.enqueueWrite(ctx, tx, r.ID); err != nil {
				return err
			}
		}
		if err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.ReviewPublished, OrderID: r.OrderID,
			CustomerID: r.CustomerID, History: o.History, OccurredAt: now, Payload: journal.MustPayload(event.ReviewPublishedPayload{
				ReviewID: r.ID, SKU: r.SKU, Rating: r.Rating})}); err != nil {
			return err
		}
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.ReviewPublished,
			Detail: map[string]any{"order": r.OrderID, "customer": r.CustomerID, "rating": r.Rating}}.Target(actionlog.TargetReview, id))
	})
	if err != nil || !changed || history || s.bonus == nil {
		return r, err
	}
	// The programme's ledger has its own transaction; its key
	// (bonus:review:o<order>) makes a retry credit nothing twice.
	if _, err := s.bonus.Review(ctx, r.CustomerID, r.OrderID); err != nil {
		var bad *invalid.Error
		if errors.As(err, &bad) { // the order went back meanwhile: no bonus, the review stays
			s.deps.Log.Info("no review bonus", "review", r.ID, "order", r.OrderID, "why", bad.Error())
			return r, nil
		}
		return r, fmt.Errorf("review bonus for review %d: %w", r.ID, err)
	}
	return r, nil
}

// Reject keeps review id off the shop's pages for reason, one of
// RejectReasons (a field error "reason" otherwise).
func (s *Service) Reject(ctx context.Context, id int64, reason, by string) (Review, error) {
	if !slices.Contains(RejectReasons, reason) {
		return Review{}, invalid.Field("reason", "invalid", "%q is not a reason: use %s", reason, strings.Join(RejectReasons, ", "))
	}
	var r Review
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = get(ctx, tx, id); err != nil {
			return err
		}
		now := s.deps.Clock.Now()
		if _, err := tx.Exec(ctx, `UPDATE reviews SET status = $1, reject_reason = $2, moderated_by = $3, published_at = NULL,
			updated_at = $4 WHERE id = $5`, Rejected, reason, by, now, id); err != nil {
			return fmt.Errorf("reject review %d: %w", id, err)
		}
		r.Status, r.RejectReason, r.ModeratedBy, r.PublishedAt, r.UpdatedAt = Rejected, reason, by, nil, now
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.ReviewRejected,
			Detail: map[string]any{"order": r.OrderID, "customer": r.CustomerID, "reason": reason}}.Target(actionlog.TargetReview, id))
	})
	return r, err
}

// Reply sets the shop's answer shown under review id ("" removes it).
func (s *Service) Reply(ctx context.Context, id int64, text, by string) (Review, error) {
	text = strings.TrimSpace(text)
	if e := invalid.TextMax("reply", text, MaxReply, true); e != nil {
		return Review{}, e
	}
	var r Review
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = get(ctx, tx, id); err != nil {
			return err
		}
		now := s.deps.Clock.Now()
		var at *time.Time
		if text != "" {
			at = &now
		}
		if _, err := tx.Exec(ctx, `UPDATE reviews SET reply = $1, reply_at = $2, moderated_by = $3, updated_at = $4 WHERE id = $5`,
			text, at, by, now, id); err != nil {
			return fmt.Errorf("reply to review %d: %w", id, err)
		}
		r.Reply, r.ReplyAt, r.ModeratedBy, r.UpdatedAt = text, at, by, now
		return nil
	})
	return r, err
}

// ErasePersonal removes customer id's reviews with their photos inside
// the erasure's transaction (an order.Eraser): a review's text, photo and
// name are the customer's own. The count is reported only when something
// was erased.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM review_photos WHERE review_id IN (SELECT id FROM reviews WHERE customer_id = $1)`,
		customerID); err != nil {
		return nil, fmt.Errorf("erase review photos of customer %d: %w", customerID, err)
	}
	n, err := tx.Exec(ctx, `DELETE FROM reviews WHERE customer_id = $1`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase reviews of customer %d: %w", customerID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return map[string]int64{"reviews": n}, nil
}
