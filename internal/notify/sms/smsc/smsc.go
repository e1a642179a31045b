// Package smsc is the SMS channel over SMSC.ru's HTTP API: one POST to
// /sys/send.php per message, in UTF-8, with the answer in JSON (fmt=3), and
// every error code sorted into throttled, permanent or temporary for the
// caller. The same API is served by smsc.ua, smsc.kz and smscentre.com; set
// Config.BaseURL to use one of them.
//
// SMSC's documentation:
//   - HTTP API: https://smsc.ru/api/http/
//   - Sending an SMS (English): https://smscentre.com/api/http/send/sms/
//   - Answers and error codes: https://smscentre.com/api/http/send/sms/sms_answer/
package smsc

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/notify/sms"
)

// DefaultBaseURL is SMSC.ru, used when Config.BaseURL is empty.
const DefaultBaseURL = "https://smsc.ru"

// DefaultTimeout bounds one request, connection to last byte, when
// Config.HTTPClient is nil. A caller's context may end it sooner.
const DefaultTimeout = 15 * time.Second

// MaxTextLength is the longest message SMSC accepts, in characters; it splits
// longer ones into several SMS itself.
const MaxTextLength = 1000

// DuplicateRetryAfter is how long a ThrottledError for error 9 asks the
// caller to wait: SMSC refuses a second identical send within a minute.
const DuplicateRetryAfter = time.Minute

// Config configures the SMSC SMS channel.
type Config struct {
	// Login is the SMSC account's login.
	Login string
	// Password is the account's password (psw), sent in the POST body,
	// never in the URL.
	Password string
	// Sender is the sender name (Sender ID) registered with SMSC; empty
	// means the account's default.
	Sender string
	// BaseURL replaces DefaultBaseURL: https://smsc.ua, https://smsc.kz,
	// https://smscentre.com, or a local server in tests.
	BaseURL string
	// HTTPClient sends the requests; nil means a client with DefaultTimeout.
	HTTPClient *http.Client
}

// Client sends SMS through SMSC. It is safe for concurrent use.
type Client struct {
	endpoint string // {BaseURL}/sys/send.php
	login    string
	password string
	sender   string
	http     *http.Client
}

var _ notify.Sender = (*Client)(nil)

// New checks cfg and returns a Client. It does not contact SMSC.
func New(cfg Config) (*Client, error) {
	var errs invalid.List
	if cfg.Login == "" {
		errs.Add("channels.sms.login", "required", "must be set to send SMS through SMSC")
	}
	if cfg.Password == "" {
		errs.Add("channels.sms.password", "required", "must be set to send SMS through SMSC")
	}
	if strings.TrimSpace(cfg.Sender) != cfg.Sender {
		errs.Add("channels.sms.sender", "invalid", "must not start or end with spaces")
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		errs.Add("channels.sms.base_url", "invalid", "must look like %s", DefaultBaseURL)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{
		endpoint: strings.TrimRight(base, "/") + "/sys/send.php",
		login:    cfg.Login,
		password: cfg.Password,
		sender:   cfg.Sender,
		http:     hc,
	}, nil
}

// Channel returns "sms".
func (c *Client) Channel() string { return "sms" }

// Send posts m.Text to m.To (E.164, such as +37126123456; the "+" tells SMSC
// not to "correct" the number). An empty To or Text, or a text over
// MaxTextLength, wraps notify.ErrInvalidMessage; a To that is not E.164 is a
// notify.PermanentError, and neither reaches SMSC.
//
// SMSC's answer is sorted as follows: error 9 (too many or duplicate
// requests) or HTTP 429 gives a notify.ThrottledError; errors 7 (wrong
// number format) and 8 (cannot be delivered to the number) give a
// notify.PermanentError; every other error (1 parameters, 2 login refused,
// 3 no money, 4 IP blocked, 5 date format, 6 message denied), a 5xx or a
// network failure is a plain error, wrapping *Error where SMSC answered.
//
// Error 9 also answers a request identical to one sent within the last
// minute, which may mean an earlier attempt that timed out here did reach
// SMSC: the caller that retries after it may send the text twice.
func (c *Client) Send(ctx context.Context, m notify.Message) error {
	if err := sms.Check(m, MaxTextLength); err != nil {
		return fmt.Errorf("send sms %s: %w", m.ID, err)
	}
	form := url.Values{}
	form.Set("login", c.login)
	form.Set("psw", c.password)
	form.Set("phones", m.To)
	form.Set("mes", m.Text)
	if c.sender != "" {
		form.Set("sender", c.sender)
	}
	form.Set("charset", "utf-8") // the default is windows-1251
	form.Set("fmt", "3")         // JSON answer
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("send sms %s: %w", m.ID, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	resp, err := c.http.Do(req)
	if err != nil {
		// The URL carries no secrets: login and password are in the body.
		return fmt.Errorf("send sms %s: smsc: %w", m.ID, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("send sms %s: smsc: read answer: %w", m.ID, err)
	}
	if err := classify(resp, body); err != nil {
		return fmt.Errorf("send sms %s: %w", m.ID, err)
	}
	return nil
}

// SMSC's error codes for a send (fmt=3 "error_code").
const (
	CodeParameters    = 1 // error in the parameters
	CodeLogin         = 2 // wrong login or password, or an IP not on the account's list
	CodeNoMoney       = 3 // not enough money on the account
	CodeIPBlocked     = 4 // IP temporarily blocked after frequent errors
	CodeDateFormat    = 5 // wrong date format
	CodeDenied        = 6 // message denied (by its text or sender name)
	CodePhoneFormat   = 7 // wrong phone number format
	CodeUndeliverable = 8 // the message cannot be delivered to this number
	CodeTooMany       = 9 // duplicate request within a minute, or too many at once
)

// Error is an error answer from SMSC: an error code in the JSON answer, or
// an HTTP status other than 200.
type Error struct {
	HTTPStatus int    // the HTTP status of the answer
	Code       int    // SMSC's error_code, such as CodePhoneFormat; 0 when there was none
	Message    string // SMSC's error text, or what was wrong with the answer
}

// Error returns "smsc: error 7: invalid number" or "smsc: HTTP 502: …".
func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smsc: error %d: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("smsc: HTTP %d: %s", e.HTTPStatus, e.Message)
}

// classify turns SMSC's answer into nil (the message was accepted) or an
// error of the right kind.
func classify(resp *http.Response, body []byte) error {
	if resp.StatusCode != http.StatusOK {
		e := &Error{HTTPStatus: resp.StatusCode, Message: sms.Snippet(body)}
		if resp.StatusCode == http.StatusTooManyRequests {
			return &notify.ThrottledError{RetryAfter: sms.RetryAfter(resp.Header), Err: e}
		}
		return e
	}
	// {"id": 6412, "cnt": 1} on success; {"error": "…", "error_code": N}
	// (with "id" for errors 3, 6, 7 and 8) on failure.
	var answer struct {
		ID        *json.Number `json:"id"`
		Count     int          `json:"cnt"`
		Error     string       `json:"error"`
		ErrorCode int          `json:"error_code"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return &Error{HTTPStatus: resp.StatusCode, Message: "answer is not JSON: " + sms.Snippet(body)}
	}
	switch {
	case answer.ErrorCode != 0 || answer.Error != "":
		e := &Error{HTTPStatus: resp.StatusCode, Code: answer.ErrorCode, Message: answer.Error}
		if e.Message == "" {
			e.Message = "no description"
		}
		switch e.Code {
		case CodeTooMany:
			return &notify.ThrottledError{RetryAfter: DuplicateRetryAfter, Err: e}
		case CodePhoneFormat, CodeUndeliverable:
			return &notify.PermanentError{Err: e}
		}
		return e
	case answer.ID == nil || answer.Count < 1:
		return &Error{HTTPStatus: resp.StatusCode, Message: "answer has neither an id and count nor an error: " + sms.Snippet(body)}
	}
	return nil
}
