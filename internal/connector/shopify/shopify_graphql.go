package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
)

// maxBody caps how much of an answer is read: a page of 50 orders with
// their lines is well under a megabyte.
const maxBody = 8 << 20

// maxAttempts bounds the waits for one call (throttled or 429) before it
// gives up.
const maxAttempts = 6

// ErrThrottled reports a call still throttled after maxAttempts waits.
var ErrThrottled = errors.New("shopify kept throttling the call")

// graphQL speaks to the GraphQL Admin API of one shop and keeps its view
// of the shop's cost bucket (a leaky bucket of points refilled at a
// restore rate each second), so that a call that would overflow the
// bucket waits for it first instead of being throttled.
type graphQL struct {
	opts     connector.Options
	clock    clock.Clock
	endpoint string
	http     *http.Client

	mu sync.Mutex // guards the bucket and learned
	// available and restore are the bucket at seen, as Shopify last told.
	available, restore, maximum float64
	seen                        time.Time
	// learned is the requested cost Shopify last reported for each query
	// text: the bucket is checked against the requested cost, which the
	// static estimate only approximates.
	learned map[string]float64
}

func newGraphQL(o connector.Options, c clock.Clock, endpoint string) *graphQL {
	return &graphQL{opts: o, clock: c, endpoint: endpoint, http: o.Client(), learned: map[string]float64{}}
}

// cost is the extensions.cost of an answer.
type cost struct {
	RequestedQueryCost float64  `json:"requestedQueryCost"`
	ActualQueryCost    *float64 `json:"actualQueryCost"`
	ThrottleStatus     struct {
		MaximumAvailable   float64 `json:"maximumAvailable"`
		CurrentlyAvailable float64 `json:"currentlyAvailable"`
		RestoreRate        float64 `json:"restoreRate"`
	} `json:"throttleStatus"`
}

// gqlError is one entry of an answer's errors.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// do runs a query (estimate: its expected cost in points, until Shopify
// has told the query's requested cost) and decodes
// its data into out. It waits, through Options.Wait, when the bucket
// would not hold the call, when Shopify answers THROTTLED, and on a 429
// with Retry-After.
func (g *graphQL) do(ctx context.Context, query string, vars map[string]any, estimate float64, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return fmt.Errorf("shopify: encode the query: %w", err)
	}
	for attempt := 1; ; attempt++ {
		if d := g.waitFor(query, estimate); d > 0 {
			if err := g.opts.Wait(ctx, d); err != nil {
				return err
			}
		}
		wait, err := g.once(ctx, query, body, out)
		if err == nil || wait == 0 {
			return err
		}
		if attempt >= maxAttempts {
			return fmt.Errorf("%w: %w", ErrThrottled, err)
		}
		if err := g.opts.Wait(ctx, wait); err != nil {
			return err
		}
	}
}

// once sends the call once; a non-zero wait asks for another try after
// it.
func (g *graphQL) once(ctx context.Context, query string, body []byte, out any) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("shopify: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", g.opts.AccessToken)
	resp, err := g.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("shopify: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, fmt.Errorf("shopify: read the answer: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return retryAfter(resp.Header.Get("Retry-After"), g.clock.Now()), &connector.APIError{Status: resp.StatusCode, Body: snippet(raw)}
	case resp.StatusCode >= 500:
		// Shopify's own hiccups (502, 503) pass; a second later is enough.
		return time.Second, &connector.APIError{Status: resp.StatusCode, Body: snippet(raw)}
	case resp.StatusCode != http.StatusOK:
		return 0, &connector.APIError{Status: resp.StatusCode, Body: snippet(raw)}
	}
	var ans struct {
		Data       json.RawMessage `json:"data"`
		Errors     []gqlError      `json:"errors"`
		Extensions struct {
			Cost *cost `json:"cost"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return 0, fmt.Errorf("shopify: the answer is not GraphQL JSON: %w", err)
	}
	if c := ans.Extensions.Cost; c != nil {
		g.saw(query, c)
	}
	if len(ans.Errors) > 0 {
		msgs := make([]string, len(ans.Errors))
		throttled, status := false, http.StatusOK
		for i, e := range ans.Errors {
			msgs[i] = e.Message
			switch e.Extensions.Code {
			case "THROTTLED":
				throttled = true
			case "ACCESS_DENIED":
				// A scope the app lacks (read_orders, write_orders):
				// a refusal like a 403.
				status = http.StatusForbidden
			}
		}
		err := &connector.APIError{Status: status, Body: strings.Join(msgs, "; ")}
		if throttled {
			return g.refillTime(ans.Extensions.Cost), err
		}
		return 0, err
	}
	if out != nil {
		if err := json.Unmarshal(ans.Data, out); err != nil {
			return 0, fmt.Errorf("shopify: read the data: %w", err)
		}
	}
	return 0, nil
}

// saw records the bucket as an answer reported it.
func (g *graphQL) saw(query string, c *cost) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c.RequestedQueryCost > 0 {
		g.learned[query] = c.RequestedQueryCost
	}
	g.available = c.ThrottleStatus.CurrentlyAvailable
	g.restore = c.ThrottleStatus.RestoreRate
	g.maximum = c.ThrottleStatus.MaximumAvailable
	g.seen = g.clock.Now()
}

// waitFor is how long a call of the estimated cost must wait for the
// bucket to hold it; 0 before any answer told the bucket's state.
func (g *graphQL) waitFor(query string, estimate float64) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.learned[query]; ok {
		estimate = c
	}
	if g.seen.IsZero() || g.restore <= 0 {
		return 0
	}
	if g.maximum > 0 && estimate > g.maximum {
		estimate = g.maximum
	}
	now := g.clock.Now()
	have := g.available + g.restore*now.Sub(g.seen).Seconds()
	if g.maximum > 0 && have > g.maximum {
		have = g.maximum
	}
	if have >= estimate {
		return 0
	}
	return seconds((estimate - have) / g.restore)
}

// refillTime is how long a throttled call waits for the points it asked
// for; a second when the answer did not say.
func (g *graphQL) refillTime(c *cost) time.Duration {
	if c == nil || c.ThrottleStatus.RestoreRate <= 0 {
		return time.Second
	}
	need := c.RequestedQueryCost - c.ThrottleStatus.CurrentlyAvailable
	if need <= 0 {
		return time.Second
	}
	return seconds(need / c.ThrottleStatus.RestoreRate)
}

// seconds rounds a wait in seconds up to whole milliseconds, at least one.
func seconds(s float64) time.Duration {
	d := time.Duration(math.Ceil(s*1000)) * time.Millisecond
	if d < time.Millisecond {
		d = time.Millisecond
	}
	return d
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; a
// second when it is missing or unreadable, at most a minute.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	d := time.Second
	if s, err := strconv.ParseFloat(h, 64); err == nil && s > 0 && !math.IsInf(s, 0) {
		d = seconds(min(s, 60))
	} else if t, err := http.ParseTime(h); err == nil && t.After(now) {
		d = t.Sub(now)
	}
	return min(d, time.Minute)
}

// snippet is the start of an answer, for an error.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
