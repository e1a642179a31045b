package telegramin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
)

// maxBackoff is the longest wait between tries after failures.
const maxBackoff = time.Minute

// poll long-polls getUpdates until ctx ends, waiting longer after each
// failure in a row.
func (b *Bot) poll(ctx context.Context) {
	var offset int64
	failures := 0
	for ctx.Err() == nil {
		next, err := b.PollOnce(ctx, b.currentReceiver(), offset)
		if next > offset {
			offset = next
		}
		if err == nil {
			failures = 0
			continue
		}
		if ctx.Err() != nil {
			return
		}
		wait := backoff(failures)
		var tooMany *apiError
		if errors.As(err, &tooMany) && tooMany.retryAfter > 0 {
			wait = time.Duration(tooMany.retryAfter) * time.Second
		}
		failures++
		b.opts.Log.Warn("telegram updates", "err", err, "retry_in", wait)
		if b.opts.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// backoff is 1 s, 2 s, 4 s … up to maxBackoff.
func backoff(failures int) time.Duration {
	if failures > 6 {
		return maxBackoff
	}
	return min(time.Second<<failures, maxBackoff)
}

// PollOnce asks getUpdates for the updates from offset on and hands each
// to r in order. It returns the offset to ask from next: past the last
// update taken, never past one that failed, so that Telegram sends the
// failed one again (an update is forgotten by Telegram only once a later
// getUpdates asks past it). An update the receiver refuses as invalid, or
// one that cannot be read, is logged and passed over, lest it block the
// bot for good.
func (b *Bot) PollOnce(ctx context.Context, r inbox.Receiver, offset int64) (int64, error) {
	raws, err := b.getUpdates(ctx, offset)
	if err != nil {
		return offset, err
	}
	for _, raw := range raws {
		u, perr := ParseUpdate(raw)
		if u.ID == 0 {
			// Without its id an update cannot be passed over on its own;
			// Telegram never sends one, so this is a broken server.
			return offset, perr
		}
		if u.ID < offset {
			continue // a server that repeats what was confirmed
		}
		err := perr
		if err == nil {
			err = b.Handle(ctx, r, u)
		}
		if err != nil && !permanent(err) {
			return offset, err
		}
		if err != nil {
			b.opts.Log.Error("telegram update skipped", "update", u.ID, "err", err)
		}
		offset = u.ID + 1
	}
	return offset, nil
}

// getUpdatesParams are getUpdates' parameters
// (https://core.telegram.org/bots/api#getupdates).
type getUpdatesParams struct {
	Offset         int64    `json:"offset,omitempty"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates"`
}

// apiAnswer is the Bot API's envelope around every answer.
type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// apiError is a Bot API error answer.
type apiError struct {
	code        int
	description string
	retryAfter  int // seconds
}

func (e *apiError) Error() string {
	return fmt.Sprintf("bot api answered %d: %s", e.code, e.description)
}

// maxUpdatesAnswer bounds one getUpdates answer: at most 100 updates of
// at most maxUpdate each.
const maxUpdatesAnswer = 100 * maxUpdate

// getUpdates calls getUpdates (the library keeps its own loop private,
// and moves the offset before its handlers run) and returns the updates
// as they came, each to be parsed on its own. A 409 (a webhook is set)
// is answered by deleting the webhook when it is shopcare's own, from an
// earlier webhook mode; someone else's is left alone and reported.
func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	body, err := json.Marshal(getUpdatesParams{Offset: offset, Timeout: int(b.opts.PollTimeout / time.Second),
		AllowedUpdates: []string{"message"}})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, b.opts.PollTimeout+requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/bot"+b.opts.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, b.redact(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w", b.redact(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxUpdatesAnswer))
	if err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w", b.redact(err))
	}
	var ans apiAnswer
	if err := json.Unmarshal(data, &ans); err != nil {
		retry, _ := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
		return nil, fmt.Errorf("telegram getUpdates: %w", &apiError{code: resp.StatusCode, description: resp.Status, retryAfter: retry})
	}
	if !ans.OK {
		e := &apiError{code: ans.ErrorCode, description: ans.Description, retryAfter: ans.Parameters.RetryAfter}
		if e.code == http.StatusConflict {
			b.clearOwnWebhook(ctx)
		}
		return nil, fmt.Errorf("telegram getUpdates: %w", e)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(ans.Result, &raws); err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w: result: %w", ErrUpdate, err)
	}
	return raws, nil
}
