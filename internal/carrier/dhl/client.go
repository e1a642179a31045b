package dhl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/carrier"
)

// DefaultURL is the production base address of DHL's API.
const DefaultURL = "https://api-eu.dhl.com"

// name is how errors name the carrier.
const name = "dhl"

// maxBody bounds how much of an answer or a push is read.
const maxBody = 8 << 20

// Client tracks DHL parcels and reads DHL's pushes.
type Client struct {
	base string
	key  string
	http *http.Client
	opts carrier.Options
}

var (
	_ carrier.Tracker = (*Client)(nil)
	_ carrier.Webhook = (*Client)(nil)
)

// New returns a client with opts.Key as the DHL-API-Key; opts.URL, when
// set, replaces DefaultURL (tests, api-test.dhl.com).
func New(opts carrier.Options) *Client {
	base := strings.TrimRight(opts.URL, "/")
	if base == "" {
		base = DefaultURL
	}
	return &Client{base: base, key: opts.Key, http: opts.Client(), opts: opts}
}

// BatchSize is 1: the API takes one tracking number per request.
func (c *Client) BatchSize() int { return 1 }

// Track asks DHL about each number in turn and returns their events,
// oldest first per parcel; a number DHL does not know yields none. It
// stops at the first error (a rate limit, a refused key), returning no
// events, so the caller retries the whole batch.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carrier.Event, error) {
	return carrier.TrackEach(ctx, numbers, c.track)
}

func (c *Client) track(ctx context.Context, number string) ([]carrier.Event, error) {
	q := url.Values{"trackingNumber": {number}, "language": {"en"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/track/shipments?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("dhl: track %s: %w", number, err)
	}
	req.Header.Set("DHL-API-Key", c.key)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("dhl: track %s: %w", number, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("dhl: track %s: read answer: %w", number, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		evs, err := parseAnswer(number, body)
		if err != nil {
			return nil, fmt.Errorf("dhl: track %s: %w", number, err)
		}
		return evs, nil
	case http.StatusNotFound:
		return nil, nil // DHL knows no shipment of that number
	case http.StatusTooManyRequests:
		return nil, &carrier.RateLimitError{Carrier: name, RetryAfter: carrier.RetryAfter(resp.Header, c.opts.Now())}
	}
	apiErr := apiError(resp.StatusCode, body)
	if resp.StatusCode == http.StatusUnauthorized {
		return nil, fmt.Errorf("dhl: track %s: %w (%w)", number, carrier.ErrUnauthorized, apiErr)
	}
	return nil, fmt.Errorf("dhl: track %s: %w", number, apiErr)
}

// errMalformed marks an answer or a push that is not what DHL sends.
var errMalformed = errors.New("malformed DHL body")

// parseAnswer reads a successful answer for number into events.
func parseAnswer(number string, body []byte) ([]carrier.Event, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("%w: %w", errMalformed, err)
	}
	if a.Shipments == nil {
		return nil, fmt.Errorf("%w: no shipments", errMalformed)
	}
	return events(number, a.Shipments), nil
}

// apiError reads DHL's problem detail; a body that is none is quoted.
func apiError(status int, body []byte) *carrier.APIError {
	e := &carrier.APIError{Carrier: name, Status: status}
	var p problem
	if json.Unmarshal(body, &p) == nil && (p.Title != "" || p.Detail != "") {
		e.Code = p.Type
		e.Message = p.Title
		if p.Detail != "" && p.Detail != p.Title {
			e.Message = strings.TrimPrefix(e.Message+": "+p.Detail, ": ")
		}
		return e
	}
	msg := strings.Join(strings.Fields(string(body)), " ")
	if len(msg) > 200 {
		msg = msg[:200]
	}
	e.Message = msg
	return e
}
