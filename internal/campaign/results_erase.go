package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ErasePersonal (an order.Eraser) blanks, inside the erasure's
// transaction, what campaigns keep of a customer beyond ids, statuses and
// times: the addresses of the links they clicked, which the shop's
// templates may have personalised (an e-mail or a name in a link's
// query). Their recipient rows and clicks stay, as ids and times only, so
// that the campaigns' figures (sent, clicked, orders) do not change after
// an erasure; a recipient row holds nothing else about them (the address
// a message went to is the customer's, erased by its owner).
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	n, err := tx.Exec(ctx, `UPDATE campaign_clicks SET url = '' WHERE customer_id = $1 AND url <> ''`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase campaign clicks of customer %d: %w", customerID, err)
	}
	return map[string]int64{"campaign_clicks": n}, nil
}
