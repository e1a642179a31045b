package cdek

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
)

// DefaultURL is the production base address of the CDEK API v2.
const DefaultURL = "https://api.cdek.ru/v2"

// TestURL is CDEK's test environment, with its shared test account.
const TestURL = "https://api.edu.cdek.ru/v2"

// name is how errors name the carrier.
const name = "cdek"

// maxBody caps how much of an answer is read; an order with its statuses
// is a few kilobytes.
const maxBody = 4 << 20

// Client speaks to the CDEK API v2 with one shop's credentials. It is safe
// for concurrent use.
type Client struct {
	opts carrier.Options
	base string
	http *http.Client

	mu      sync.Mutex // guards token and expires
	token   string
	expires time.Time
	fetch   chan struct{} // one token request at a time
}

var (
	_ carrier.Tracker = (*Client)(nil)
	_ carrier.Webhook = (*Client)(nil)
)

// New returns a client for the API at opts.URL (DefaultURL when empty),
// authenticating with opts.Key as client_id and opts.Secret as
// client_secret.
func New(opts carrier.Options) *Client {
	base := opts.URL
	if base == "" {
		base = DefaultURL
	}
	return &Client{
		opts:  opts,
		base:  strings.TrimRight(base, "/"),
		http:  opts.Client(),
		fetch: make(chan struct{}, 1),
	}
}

// BatchSize is 1: the order details method takes one cdek_number.
func (c *Client) BatchSize() int { return 1 }

// Track asks for each number's order in turn and returns its statuses,
// oldest first per parcel. A number CDEK does not know yields none.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carrier.Event, error) {
	return carrier.TrackEach(ctx, numbers, c.trackOne)
}

// trackOne reads one order and, when CDEK sent it back, its return order.
func (c *Client) trackOne(ctx context.Context, number string) ([]carrier.Event, error) {
	order, err := c.order(ctx, "/orders?"+url.Values{"cdek_number": {number}}.Encode(), number)
	if err != nil || order == nil {
		return nil, err
	}
	events, err := orderEvents(number, order)
	if err != nil {
		return nil, fmt.Errorf("cdek: order %s: %w", number, err)
	}
	if order.IsReturn {
		return events, nil
	}
	for _, rel := range order.RelatedEntities {
		if rel.Type != "return_order" || rel.UUID == "" {
			continue
		}
		ret, err := c.order(ctx, "/orders/"+url.PathEscape(rel.UUID), number)
		if err != nil {
			return nil, err
		}
		if ret == nil {
			continue
		}
		ret.IsReturn = true // it is the return order, whatever the flag says
		evs, err := orderEvents(number, ret)
		if err != nil {
			return nil, fmt.Errorf("cdek: return order %s of %s: %w", rel.UUID, number, err)
		}
		events = append(events, evs...)
	}
	return events, nil
}

// order GETs one order; nil, nil when CDEK does not know it.
func (c *Client) order(ctx context.Context, path, number string) (*orderEntity, error) {
	status, body, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	switch status {
	case http.StatusOK:
		ans, err := decodeOrder(body)
		if err != nil {
			return nil, fmt.Errorf("cdek: order %s: %w", number, err)
		}
		if ans.Entity != nil {
			return ans.Entity, nil
		}
		if ans.notFound() {
			return nil, nil
		}
		if e := ans.apiError(status); e != nil {
			return nil, e
		}
		return nil, nil
	case http.StatusBadRequest, http.StatusNotFound:
		if ans, err := decodeOrder(body); err == nil && ans.notFound() {
			return nil, nil
		}
	}
	return nil, answerError(status, body)
}

// do sends one request with the shop's token. A 401 fetches a new token
// and tries once more; a second 401 is ErrUnauthorized, a 429 a
// RateLimitError. Any other answer is the caller's to read.
func (c *Client) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	for attempt := 0; ; attempt++ {
		tok, err := c.bearer(ctx)
		if err != nil {
			return 0, nil, err
		}
		var rd io.Reader = http.NoBody
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
		if err != nil {
			return 0, nil, fmt.Errorf("cdek: %s %s: %w", method, path, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		status, header, answer, err := c.send(req)
		if err != nil {
			return 0, nil, fmt.Errorf("cdek: %s %s: %w", method, path, err)
		}
		switch status {
		case http.StatusUnauthorized:
			if attempt == 0 {
				c.forget(tok)
				continue
			}
			return 0, nil, fmt.Errorf("cdek: %s %s: %w (%s)", method, path, carrier.ErrUnauthorized, answerError(status, answer).Error())
		case http.StatusTooManyRequests:
			return 0, nil, &carrier.RateLimitError{Carrier: name, RetryAfter: carrier.RetryAfter(header, c.opts.Now())}
		}
		return status, answer, nil
	}
}

// send makes the request and reads the whole answer.
func (c *Client) send(req *http.Request) (int, http.Header, []byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read answer: %w", err)
	}
	if len(b) > maxBody {
		return 0, nil, nil, errors.New("answer larger than 4 MiB")
	}
	return resp.StatusCode, resp.Header, b, nil
}
