package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
)

// maxBody caps how much of an answer is read: a page of 100 orders is a
// few hundred kilobytes.
const maxBody = 16 << 20

// maxAttempts bounds the waits for one call (429, 503) before it gives up.
const maxAttempts = 6

// ErrPlainHTTP refuses a shop address over plain http: WooCommerce then
// wants OAuth 1.0a signatures, and a consumer secret must not cross the
// network in the clear. Only a loopback address (a local test shop) may.
var ErrPlainHTTP = errors.New("woocommerce: the shop's address must be https (over plain http WooCommerce needs OAuth 1.0a)")

// ErrRateLimited reports a call still refused with 429 after maxAttempts
// waits.
var ErrRateLimited = errors.New("woocommerce: the shop kept answering 429")

// client speaks to one shop's REST API with its consumer key and secret:
// HTTP Basic over https, the query string for a loopback http test shop.
type client struct {
	opts  connector.Options
	clock clock.Clock
	site  string
	base  string
	http  *http.Client
}

// response is an answer's status, headers and body.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to path (under /wp-json/wc/v3) and decodes a 2xx
// answer into out. A refusal is an *connector.APIError with WooCommerce's
// code and message; 429 and 503 are waited out through Options.Wait,
// after Retry-After when the shop sends one.
func (c *client) do(ctx context.Context, method, path string, query url.Values, in, out any) (response, error) {
	u, err := url.Parse(c.base + path)
	if err != nil {
		return response{}, fmt.Errorf("woocommerce: the shop's address: %w", err)
	}
	q := u.Query()
	for k, v := range query {
		q[k] = v
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
		q.Set("consumer_key", c.opts.APIKey)
		q.Set("consumer_secret", c.opts.APISecret)
	default:
		return response{}, ErrPlainHTTP
	}
	u.RawQuery = q.Encode()
	var body []byte
	if in != nil {
		if body, err = json.Marshal(in); err != nil {
			return response{}, fmt.Errorf("woocommerce: encode the request: %w", err)
		}
	}
	for attempt := 1; ; attempt++ {
		r, err := c.once(ctx, method, u, body)
		if err != nil {
			return r, err
		}
		if r.status == http.StatusTooManyRequests || r.status == http.StatusServiceUnavailable {
			if attempt >= maxAttempts {
				return r, fmt.Errorf("%w: %w", ErrRateLimited, apiError(r))
			}
			if err := c.opts.Wait(ctx, retryAfter(r.header.Get("Retry-After"), c.clock.Now())); err != nil {
				return r, err
			}
			continue
		}
		if r.status < 200 || r.status > 299 {
			return r, apiError(r)
		}
		if out != nil {
			if err := json.Unmarshal(r.body, out); err != nil {
				return r, fmt.Errorf("woocommerce: %s %s: the answer is not the JSON WooCommerce sends: %w", method, path, err)
			}
		}
		return r, nil
	}
}

func (c *client) once(ctx context.Context, method string, u *url.URL, body []byte) (response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return response{}, fmt.Errorf("woocommerce: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if u.Scheme == "https" {
		req.SetBasicAuth(c.opts.APIKey, c.opts.APISecret)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("woocommerce: %s %s: %w", method, u.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return response{}, fmt.Errorf("woocommerce: read the answer of %s: %w", u.Path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// apiError is a refusal with WooCommerce's {"code","message"}, or the
// start of the body when it is not that.
func apiError(r response) error {
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	body := strings.TrimSpace(string(r.body))
	if json.Unmarshal(r.body, &e) == nil && e.Code != "" {
		body = e.Code + ": " + e.Message
	} else if len(body) > 300 {
		body = body[:300] + "…"
	}
	return &connector.APIError{Status: r.status, Body: body}
}

// loopback tells whether host is this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; a
// second when it is missing or unreadable, at most a minute.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	d := time.Second
	if s, err := strconv.ParseFloat(h, 64); err == nil && s > 0 && !math.IsInf(s, 0) {
		d = time.Duration(math.Ceil(min(s, 60)*1000)) * time.Millisecond
	} else if t, err := http.ParseTime(h); err == nil && t.After(now) {
		d = t.Sub(now)
	}
	return min(d, time.Minute)
}

// total reads X-WP-Total or X-WP-TotalPages; -1 when absent.
func total(h http.Header, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
