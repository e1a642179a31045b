// Package twilio is the SMS channel over Twilio Programmable Messaging: one
// POST to the Messages resource per message, authenticated with the account
// SID and auth token, and every error answer sorted into throttled,
// permanent or temporary for the caller.
//
// Twilio's documentation:
//   - Message resource: https://www.twilio.com/docs/messaging/api/message-resource
//   - Error codes: https://www.twilio.com/docs/api/errors
package twilio

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

// DefaultBaseURL is Twilio's REST API, used when Config.BaseURL is empty.
const DefaultBaseURL = "https://api.twilio.com"

// DefaultTimeout bounds one request, connection to last byte, when
// Config.HTTPClient is nil. A caller's context may end it sooner.
const DefaultTimeout = 15 * time.Second

// MaxBodyLength is the longest message text Twilio accepts, in characters
// (longer bodies are refused with error 21617).
const MaxBodyLength = 1600

// Config configures the Twilio SMS channel.
type Config struct {
	// AccountSID is the account the messages are sent and billed from
	// ("AC" and 32 hex digits); it is also the Basic auth user name.
	AccountSID string
	// AuthToken is the account's auth token, the Basic auth password.
	AuthToken string
	// From is the sender: a Twilio phone number in E.164, a short code or an
	// alphanumeric sender ID. Set From or MessagingServiceSID, not both.
	From string
	// MessagingServiceSID ("MG" and 32 hex digits) lets a Messaging Service
	// pick the sender from its pool instead of From.
	MessagingServiceSID string
	// BaseURL replaces DefaultBaseURL; tests point it at a local server.
	BaseURL string
	// HTTPClient sends the requests; nil means a client with DefaultTimeout.
	HTTPClient *http.Client
}

// Client sends SMS through Twilio. It is safe for concurrent use.
type Client struct {
	endpoint string // …/2010-04-01/Accounts/{sid}/Messages.json
	sid      string
	token    string
	from     string
	service  string
	http     *http.Client
}

var _ notify.Sender = (*Client)(nil)

// New checks cfg and returns a Client. It does not contact Twilio.
func New(cfg Config) (*Client, error) {
	var errs invalid.List
	switch {
	case cfg.AccountSID == "":
		errs.Add("channels.sms.account_sid", "required", "must be set to send SMS through Twilio")
	case !validSID(cfg.AccountSID, "AC"):
		errs.Add("channels.sms.account_sid", "invalid", "must be \"AC\" followed by 32 hex digits")
	}
	if cfg.AuthToken == "" {
		errs.Add("channels.sms.auth_token", "required", "must be set to send SMS through Twilio")
	}
	switch {
	case cfg.From == "" && cfg.MessagingServiceSID == "":
		errs.Add("channels.sms.from", "required", "set from (a Twilio number or sender ID) or messaging_service_sid")
	case cfg.From != "" && cfg.MessagingServiceSID != "":
		errs.Add("channels.sms.from", "conflict", "set from or messaging_service_sid, not both")
	case strings.TrimSpace(cfg.From) != cfg.From:
		errs.Add("channels.sms.from", "invalid", "must not start or end with spaces")
	case cfg.MessagingServiceSID != "" && !validSID(cfg.MessagingServiceSID, "MG"):
		errs.Add("channels.sms.messaging_service_sid", "invalid", "must be \"MG\" followed by 32 hex digits")
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
		endpoint: strings.TrimRight(base, "/") + "/2010-04-01/Accounts/" + cfg.AccountSID + "/Messages.json",
		sid:      cfg.AccountSID,
		token:    cfg.AuthToken,
		from:     cfg.From,
		service:  cfg.MessagingServiceSID,
		http:     hc,
	}, nil
}

// validSID reports whether s is prefix followed by 32 hex digits, the shape
// of every Twilio SID. Checking it keeps the account SID, which becomes part
// of the URL path, from ever changing the path.
func validSID(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 32 {
		return false
	}
	for _, r := range rest {
		if !isHex(r) {
			return false
		}
	}
	return true
}

func isHex(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

// Channel returns "sms".
func (c *Client) Channel() string { return "sms" }

// Send posts m.Text to m.To (E.164, such as +37126123456). An empty To or
// Text, or a text over MaxBodyLength, wraps notify.ErrInvalidMessage; a To
// that is not E.164 is a notify.PermanentError, and neither reaches Twilio.
// Twilio's answer is sorted as follows: HTTP 429 or error 20429 gives a
// notify.ThrottledError; errors 21211 (invalid To), 21408 (destination
// region not enabled), 21610 (recipient replied STOP) and 21614 (not a
// mobile number) give a notify.PermanentError; anything else, refused
// credentials (401, 403) and 5xx included, is a plain error wrapping *Error,
// to be retried with backoff.
func (c *Client) Send(ctx context.Context, m notify.Message) error {
	if err := sms.Check(m, MaxBodyLength); err != nil {
		return fmt.Errorf("send sms %s: %w", m.ID, err)
	}
	form := url.Values{}
	form.Set("To", m.To)
	form.Set("Body", m.Text)
	if c.service != "" {
		form.Set("MessagingServiceSid", c.service)
	} else {
		form.Set("From", c.from)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("send sms %s: %w", m.ID, err)
	}
	req.SetBasicAuth(c.sid, c.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")

	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("send sms %s: twilio: %w", m.ID, err)
	}
	defer resp.Body.Close()
	// An answer is a few kilobytes; more is not Twilio speaking.
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("send sms %s: twilio: read answer: %w", m.ID, err)
	}
	if err := classify(resp, body); err != nil {
		return fmt.Errorf("send sms %s: %w", m.ID, err)
	}
	return nil
}

// Error is an error answer from Twilio's REST API.
type Error struct {
	HTTPStatus int    // the HTTP status of the answer
	Code       int    // Twilio's error code, such as 21211; 0 when the body had none
	Message    string // Twilio's message, or what was wrong with the answer
	MoreInfo   string // link to the error's page, when given
}

// Error returns "twilio: HTTP 400, error 21211: message".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "twilio: HTTP %d", e.HTTPStatus)
	if e.Code != 0 {
		fmt.Fprintf(&b, ", error %d", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// permanentCodes are the errors about the recipient's number: sending the
// same message to it again cannot succeed.
var permanentCodes = map[int]bool{
	21211: true, // invalid 'To' phone number
	21408: true, // permission to send to the destination region not enabled
	21610: true, // recipient replied STOP (unsubscribed)
	21614: true, // 'To' is not a mobile number
}

// codeTooManyRequests is Twilio's error code for HTTP 429.
const codeTooManyRequests = 20429

// classify turns Twilio's answer into nil (the message was created) or an
// error of the right kind.
func classify(resp *http.Response, body []byte) error {
	if resp.StatusCode == http.StatusCreated {
		var msg struct {
			SID    string `json:"sid"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(body, &msg); err != nil || msg.SID == "" || msg.Status == "" {
			// Twilio answers 201 with the new Message; anything else (a
			// proxy's page, a truncated body) cannot confirm the message
			// was created.
			return &Error{HTTPStatus: resp.StatusCode, Message: "answer is not a message resource: " + sms.Snippet(body)}
		}
		return nil
	}

	e := &Error{HTTPStatus: resp.StatusCode}
	var answer struct {
		Code     int    `json:"code"`
		Message  string `json:"message"`
		MoreInfo string `json:"more_info"`
	}
	if err := json.Unmarshal(body, &answer); err == nil && (answer.Code != 0 || answer.Message != "") {
		e.Code, e.Message, e.MoreInfo = answer.Code, answer.Message, answer.MoreInfo
	} else {
		e.Message = sms.Snippet(body)
	}
	return kind(e, resp.Header)
}

// kind wraps e as throttled or permanent where its status or code says so.
func kind(e *Error, h http.Header) error {
	switch {
	case e.HTTPStatus == http.StatusTooManyRequests || e.Code == codeTooManyRequests:
		return &notify.ThrottledError{RetryAfter: sms.RetryAfter(h), Err: e}
	case permanentCodes[e.Code]:
		return &notify.PermanentError{Err: e}
	}
	return e
}
