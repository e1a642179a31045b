package connector

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The answers of Intake that are not a stored delivery.
var (
	// ErrUnknown: no connector has the name (404, and the same 404 as a
	// wrong secret in the address, so names cannot be probed).
	ErrUnknown = errors.New("no such webhook address")
	// ErrUnavailable: the connector is configured but shopcare has no
	// working adapter for it (503: the platform retries later).
	ErrUnavailable = errors.New("the connector cannot take deliveries now")
	// errNoAdapters and errNoWebhook say why a connector has no adapter.
	errNoAdapters = errors.New("no adapters are configured")
	errNoWebhook  = errors.New("the platform's adapter takes no webhooks")
)

// ParseError is a verified delivery whose body is not what the platform
// sends (422; nothing is stored).
type ParseError struct{ Err error }

func (e *ParseError) Error() string {
	return "the delivery is not the platform's format: " + e.Err.Error()
}

// Unwrap returns the adapter's error.
func (e *ParseError) Unwrap() error { return e.Err }

// Received is what Intake did with a delivery.
type Received struct {
	// Ping is a platform's test delivery: answered, not stored.
	Ping bool
	// Key is the delivery's key (the platform's delivery id, else the
	// body's digest); "" for a ping.
	Key   string
	Event Event
}

// stored is a delivery on its way into connector_deliveries.
type stored struct {
	connector, key, topic, event, orderID string
	req                                   Request
	state, code, reason                   string
	// headers and query are kept as JSON, made by the caller so the
	// committer only writes.
	headers, query string
}

// Intake checks a delivery to connector name on its raw body, reads it,
// and stores it once (a replayed delivery id changes nothing); the drain
// applies it later. Verify comes before anything is parsed or stored.
func (s *Service) Intake(ctx context.Context, name string, r Request) (Received, error) {
	cn, ok := s.conns[name]
	if !ok {
		return Received{}, ErrUnknown
	}
	if cn.err != nil {
		return Received{}, ErrUnavailable
	}
	if err := cn.adapter.Webhook.Verify(r); err != nil {
		if !errors.Is(err, ErrUnauthorized) {
			err = fmt.Errorf("%w: %w", ErrUnauthorized, err)
		}
		return Received{}, err
	}
	d, err := parse(cn.adapter.Webhook, r)
	if err != nil {
		return Received{}, &ParseError{Err: err}
	}
	if d.Event == Ping {
		return Received{Ping: true, Event: Ping}, nil
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = s.clock.Now()
	}
	st := stored{connector: name, key: deliveryKey(d, r.Body), topic: clip(d.Topic, 200), event: string(d.Event),
		orderID: clip(d.OrderID, 200), req: r, state: string(StateReceived),
		headers: keptHeaders(r.Header, cn.cfg.WebhookSecret), query: keptQuery(r.Query, cn.cfg.WebhookSecret)}
	if d.Event == Ignored {
		st.state, st.code, st.reason = string(StateIgnored), ReasonNotOrder, "the delivery is not about an order"
	}
	if _, err := s.intake.Submit(ctx, []stored{st}); err != nil {
		return Received{}, fmt.Errorf("store delivery %s of %s: %w", st.key, name, err)
	}
	return Received{Key: st.key, Event: d.Event}, nil
}

// parse runs the adapter's Parse, which must not panic on what a
// platform (or anyone who knows the secret) sends, and checks that an
// order event names its order.
func parse(h Webhook, r Request) (d Delivery, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the adapter failed to read it: %v", p)
		}
	}()
	d, err = h.Parse(r)
	if err != nil {
		return d, err
	}
	if d.OrderID == "" && d.Order != nil {
		d.OrderID = d.Order.ID
	}
	if d.Event == Ignored {
		_, isStock, err := parseStock(h, r)
		if err != nil {
			return d, err
		}
		if isStock {
			d.Event, d.OrderID, d.Order = StockChanged, "", nil
		}
	}
	switch d.Event {
	case Ping, Ignored, StockChanged:
	case OrderCreated, OrderUpdated, OrderPaid, OrderCancelled, OrderRefunded, OrderFulfilled:
		if d.OrderID == "" {
			return d, errors.New("the delivery names no order")
		}
	default:
		return d, fmt.Errorf("the adapter read an event shopcare does not know: %q", d.Event)
	}
	return d, nil
}

// deliveryKey is the platform's delivery id, else the SHA-256 of the
// body: the same body twice is the same delivery.
func deliveryKey(d Delivery, body []byte) string {
	if id := strings.TrimSpace(d.ID); id != "" {
		return clip(id, 200)
	}
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// clip cuts s to at most n bytes of valid UTF-8 without NUL, for the
// text columns (PostgreSQL refuses both in text).
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}

// dropHeaders are never kept with a delivery.
var dropHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

// keptHeaders returns the request's headers as JSON, for the log and for
// reading the delivery again (some platforms name the event in a
// header): without credentials, the secret or oversized values.
func keptHeaders(h http.Header, secret string) string {
	out := map[string][]string{}
	for name, values := range h {
		if slices.Contains(dropHeaders, http.CanonicalHeaderKey(name)) || len(out) >= 64 {
			continue
		}
		for _, v := range values {
			if secret != "" && strings.Contains(v, secret) {
				continue
			}
			out[name] = append(out[name], clip(v, 1024))
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// keptQuery returns the query as JSON, without the secret.
func keptQuery(q url.Values, secret string) string {
	out := map[string][]string{}
	for name, values := range q {
		if name == "secret" || len(out) >= 64 {
			continue
		}
		for _, v := range values {
			if secret != "" && strings.Contains(v, secret) {
				continue
			}
			out[clip(name, 200)] = append(out[clip(name, 200)], clip(v, 1024))
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}
