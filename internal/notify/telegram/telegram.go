// Package telegram is the Telegram channel: plain-text messages to a chat
// through the Bot API method sendMessage, paced under Telegram's limit of
// about 30 messages a second per bot.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
)

// DefaultServerURL is the Bot API server a Client talks to when
// Config.ServerURL is empty.
const DefaultServerURL = "https://api.telegram.org"

// DefaultPerSecond is how many messages a second a Client sends when
// Config.PerSecond is zero: Telegram asks bots to stay under about 30.
const DefaultPerSecond = 30

// DefaultTimeout bounds one Bot API request when Config.HTTPClient is nil.
const DefaultTimeout = 30 * time.Second

// MaxTextLength is the longest text sendMessage accepts, in characters.
const MaxTextLength = 4096

// Config configures the Telegram channel.
type Config struct {
	// Token is the bot token from @BotFather, "123456:ABC-DEF...".
	Token string
	// ServerURL is the Bot API server without the /bot<token> part; empty
	// means https://api.telegram.org. Set it for a self-hosted Bot API
	// server, or a test server.
	ServerURL string
	// HTTPClient makes the requests; nil means a client with DefaultTimeout.
	HTTPClient *http.Client
	// PerSecond is the most messages sent per second by this Client, over
	// all chats; 0 means DefaultPerSecond.
	PerSecond float64
}

// Client sends messages through one Telegram bot. It is safe for concurrent
// use.
type Client struct {
	bot     *bot.Bot
	limiter *rate.Limiter
}

var _ notify.Sender = (*Client)(nil)

// tokenPattern is the shape of a bot token: the bot's numeric id, a colon
// and a secret. Anything else would also end up in the request path.
var tokenPattern = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)

// New checks cfg and returns a Client. It does not call Telegram (no getMe):
// a wrong token shows on the first Send, as an error that is neither
// throttled nor permanent.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, invalid.Field("channels.telegram.bot_token", "required", "must be set to send Telegram messages")
	}
	if !tokenPattern.MatchString(cfg.Token) {
		// The token is a secret: the message does not repeat it.
		return nil, invalid.Field("channels.telegram.bot_token", "invalid", "must look like 123456:ABC-DEF1234ghIkl from @BotFather")
	}
	serverURL, err := parseServerURL(cfg.ServerURL)
	if err != nil {
		return nil, err
	}
	perSecond := cfg.PerSecond
	if perSecond < 0 || math.IsNaN(perSecond) || math.IsInf(perSecond, 0) {
		return nil, invalid.Field("channels.telegram.per_second", "invalid", "must be a positive number of messages a second")
	}
	if perSecond == 0 {
		perSecond = DefaultPerSecond
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	b, err := bot.New(cfg.Token,
		bot.WithServerURL(serverURL),
		bot.WithSkipGetMe(),
		// The poll timeout only matters for getUpdates, which a Client
		// never calls.
		bot.WithHTTPClient(DefaultTimeout, apiDoer{client: client}),
		// The library reports here only failures to close a pipe or a
		// response body after the answer is known; its default handler
		// writes them with the log package.
		bot.WithErrorsHandler(func(error) {}),
	)
	if err != nil {
		return nil, invalid.Field("channels.telegram.bot_token", "invalid", "%v", err)
	}
	return &Client{
		bot: b,
		// A burst of one spaces the messages evenly, 1/PerSecond apart,
		// instead of letting a backlog out all at once.
		limiter: rate.NewLimiter(rate.Limit(perSecond), 1),
	}, nil
}

// parseServerURL checks the Bot API server URL; the library appends
// "/bot<token>/<method>" to it.
func parseServerURL(s string) (string, error) {
	const key = "channels.telegram.server_url"
	if s == "" {
		return DefaultServerURL, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", invalid.Field(key, "invalid", "must look like https://api.telegram.org")
	}
	return strings.TrimSuffix(s, "/"), nil
}

// Channel returns "telegram".
func (c *Client) Channel() string { return "telegram" }

// Send sends m.Text to the chat whose numeric id is m.To, as plain text
// without a link preview. It waits for its turn under Config.PerSecond
// first, or until ctx is done.
//
// The text goes without a parse mode: Message.Text is plain text, and
// Telegram then shows it exactly as written, so a "<" or "*" in an order
// note can neither be misread as markup nor make Telegram refuse the
// message. Links are still recognised and clickable. Previews are off
// because a carrier's tracking page makes a card larger than the news.
//
// A 429 answer gives a notify.ThrottledError with Telegram's retry_after; a
// 403 (the user blocked the bot or deleted the account, the bot left the
// group) or a 400 about the chat (chat not found, group moved to a
// supergroup) a notify.PermanentError. A message that breaks the rules (no
// chat id, no text, too long) wraps notify.ErrInvalidMessage and is refused
// before any request, or after Telegram's 400 about the text. Anything else
// (401 for a revoked token, 5xx, a network failure, an unreadable answer) is
// returned as it is, to be retried.
func (c *Client) Send(ctx context.Context, m notify.Message) error {
	chatID, err := check(m)
	if err != nil {
		return fmt.Errorf("send telegram %s: %w", m.ID, err)
	}
	if err := c.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		} else {
			// The limiter refuses at once when the turn would come after
			// the deadline; say so in a way errors.Is understands.
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		return fmt.Errorf("send telegram %s: wait for rate limit: %w", m.ID, err)
	}
	_, err = c.bot.SendMessage(ctx, &bot.SendMessageParams{
		ChatID:             chatID,
		Text:               m.Text,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()},
		ReplyMarkup:        keyboard(m.Buttons),
	})
	if err != nil {
		return fmt.Errorf("send telegram %s: %w", m.ID, classify(err))
	}
	return nil
}

// check validates m and returns its chat id.
func check(m notify.Message) (int64, error) {
	if m.To == "" {
		return 0, fmt.Errorf("%w: to: required", notify.ErrInvalidMessage)
	}
	// Private chats have positive ids, groups negative ones and channels
	// -100 followed by more digits. Only the canonical form is taken, so
	// that one chat has one spelling ("+42" and "042" are refused).
	chatID, err := strconv.ParseInt(m.To, 10, 64)
	if err != nil || chatID == 0 || strconv.FormatInt(chatID, 10) != m.To {
		return 0, fmt.Errorf("%w: to %q: must be a numeric chat id", notify.ErrInvalidMessage, m.To)
	}
	if strings.TrimSpace(m.Text) == "" {
		return 0, fmt.Errorf("%w: text: required", notify.ErrInvalidMessage)
	}
	if n := utf8.RuneCountInString(m.Text); n > MaxTextLength {
		return 0, fmt.Errorf("%w: text: %d characters, Telegram takes at most %d", notify.ErrInvalidMessage, n, MaxTextLength)
	}
	return chatID, nil
}

// classify wraps a Bot API failure as notify.ThrottledError,
// notify.PermanentError or notify.ErrInvalidMessage where the answer says
// so, and returns other errors as they are (temporary).
func classify(err error) error {
	var tooMany *bot.TooManyRequestsError
	var migrated *bot.MigrateError
	var status *statusError
	switch {
	case errors.As(err, &tooMany):
		return &notify.ThrottledError{RetryAfter: retryAfter(tooMany.RetryAfter), Err: err}
	case errors.As(err, &status) && status.code == http.StatusTooManyRequests:
		return &notify.ThrottledError{RetryAfter: retryAfter(status.retryAfter), Err: err}
	case errors.As(err, &migrated):
		// The group became a supergroup with a new id; the old one is dead.
		return &notify.PermanentError{Err: fmt.Errorf("chat moved to %d: %w", migrated.MigrateToChatID, err)}
	case errors.Is(err, bot.ErrorForbidden):
		// Every 403 on sendMessage is about the bot's access to the chat:
		// blocked by the user, user deactivated, kicked from the group.
		return &notify.PermanentError{Err: err}
	case errors.Is(err, bot.ErrorBadRequest) && aboutText(err):
		return fmt.Errorf("%w: %w", notify.ErrInvalidMessage, err)
	case errors.Is(err, bot.ErrorBadRequest):
		// Chat not found, user not found, PEER_ID_INVALID, no rights to
		// write to the group: the same request cannot succeed later.
		return &notify.PermanentError{Err: err}
	}
	return err
}

// aboutText reports whether a 400 answer refuses the text rather than the
// chat. The Bot API tells them apart only in its description.
func aboutText(err error) bool {
	s := strings.ToLower(err.Error())
	for _, d := range []string{"message is too long", "message text is empty", "text must be non-empty", "can't parse entities"} {
		if strings.Contains(s, d) {
			return true
		}
	}
	return false
}

// retryAfter turns the seconds Telegram asked for into a duration, or
// notify.DefaultRetryAfter when it did not say.
func retryAfter(seconds int) time.Duration {
	if seconds <= 0 {
		return notify.DefaultRetryAfter
	}
	return time.Duration(seconds) * time.Second
}

// apiDoer makes the library's requests. The Bot API answers errors with
// JSON, which the library reads; an error answer that is not JSON comes
// from a proxy or load balancer in front of it (an HTML 502 page, a plain
// 429), which the library would report as undecodable with the whole page in
// the message. apiDoer turns those into a *statusError instead, so that a
// 429 still throttles.
type apiDoer struct {
	client *http.Client
}

// Do sends req and returns the answer, or a *statusError for a non-JSON
// error answer.
func (d apiDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" {
		return resp, nil
	}
	// Drain a little so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	seconds, _ := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
	return nil, &statusError{code: resp.StatusCode, status: resp.Status, retryAfter: seconds}
}

// statusError is an HTTP error answer without a Bot API body.
type statusError struct {
	code       int
	status     string
	retryAfter int // seconds, from Retry-After; 0 when absent
}

// Error returns the HTTP status.
func (e *statusError) Error() string {
	return "bot api server answered " + e.status
}

// keyboard is the inline keyboard of a message's link buttons (a
// survey's scores), or nil for none.
func keyboard(rows [][]notify.Button) models.ReplyMarkup {
	if len(rows) == 0 {
		return nil
	}
	k := &models.InlineKeyboardMarkup{}
	for _, row := range rows {
		var out []models.InlineKeyboardButton
		for _, b := range row {
			out = append(out, models.InlineKeyboardButton{Text: b.Text, URL: b.URL})
		}
		k.InlineKeyboard = append(k.InlineKeyboard, out)
	}
	return k
}
