package customer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// LinkTelegram links the Telegram chat chatID to the customer: what a
// customer's /start deep link from their tracking page does. The chat
// becomes the customer's Telegram address, and writing to the bot is
// their consent to order news there: an earlier opt-out or failure on
// Telegram (a bot they had blocked) is cleared, since they have just
// asked for the chat. Marketing stays under its own opt-out. A chat is
// one person's: it is taken off any other customer it was linked to.
// Linking the same chat again changes nothing but the time of consent.
func LinkTelegram(ctx context.Context, db *store.DB, customerID int64, chatID int64, at time.Time) error {
	if chatID == 0 {
		return fmt.Errorf("link telegram chat of customer %d: no chat id", customerID)
	}
	chat := strconv.FormatInt(chatID, 10)
	return db.InTx(ctx, func(tx *store.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM customers WHERE id = $1`, customerID).Scan(&id); err != nil {
			return fmt.Errorf("link telegram chat of customer %d: %w", customerID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE customers SET telegram_chat_id = NULL WHERE telegram_chat_id = $1 AND id <> $2`,
			chat, customerID); err != nil {
			return fmt.Errorf("unlink telegram chat from other customers: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE customers SET telegram_chat_id = $2 WHERE id = $1`, customerID, chat); err != nil {
			return fmt.Errorf("link telegram chat of customer %d: %w", customerID, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, consent_at, updated_at)
			VALUES ($1, 'telegram', $2, $2)
			ON CONFLICT (customer_id, channel) DO UPDATE SET consent_at = $2, opted_out_at = NULL,
				failed_at = NULL, failure = '', updated_at = $2`, customerID, at)
		if err != nil {
			return fmt.Errorf("record telegram consent of customer %d: %w", customerID, err)
		}
		return nil
	})
}

// GetByTelegramChat returns the customer whose linked Telegram chat is
// chatID, or store.ErrNotFound.
func GetByTelegramChat(ctx context.Context, q store.Querier, chatID int64) (*Customer, error) {
	c, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM customers WHERE telegram_chat_id = $1`, strconv.FormatInt(chatID, 10)))
	if err != nil {
		return nil, fmt.Errorf("customer by telegram chat %d: %w", chatID, err)
	}
	return c, nil
}
