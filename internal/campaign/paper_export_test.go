package campaign

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// StartPaperForTest stands in for Start (part send) of a paper campaign:
// it makes the recipients as Start does (customers pending, holdout held)
// and calls printPaper in the same transaction, as Start is to.
func (s *Service) StartPaperForTest(ctx context.Context, id int64, customers, holdout []int64) error {
	now := s.deps.Clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var rows [][]any
		for _, c := range customers {
			rows = append(rows, []any{id, c, "", RecipientPending, now})
		}
		for _, c := range holdout {
			rows = append(rows, []any{id, c, VariantHoldout, RecipientHeld, now})
		}
		if err := store.InsertMany(ctx, tx, "campaign_recipients", []string{"campaign_id", "customer_id", "variant", "status", "due_at"},
			rows, "", nil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = 'sending', started_at = $2,
			audience_size = $3 WHERE id = $1`, id, now, len(customers)+len(holdout)); err != nil {
			return err
		}
		c, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.printPaper(ctx, tx, c)
	})
}

// PostalCode is postalCode, for the tests.
var PostalCode = postalCode
