package wire

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

	"github.com/shopcare/shopcare/internal/connector"
)

// maxBody caps what is read of one answer: a page of 250 InSales orders
// is a few megabytes.
const maxBody = 64 << 20

// Client makes a platform's REST calls: it authenticates each request,
// waits and retries on 429 and 503 (Retry-After, or a growing pause when
// the platform names none) and turns refusals into *connector.APIError.
type Client struct {
	// Opts gives the HTTP client, the clock and the wait.
	Opts connector.Options
	// Auth sets the request's credentials.
	Auth func(*http.Request)
	// Retries is how many times a rate-limited call is tried again (5
	// when zero).
	Retries int
	// Pace, when set, reads a successful answer's headers and says how
	// long to wait before the next call (InSales' API-Usage-Limit).
	Pace func(http.Header) time.Duration
}

// Get reads url into out.
func (c *Client) Get(ctx context.Context, url string, out any) (http.Header, error) {
	return c.Do(ctx, http.MethodGet, url, nil, out)
}

// Do sends one call, body as JSON when not nil, and decodes a 2xx answer
// into out when out is not nil.
func (c *Client) Do(ctx context.Context, method, url string, body, out any) (http.Header, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("%s %s: encode the request: %w", method, redact(url), err)
		}
	}
	retries := c.Retries
	if retries <= 0 {
		retries = 5
	}
	for attempt := 0; ; attempt++ {
		status, header, data, err := c.once(ctx, method, url, payload)
		if err != nil {
			return nil, err
		}
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			if attempt >= retries {
				return header, fmt.Errorf("%s %s: still limited after %d tries: %w", method, redact(url), attempt+1, apiError(status, data))
			}
			if err := c.Opts.Wait(ctx, RetryAfter(header, c.now(), attempt)); err != nil {
				return header, fmt.Errorf("%s %s: wait for the rate limit: %w", method, redact(url), err)
			}
			continue
		}
		if status < 200 || status > 299 {
			return header, fmt.Errorf("%s %s: %w", method, redact(url), apiError(status, data))
		}
		if out != nil && len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return header, fmt.Errorf("%s %s: read the answer: %w", method, redact(url), err)
			}
		}
		if c.Pace != nil {
			if d := c.Pace(header); d > 0 {
				if err := c.Opts.Wait(ctx, d); err != nil {
					return header, fmt.Errorf("%s %s: pace the calls: %w", method, redact(url), err)
				}
			}
		}
		return header, nil
	}
}

func (c *Client) once(ctx context.Context, method, url string, payload []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: %w", method, redact(url), err)
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if c.Auth != nil {
		c.Auth(req)
	}
	resp, err := c.Opts.Client().Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: %w", method, redact(url), err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: read the answer: %w", method, redact(url), err)
	}
	return resp.StatusCode, resp.Header, data, nil
}

func (c *Client) now() time.Time {
	if c.Opts.Clock != nil {
		return c.Opts.Clock.Now()
	}
	return time.Now()
}

// apiError keeps the start of a refusal's body for the connector's log.
func apiError(status int, data []byte) *connector.APIError {
	body := strings.TrimSpace(string(data))
	if len(body) > 500 {
		body = body[:500] + "…"
	}
	return &connector.APIError{Status: status, Body: body}
}

// redact drops the query of a URL from error messages: it may carry a
// token on platforms that take one there.
func redact(url string) string {
	if i := strings.IndexByte(url, '?'); i >= 0 {
		return url[:i]
	}
	return url
}

// RetryAfter is how long a 429 or 503 asks to wait: Retry-After in
// seconds or as an HTTP date, otherwise 1 s doubled per attempt, at most
// a minute, and never more than 10 minutes whatever the platform says.
func RetryAfter(h http.Header, now time.Time, attempt int) time.Duration {
	const most = 10 * time.Minute
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
			d := time.Duration(s * float64(time.Second))
			return min(d, most)
		}
		if t, err := http.ParseTime(v); err == nil {
			d := t.Sub(now)
			if d < 0 {
				return 0
			}
			return min(d, most)
		}
	}
	d := time.Second << min(attempt, 6)
	return min(d, time.Minute)
}

// IsNotFound reports whether err is the platform's 404.
func IsNotFound(err error) bool {
	var ae *connector.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}
