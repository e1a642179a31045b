package message

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ErasePersonal erases the texts of the messages to a customer whose
// personal data is erased on request (order.EraseCustomer): subjects,
// bodies and what the channels answered (it may quote the address). The
// rows stay, for the shop's figures (what was sent, when, on which
// channel); those still to be sent are suppressed, since nobody is left to
// send them to.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, now time.Time) (map[string]int64, error) {
	attempts, err := tx.Exec(ctx, `UPDATE message_attempts SET detail = '' WHERE detail <> ''
		AND message_id IN (SELECT id FROM messages WHERE customer_id = $1)`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase message attempts of customer %d: %w", customerID, err)
	}
	n, err := tx.Exec(ctx, `UPDATE messages SET subject = '', body = '',
		reason = CASE WHEN status = $2 THEN 'customer_erased' ELSE reason END,
		status = CASE WHEN status = $2 THEN $3 ELSE status END, updated_at = $4
		WHERE customer_id = $1`, customerID, string(Scheduled), string(Suppressed), now)
	if err != nil {
		return nil, fmt.Errorf("erase messages of customer %d: %w", customerID, err)
	}
	return map[string]int64{"messages": n, "message_attempts": attempts}, nil
}
