package journal

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/store"
)

// ErasePersonal blanks, inside the erasure's transaction (an
// order.Eraser), the one text of a customer's own words the journal
// keeps: the subject of each conversation.opened event of theirs (the
// subject line of their first message). The events stay, with their
// kinds, ids and times, for the figures and the webhooks' order; every
// other payload holds codes, ids, figures and dates only.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id, payload FROM events WHERE customer_id = $1 AND kind = $2`,
		customerID, string(event.ConversationOpened))
	if err != nil {
		return nil, fmt.Errorf("erase event subjects of customer %d: %w", customerID, err)
	}
	type blank struct {
		id      int64
		payload string
	}
	var todo []blank
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return nil, fmt.Errorf("erase event subjects of customer %d: %w", customerID, err)
		}
		var p event.ConversationOpenedPayload
		if err := (Event{ID: id, Kind: event.ConversationOpened, Payload: []byte(raw)}).Decode(&p); err != nil {
			rows.Close()
			return nil, err
		}
		if p.Subject == "" {
			continue
		}
		p.Subject = ""
		todo = append(todo, blank{id: id, payload: string(MustPayload(p))})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("erase event subjects of customer %d: %w", customerID, err)
	}
	for _, b := range todo {
		if _, err := tx.Exec(ctx, `UPDATE events SET payload = $2 WHERE id = $1`, b.id, b.payload); err != nil {
			return nil, fmt.Errorf("erase the subject of event %d: %w", b.id, err)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	return map[string]int64{"event_subjects": int64(len(todo))}, nil
}
