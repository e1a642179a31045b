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
		if _, ok := MarketingEntry(c); !ok && !config.ValidChannel(c) {
			errs.Add(fmt.Sprintf("%sconsent[%d]", prefix, i), "invalid",
				"%q is not a channel (email, telegram, sms) or a marketing consent (marketing_email, marketing_sms, marketing_telegram)", c)
		}
	}
	in.ConsentSource = strings.TrimSpace(in.ConsentSource)
	errs.CheckText(prefix+"consent_source", in.ConsentSource)
	for i, c := range in.Channels {
		if !config.ValidChannel(c) {
			errs.Add(fmt.Sprintf("%schannels[%d]", prefix, i), "invalid", "%q is not a channel: email, telegram or sms", c)
		}
	}
	if b := strings.TrimSpace(in.Birthday); b != "" {
		day, ok := birthday(b)
		if !ok {
			errs.Add(prefix+"birthday", "invalid", "%q is not a birthday like 1990-05-17 or 05-17", b)
		}
		in.Birthday = day
	}
	in.TelegramChatID = strings.TrimSpace(in.TelegramChatID)
	if id := in.TelegramChatID; id != "" {
		if _, err := fmt.Sscanf(id, "%d", new(int64)); err != nil || strings.ContainsAny(id, " +") || len(id) > 20 {
			errs.Add(prefix+"telegram_chat_id", "invalid", "%q is not a Telegram chat id (a number)", id)
		}
	}
}

// birthday reads YYYY-MM-DD or MM-DD and returns MM-DD.
func birthday(s string) (string, bool) {
	layout := "2006-01-02"
	if len(s) == 5 {
		s, layout = "2000-"+s, "2006-01-02" // a leap year: 02-29 is a birthday
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1900 {
		return "", false
	}
	return t.Format("01-02"), true
}

// saveChannels records what the inputs say about reaching their customers:
// a linked Telegram chat, a channel order, consents. A consent never
// overrides an opt-out the customer made (an unsubscribe link followed):
// only the customer can take that back.
func saveChannels(ctx context.Context, tx *store.Tx, inputs []Input, ids []int64, now time.Time) error {
	for i, in := range inputs {
		if in.TelegramChatID == "" && len(in.Channels) == 0 && len(in.Consent) == 0 && in.Birthday == "" {
			continue
		}
		_, err := tx.Exec(ctx, `UPDATE customers SET telegram_chat_id = COALESCE($2, telegram_chat_id),
			channel_order = CASE WHEN $3 = '' THEN channel_order ELSE $3 END, birthday = COALESCE($4, birthday) WHERE id = $1`,
			ids[i], store.NullText(in.TelegramChatID), strings.Join(in.Channels, ","), store.NullText(in.Birthday))
		if err != nil {
			return fmt.Errorf("save channels of customer %d: %w", ids[i], err)
		}
		for _, entry := range in.Consent {
			if ch, ok := MarketingEntry(entry); ok {
				if err := grantFromOrder(ctx, tx, ids[i], ch, in, now); err != nil {
					return err
				}
				continue
			}
			ch := entry
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
