package review

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Queue enqueues jobs in a transaction (jobs.Queue).
type Queue interface {
	InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
}

// WritersOf returns the review writers of the connectors that write back
// (write_back: true) and whose platform takes reviews (WooCommerce). A
// connector whose adapter cannot be built is left out: the connectors'
// own write-backs log it.
func WritersOf(connectors []config.Connector, adapters connector.AdapterFunc) []connector.ReviewWriter {
	var out []connector.ReviewWriter
	for _, c := range connectors {
		if !c.WriteBack || adapters == nil {
			continue
		}
		a, err := adapters(c)
		if err != nil {
			continue
		}
		if w, ok := a.Writer.(connector.ReviewWriter); ok {
			out = append(out, w)
		}
	}
	return out
}

// WriteArgs is the job that sends a published review to the shop's
// platforms.
type WriteArgs struct {
	ReviewID int64 `json:"review_id"`
}

// Kind names the job.
func (WriteArgs) Kind() string { return "review_write_back" }

// InsertOpts makes one job per review at a time, retried with River's
// backoff.
func (WriteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// enqueueWrite asks for the review's write-back in tx, when a platform
// takes reviews.
func (s *Service) enqueueWrite(ctx context.Context, tx *store.Tx, id int64) error {
	if len(s.writers) == 0 || s.jobs == nil {
		return nil
	}
	if err := s.jobs.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: WriteArgs{ReviewID: id}}}); err != nil {
		return fmt.Errorf("enqueue the write-back of review %d: %w", id, err)
	}
	return nil
}

// WriteBack sends review id, if still published, to the shop's platforms
// and keeps the platform's id of it. A review already written (it has a
// platform id) is not written twice.
func (s *Service) WriteBack(ctx context.Context, id int64) error {
	r, err := s.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || r.Status != Published || r.PlatformID != "" {
		return err
	}
	o, err := order.Get(ctx, s.db.Read(), r.OrderID)
	if err != nil {
		return fmt.Errorf("write back review %d: %w", id, err)
	}
	email := ""
	if o.Customer != nil {
		email = o.Customer.Email
	}
	in := connector.ProductReview{SKU: r.SKU, Rating: r.Rating, Text: r.Text, Reviewer: r.Author, Email: email}
	for _, w := range s.writers {
		pid, err := w.WriteReview(ctx, in)
		if err != nil {
			return fmt.Errorf("write back review %d: %w", id, err)
		}
		if pid == "" {
			continue
		}
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE reviews SET platform_id = $1 WHERE id = $2`, pid, id)
			return err
		})
		if err != nil {
			return fmt.Errorf("keep the platform's id of review %d: %w", id, err)
		}
	}
	return nil
}

// WriteWorker runs the write-back jobs.
type WriteWorker struct {
	river.WorkerDefaults[WriteArgs]
	Service *Service
}

// Timeout leaves room for the platform's two calls.
func (wk *WriteWorker) Timeout(*river.Job[WriteArgs]) time.Duration { return time.Minute }

// Work writes the review back.
func (wk *WriteWorker) Work(ctx context.Context, job *river.Job[WriteArgs]) error {
	return wk.Service.WriteBack(ctx, job.Args.ReviewID)
}
