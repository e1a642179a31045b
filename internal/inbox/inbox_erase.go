package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ErasePersonal blanks, inside the erasure's transaction (an
// order.Eraser), what the conversations of customer id hold of them: the
// conversations' subject, the sender's address and name on the channel
// and the comment on the rating; every message's subject, texts, HTML,
// raw bytes, threading headers, bounce text, send error and, on the
// customer's own messages, their name. The shop's replies and the
// operators' notes go too: they quote and name the customer. Attachments
// are deleted. Ids, times, channels, directions, statuses, due times,
// scores and the messages' own ids stay, so the support figures hold and
// a message fetched again is still recognised and not stored anew. A
// conversation never linked to the customer (a sender no one knew) is
// not theirs to erase here.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	const theirs = `SELECT id FROM conversation_messages WHERE conversation_id IN
		(SELECT id FROM conversations WHERE customer_id = $1)`
	atts, err := tx.Exec(ctx, `DELETE FROM conversation_attachments WHERE message_id IN (`+theirs+`)`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase conversation attachments of customer %d: %w", customerID, err)
	}
	msgs, err := tx.Exec(ctx, `UPDATE conversation_messages SET subject = '', text = '', visible = '', html = '',
		raw = NULL, in_reply_to = '', refs = '', bounce = '', sent_error = '',
		author_name = CASE WHEN direction = $2 THEN '' ELSE author_name END
		WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)`, customerID, In)
	if err != nil {
		return nil, fmt.Errorf("erase conversation messages of customer %d: %w", customerID, err)
	}
	convs, err := tx.Exec(ctx, `UPDATE conversations SET subject = '', address = '', contact_name = '', rating_comment = ''
		WHERE customer_id = $1`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase conversations of customer %d: %w", customerID, err)
	}
	if convs == 0 {
		return nil, nil
	}
	return map[string]int64{"conversations": convs, "conversation_messages": msgs, "conversation_attachments": atts}, nil
}
