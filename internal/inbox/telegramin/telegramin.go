// Package telegramin is the Telegram half of the support inbox: the shop's
// bot takes customers' messages (by long polling getUpdates, or by a
// webhook Telegram calls) and hands each to the conversations' service as
// an inbox.Inbound. It also links a chat to a customer when they follow
// the /start deep link of their tracking page
// (https://t.me/<bot>?start=<tracking token>), which is how shopcare
// learns a customer's chat id without the shop supplying it.
//
// Nothing is lost to a crash: an update is confirmed to Telegram (the
// getUpdates offset moved past it, or the webhook answered 200) only after
// the receiver took it, and the receiver stores each (channel, message id)
// once, so an update fetched twice is one message.
package telegramin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// DefaultServerURL is the Bot API server when Options.ServerURL is empty.
const DefaultServerURL = "https://api.telegram.org"

// HookPath is where Telegram delivers updates in webhook mode.
const HookPath = "/hooks/telegram"

// SecretHeader carries the webhook's secret token in every delivery.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// DefaultMaxFileBytes caps one attachment: a phone's photo or a PDF
// invoice is well under it, and the Bot API's getFile serves at most
// 20 MB anyway.
const DefaultMaxFileBytes = 10 << 20

// DefaultPollTimeout is how long one getUpdates waits for news.
const DefaultPollTimeout = 50 * time.Second

// requestTimeout bounds every other Bot API request.
const requestTimeout = 30 * time.Second

// Options configure a Bot.
type Options struct {
	// Token is the bot token from @BotFather.
	Token string
	// ServerURL replaces https://api.telegram.org (a local Bot API
	// server, a test server).
	ServerURL string
	// WebhookSecret, when set, switches to webhook mode: setWebhook is
	// called at Start with PublicURL + HookPath, and ServeHTTP checks the
	// secret on each delivery.
	WebhookSecret string
	// PublicURL is where Telegram reaches this shopcare (shop.public_url).
	PublicURL string
	// DB holds the orders and customers a /start link is checked against.
	DB *store.DB
	// Clock stamps the consent a /start link records.
	Clock clock.Clock
	Log   *slog.Logger
	// Shop is the shop's name, and Language its first language, for the
	// bot's replies.
	Shop     string
	Language i18n.Lang
	// HTTPClient makes the requests; nil means a new client.
	HTTPClient *http.Client
	// MaxFileBytes caps one attachment; 0 means DefaultMaxFileBytes.
	MaxFileBytes int64
	// PollTimeout is getUpdates' long-poll timeout; 0 means
	// DefaultPollTimeout.
	PollTimeout time.Duration
	// Sleep waits between tries after a failure; nil waits on a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Bot receives one shop bot's messages. It is safe for concurrent use.
type Bot struct {
	opts   Options
	api    *bot.Bot
	base   string // ServerURL without a trailing slash
	client *http.Client

	mu       sync.Mutex
	receiver inbox.Receiver
	username string // from getMe, once known
	cancel   context.CancelFunc
	done     chan struct{}
}

var tokenPattern = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)

// FromSettings returns the shop's receiving bot, or nil when receiving is
// off (channels.telegram.receive and webhook_secret unset).
func FromSettings(d service.Deps) (*Bot, error) {
	s, db, clk, log := d.Settings, d.DB, d.Clock, d.Log
	tg := s.Channels.Telegram
	if !tg.Receiving() {
		return nil, nil
	}
	lang := i18n.EN
	if len(s.Shop.Languages) > 0 {
		lang = i18n.Pick(s.Shop.Languages[0], i18n.EN)
	}
	return New(Options{Token: tg.BotToken, ServerURL: tg.APIURL, WebhookSecret: tg.WebhookSecret,
		PublicURL: s.Shop.PublicURL, DB: db, Clock: clk, Log: log, Shop: s.Shop.Name, Language: lang})
}

// New checks opts and returns a Bot. It does not call Telegram.
func New(opts Options) (*Bot, error) {
	if !tokenPattern.MatchString(opts.Token) {
		return nil, invalid.Field("channels.telegram.bot_token", "invalid", "must look like 123456:ABC-DEF1234ghIkl from @BotFather")
	}
	if opts.ServerURL == "" {
		opts.ServerURL = DefaultServerURL
	}
	u, err := url.Parse(opts.ServerURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, invalid.Field("channels.telegram.api_url", "invalid", "must look like https://api.telegram.org")
	}
	if opts.DB == nil {
		return nil, errors.New("telegram in: no database")
	}
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	opts.Log = opts.Log.With("component", "telegram-in")
	if opts.Language == "" {
		opts.Language = i18n.EN
	}
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = DefaultMaxFileBytes
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = DefaultPollTimeout
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{}
	}
	base := strings.TrimSuffix(opts.ServerURL, "/")
	api, err := bot.New(opts.Token,
		bot.WithServerURL(base),
		bot.WithSkipGetMe(),
		bot.WithHTTPClient(requestTimeout, timeoutDoer{client: client}),
		bot.WithErrorsHandler(func(error) {}),
	)
	if err != nil {
		return nil, invalid.Field("channels.telegram.bot_token", "invalid", "%v", err)
	}
	return &Bot{opts: opts, api: api, base: base, client: client}, nil
}

// timeoutDoer bounds each of the library's requests by requestTimeout.
type timeoutDoer struct{ client *http.Client }

// Do sends req within requestTimeout.
func (d timeoutDoer) Do(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), requestTimeout)
	resp, err := d.client.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// Webhook reports whether the bot receives by webhook rather than by
// polling.
func (b *Bot) Webhook() bool { return b.opts.WebhookSecret != "" }

// Start begins receiving into r: it polls getUpdates, or in webhook mode
// registers the webhook (retrying until Telegram takes it) and lets
// ServeHTTP take the deliveries. Telegram's answers never stop the start:
// a failure is logged and tried again.
func (b *Bot) Start(ctx context.Context, r inbox.Receiver) error {
	if r == nil {
		return errors.New("telegram in: no receiver")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cancel != nil {
		return errors.New("telegram in: started already")
	}
	b.receiver = r
	run, cancel := context.WithCancel(context.WithoutCancel(ctx))
	b.cancel, b.done = cancel, make(chan struct{})
	go func() {
		defer close(b.done)
		if b.Webhook() {
			b.register(run)
			return
		}
		b.poll(run)
	}()
	return nil
}

// Stop ends polling (an update being handled is finished or, cut off,
// comes again at the next start) and waits for it.
func (b *Bot) Stop() {
	b.mu.Lock()
	cancel, done := b.cancel, b.done
	b.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	// Started again later (this node leads again), it polls again.
	b.mu.Lock()
	if b.done == done {
		b.cancel, b.done = nil, nil
	}
	b.mu.Unlock()
}

func (b *Bot) currentReceiver() inbox.Receiver {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.receiver
}

// Username returns the bot's @username without the @, asking getMe once
// and keeping the answer.
func (b *Bot) Username(ctx context.Context) (string, error) {
	b.mu.Lock()
	name := b.username
	b.mu.Unlock()
	if name != "" {
		return name, nil
	}
	me, err := b.api.GetMe(ctx)
	if err != nil {
		return "", fmt.Errorf("telegram getMe: %w", b.redact(err))
	}
	if me.Username == "" {
		return "", errors.New("telegram getMe: the bot has no username")
	}
	b.mu.Lock()
	b.username = me.Username
	b.mu.Unlock()
	return me.Username, nil
}

// DeepLink returns the link that opens a chat with the bot and links it
// to the customer of the order whose tracking token is token:
// https://t.me/<bot>?start=<token>. It is "" when the bot's name is not
// known (getMe failed; it is asked again next time).
func (b *Bot) DeepLink(ctx context.Context, token string) string {
	if token == "" || len(token) > maxStartToken || strings.IndexFunc(token, notTokenRune) >= 0 {
		return ""
	}
	name, err := b.Username(ctx)
	if err != nil {
		b.opts.Log.Warn("telegram deep link: bot name unknown", "err", err)
		return ""
	}
	return "https://t.me/" + url.PathEscape(name) + "?start=" + token
}

// redact takes the bot token out of an error's text: the library's and
// net/http's errors name the URL, which holds it.
func (b *Bot) redact(err error) error {
	if err == nil || !strings.Contains(err.Error(), b.opts.Token) {
		return err
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), b.opts.Token, "<token>"), err: err}
}

// redacted is an error whose text has the token taken out; Unwrap keeps
// errors.Is working.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// cancelBody ends a request's timeout once its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and releases the request's timer.
func (c *cancelBody) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
