package telegramin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-telegram/bot"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Handle takes one update in: a customer's message goes to r as an
// inbox.Inbound, a /start deep link links the chat to its customer. It
// returns nil when the update may be confirmed to Telegram: handled, or
// of a kind the inbox does not read (an edit, a group's message, a bot's).
// An error means it must be fetched again.
func (b *Bot) Handle(ctx context.Context, r inbox.Receiver, u Update) error {
	m := u.Message
	if m == nil || m.Chat.Type != "private" || m.From == nil || m.From.IsBot {
		return nil
	}
	chatID := m.Chat.ID
	clientLang, _ := i18n.Parse(m.From.LanguageCode)
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	in := inbox.Inbound{
		Channel:   inbox.ChannelTelegram,
		From:      strconv.FormatInt(chatID, 10),
		FromName:  senderName(m.From),
		MessageID: strconv.FormatInt(chatID, 10) + ":" + strconv.FormatInt(m.MessageID, 10),
		Language:  string(clientLang),
	}
	if m.Date > 0 {
		in.SentAt = time.Unix(m.Date, 0).UTC()
	}
	if token, rest, ok := command(text); ok {
		if token != "" {
			if err := b.link(ctx, chatID, token, clientLang); err != nil {
				return err
			}
		} else if rest == "" {
			// A bare /start (the bot opened from its name, not a link):
			// a greeting, nothing for the inbox.
			if err := b.reply(ctx, chatID, pickLang(clientLang, b.opts.Language), "telegramin.welcome"); err != nil {
				return err
			}
		}
		if rest == "" && len(attachmentsOf(m, b.opts.MaxFileBytes)) == 0 {
			return nil
		}
		in.StartToken, text = token, rest
	}
	in.Text, in.Visible = text, text
	if c, err := customer.GetByTelegramChat(ctx, b.opts.DB.Read(), chatID); err == nil {
		in.CustomerID = c.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	files, err := b.download(ctx, m)
	if err != nil {
		return err
	}
	in.Attachments = files
	if in.Text == "" && len(in.Attachments) == 0 {
		// A sticker, a location, a file over the cap alone: nothing an
		// operator could read.
		b.opts.Log.Info("telegram message without text or readable file skipped", "message", in.MessageID)
		return nil
	}
	if err := r.Receive(ctx, in); err != nil {
		return fmt.Errorf("receive telegram message %s: %w", in.MessageID, err)
	}
	return nil
}

// link links the chat to the customer of the order whose tracking token
// the deep link carried, and says so in the customer's language; an
// unknown token gets a reply saying the link did not work.
func (b *Bot) link(ctx context.Context, chatID int64, token string, clientLang i18n.Lang) error {
	o, err := order.GetByTrackingToken(ctx, b.opts.DB.Read(), token)
	if errors.Is(err, order.ErrNoSuchToken) || err == nil && o.Customer == nil {
		b.opts.Log.Info("telegram /start with an unknown token", "chat", chatID)
		return b.reply(ctx, chatID, pickLang(clientLang, b.opts.Language), "telegramin.link_unknown")
	}
	if err != nil {
		return err
	}
	if err := customer.LinkTelegram(ctx, b.opts.DB, o.Customer.ID, chatID, b.opts.Clock.Now()); err != nil {
		return err
	}
	b.opts.Log.Info("telegram chat linked", "customer", o.Customer.ID, "order", o.ID)
	lang := i18n.Pick(o.Customer.Language, pickLang(clientLang, b.opts.Language))
	return b.reply(ctx, chatID, lang, "telegramin.linked")
}

// reply sends one of the bot's own texts to the chat. A chat that cannot
// be written to (the customer blocked the bot a moment later) is not a
// reason to fetch the update again.
func (b *Bot) reply(ctx context.Context, chatID int64, lang i18n.Lang, id string) error {
	text := i18n.Text(lang, id, map[string]any{"Shop": b.opts.Shop})
	_, err := b.api.SendMessage(ctx, &bot.SendMessageParams{ChatID: chatID, Text: text})
	if errors.Is(err, bot.ErrorForbidden) || errors.Is(err, bot.ErrorBadRequest) {
		b.opts.Log.Warn("telegram reply refused", "chat", chatID, "err", b.redact(err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("telegram reply to chat %d: %w", chatID, b.redact(err))
	}
	return nil
}

// pickLang returns l when known, else fallback.
func pickLang(l, fallback i18n.Lang) i18n.Lang {
	if l != "" {
		return l
	}
	return fallback
}

// permanent reports whether a receiver's error is about the message
// itself (a validation error), so that fetching it again cannot help:
// such an update is confirmed and logged rather than retried forever.
func permanent(err error) bool {
	_, ok := invalid.First(err)
	return ok || errors.Is(err, ErrUpdate)
}
