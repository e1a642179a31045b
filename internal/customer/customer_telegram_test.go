package customer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestLinkTelegram: a chat linked to a customer is their Telegram address
// with consent, clearing an earlier opt-out; linked to another customer
// later (a shared phone handed on), it moves.
func TestLinkTelegram(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			ctx := context.Background()
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			var ids []int64
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				ids, err = customer.Resolve(ctx, tx, []customer.Input{
					{ExternalID: "c-1", Name: "Андрей", Email: "andrei@example.com", Language: "ru", Country: "RU", Timezone: "Europe/Moscow"},
					{ExternalID: "c-2", Name: "Līga", Email: "liga@example.lv", Language: "lv", Country: "LV", Timezone: "Europe/Riga"},
				}, now)
				if err != nil {
					return err
				}
				return message.SetStanding(ctx, tx, ids[0], message.Telegram, false, now) // opted out earlier
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := customer.LinkTelegram(ctx, db, ids[0], 555000111, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			c, err := message.LoadContact(ctx, db.Read(), ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if addr, why := c.Address(message.Telegram); addr != "555000111" {
				t.Errorf("address %q (%s)", addr, why)
			}
			if got, err := customer.GetByTelegramChat(ctx, db.Read(), 555000111); err != nil || got.ID != ids[0] {
				t.Errorf("by chat: %+v, %v", got, err)
			}

			if err := customer.LinkTelegram(ctx, db, ids[1], 555000111, now.Add(2*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if got, err := customer.GetByTelegramChat(ctx, db.Read(), 555000111); err != nil || got.ID != ids[1] {
				t.Errorf("after the move: %+v, %v", got, err)
			}
			if c, _ := message.LoadContact(ctx, db.Read(), ids[0]); c.TelegramChatID != "" {
				t.Errorf("the first customer kept the chat %q", c.TelegramChatID)
			}
			if err := customer.LinkTelegram(ctx, db, 999999, 42, now); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("an unknown customer: %v", err)
			}
		})
	}
}
