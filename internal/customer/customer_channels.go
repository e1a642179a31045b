package customer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// normalizeChannels checks the channel fields of in: consents, the chosen
// channel order and the Telegram chat.
func normalizeChannels(in *Input, errs *invalid.List, prefix string) {
	for i, c := range in.Consent {
		if !config.ValidChannel(c) {
			errs.Add(fmt.Sprintf("%sconsent[%d]", prefix, i), "invalid", "%q is not a channel: email, telegram or sms", c)
		}
	}
	for i, c := range in.Channels {
		if !config.ValidChannel(c) {
			errs.Add(fmt.Sprintf("%schannels[%d]", prefix, i), "invalid", "%q is not a channel: email, telegram or sms", c)
		}
	}
	in.TelegramChatID = strings.TrimSpace(in.TelegramChatID)
	if id := in.TelegramChatID; id != "" {
		if _, err := fmt.Sscanf(id, "%d", new(int64)); err != nil || strings.ContainsAny(id, " +") || len(id) > 20 {
			errs.Add(prefix+"telegram_chat_id", "invalid", "%q is not a Telegram chat id (a number)", id)
		}
	}
}

// saveChannels records what the inputs say about reaching their customers:
// a linked Telegram chat, a channel order, consents. A consent never
// overrides an opt-out the customer made (an unsubscribe link followed):
// only the customer can take that back.
func saveChannels(ctx context.Context, tx *store.Tx, inputs []Input, ids []int64, now time.Time) error {
	for i, in := range inputs {
		if in.TelegramChatID == "" && len(in.Channels) == 0 && len(in.Consent) == 0 {
			continue
		}
		_, err := tx.Exec(ctx, `UPDATE customers SET telegram_chat_id = COALESCE($2, telegram_chat_id),
			channel_order = CASE WHEN $3 = '' THEN channel_order ELSE $3 END WHERE id = $1`,
			ids[i], store.NullText(in.TelegramChatID), strings.Join(in.Channels, ","))
		if err != nil {
			return fmt.Errorf("save channels of customer %d: %w", ids[i], err)
		}
		for _, ch := range in.Consent {
			_, err := tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, consent_at, updated_at)
				VALUES ($1, $2, $3, $3)
				ON CONFLICT (customer_id, channel) DO UPDATE SET consent_at = COALESCE(customer_channels.consent_at, $3), updated_at = $3
				WHERE customer_channels.opted_out_at IS NULL`, ids[i], ch, now)
			if err != nil {
				return fmt.Errorf("save %s consent of customer %d: %w", ch, ids[i], err)
			}
		}
	}
	return nil
}
