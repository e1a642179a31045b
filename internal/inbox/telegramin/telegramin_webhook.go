package telegramin

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-telegram/bot"
)

// hookURL is the address Telegram delivers to.
func (b *Bot) hookURL() string {
	return strings.TrimSuffix(b.opts.PublicURL, "/") + HookPath
}

// register calls setWebhook with the hook's address and secret until
// Telegram takes it or ctx ends. Only messages are asked for.
func (b *Bot) register(ctx context.Context) {
	for failures := 0; ctx.Err() == nil; failures++ {
		_, err := b.api.SetWebhook(ctx, &bot.SetWebhookParams{URL: b.hookURL(), SecretToken: b.opts.WebhookSecret,
			AllowedUpdates: []string{"message"}})
		if err == nil {
			b.opts.Log.Info("telegram webhook set", "url", b.hookURL())
			return
		}
		wait := backoff(failures)
		b.opts.Log.Error("telegram setWebhook", "err", b.redact(err), "retry_in", wait)
		if b.opts.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// clearOwnWebhook deletes the bot's webhook when it points at this
// shopcare (left from webhook mode before the settings changed), so that
// polling can begin; a webhook of other software is reported, not
// touched.
func (b *Bot) clearOwnWebhook(ctx context.Context) {
	info, err := b.api.GetWebhookInfo(ctx)
	if err != nil {
		b.opts.Log.Warn("telegram getWebhookInfo", "err", b.redact(err))
		return
	}
	if info.URL != b.hookURL() {
		b.opts.Log.Error("the bot's updates go to a webhook of other software: shopcare cannot poll them; "+
			"remove that webhook, or use another bot", "webhook", info.URL)
		return
	}
	if _, err := b.api.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil {
		b.opts.Log.Warn("telegram deleteWebhook", "err", b.redact(err))
		return
	}
	b.opts.Log.Info("telegram webhook of an earlier webhook mode deleted: polling")
}

// ServeHTTP takes a webhook delivery (POST /hooks/telegram). The secret
// header is compared in constant time before the body is read: a wrong
// or missing one is 401. The answer is 200 once the update was handled
// (or is of no interest, or cannot be read: Telegram would only send the
// same bytes again), and 500 when the receiver failed, so that Telegram
// delivers the update again.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !b.Webhook() {
		http.NotFound(w, r)
		return
	}
	got := r.Header.Get(SecretHeader)
	if subtle.ConstantTimeCompare([]byte(got), []byte(b.opts.WebhookSecret)) != 1 {
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	recv := b.currentReceiver()
	if recv == nil {
		// Not started yet (or stopped): Telegram tries again later.
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdate))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	u, err := ParseUpdate(data)
	if err == nil {
		err = b.Handle(r.Context(), recv, u)
	}
	switch {
	case err == nil:
		w.WriteHeader(http.StatusOK)
	case permanent(err):
		b.opts.Log.Error("telegram update skipped", "update", u.ID, "err", err)
		w.WriteHeader(http.StatusOK)
	default:
		b.opts.Log.Error("telegram update", "update", u.ID, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}
