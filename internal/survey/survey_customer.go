package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ForCustomer returns customer id's answers, confirmed or not, the newest
// first: their copy of their data (the API's export). Never nil.
func (s *Service) ForCustomer(ctx context.Context, customerID int64) ([]Survey, error) {
	out := []Survey{}
	err := store.Each(ctx, s.db.Read(), `SELECT `+columns+` FROM surveys WHERE customer_id = $1
		ORDER BY created_at DESC, id DESC`, []any{customerID}, func(r store.Rows) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		out = append(out, *v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("surveys of customer %d: %w", customerID, err)
	}
	return out, nil
}

// ErasePersonal blanks the comments of customer id's answers inside the
// erasure's transaction (an order.Eraser): the customer's own words are
// personal data; the scores, kinds and times stay for the shop's figures.
// The count is reported only when something was erased.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	n, err := tx.Exec(ctx, `UPDATE surveys SET comment = '' WHERE customer_id = $1 AND comment <> ''`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase survey comments of customer %d: %w", customerID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return map[string]int64{"survey_comments": n}, nil
}
