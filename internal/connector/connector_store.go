package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// State is where a stored delivery is.
type State string

// The states of a delivery.
const (
	// StateReceived: stored, waiting for the drain.
	StateReceived State = "received"
	// StateApplied: its change is on the order.
	StateApplied State = "applied"
	// StateIgnored: nothing to apply (not about an order, older than what
	// was applied, or a change shopcare does not take yet); Reason says.
	StateIgnored State = "ignored"
	// StateRejected: the change would break the order's lifecycle
	// (delivered → new); Reason says how. Never applied.
	StateRejected State = "rejected"
	// StateFailed: applying it failed; Reason has the error. Replay
	// tries again.
	StateFailed State = "failed"
)

// States lists the states, in the order the admin shows them.
var States = []State{StateReceived, StateApplied, StateIgnored, StateRejected, StateFailed}

// Record is a stored delivery as the admin shows it.
type Record struct {
	ID              int64
	Connector       string
	Key             string
	Topic           string
	Event           Event
	PlatformOrderID string
	ReceivedAt      time.Time
	State           State
	// ReasonCode says in a word why it was ignored, rejected or failed
	// (Reason* constants), for the admin to say in the owner's language;
	// Reason has the detail, in English.
	ReasonCode string
	Reason     string
	Attempts   int
	AppliedAt  *time.Time
	// OrderID is the shopcare order it applied to; 0 when none.
	OrderID int64
	// Body, Header and Query are the request as it came (Delivery only).
	Body   []byte
	Header http.Header
	Query  url.Values
}

const recordColumns = `id, connector, delivery_key, topic, event, platform_order_id, received_at, state, reason_code,
	reason, attempts, applied_at, order_id`

func scanRecord(r store.Row, extra ...any) (Record, error) {
	var rec Record
	var orderID *int64
	dest := append([]any{&rec.ID, &rec.Connector, &rec.Key, &rec.Topic, &rec.Event, &rec.PlatformOrderID,
		&rec.ReceivedAt, &rec.State, &rec.ReasonCode, &rec.Reason, &rec.Attempts, &rec.AppliedAt, &orderID}, extra...)
	if err := r.Scan(dest...); err != nil {
		return rec, err
	}
	if orderID != nil {
		rec.OrderID = *orderID
	}
	return rec, nil
}

// storeTx inserts deliveries, each once per connector and key: a replay
// of a stored delivery is no change. The drain is kicked once the
// transaction commits.
func (s *Service) storeTx(ctx context.Context, tx *store.Tx, items []stored) ([]struct{}, error) {
	rows := make([][]any, len(items))
	for i, it := range items {
		body := it.req.Body
		if body == nil {
			body = []byte{}
		}
		rows[i] = []any{it.connector, it.key, it.topic, it.event, it.orderID, it.req.ReceivedAt, body,
			it.headers, it.query, it.state, it.code, it.reason}
	}
	err := store.InsertMany(ctx, tx, "connector_deliveries", []string{"connector", "delivery_key", "topic", "event",
		"platform_order_id", "received_at", "body", "headers", "query", "state", "reason_code", "reason"}, rows,
		"ON CONFLICT (connector, delivery_key) DO NOTHING", nil)
	if err != nil {
		return nil, fmt.Errorf("insert %d deliveries: %w", len(items), err)
	}
	tx.AfterCommit(s.kick)
	return make([]struct{}, len(items)), nil
}

// received lists up to limit deliveries waiting for the drain, oldest
// first.
func received(ctx context.Context, q store.Querier, limit int) ([]int64, error) {
	var ids []int64
	err := store.Each(ctx, q, `SELECT id FROM connector_deliveries WHERE state = 'received' ORDER BY id LIMIT $1`,
		[]any{limit}, func(r store.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list received deliveries: %w", err)
	}
	return ids, nil
}

// claim loads a delivery with its request inside tx, locking it on
// PostgreSQL; with onlyReceived, ok is false when another drain took it
// meanwhile.
func (s *Service) claim(ctx context.Context, tx *store.Tx, id int64, onlyReceived bool) (rec Record, ok bool, err error) {
	query := `SELECT ` + recordColumns + `, body, headers, query FROM connector_deliveries WHERE id = $1`
	if onlyReceived {
		query += ` AND state = 'received'`
	}
	if s.db.Engine() == store.Postgres {
		query += ` FOR UPDATE SKIP LOCKED`
	}
	rec, err = scanFull(tx.QueryRow(ctx, query, id))
	if errors.Is(err, store.ErrNotFound) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("load delivery %d: %w", id, err)
	}
	return rec, true, nil
}

// scanFull reads a record with its body, headers and query.
func scanFull(r store.Row) (Record, error) {
	var headers, query string
	var body []byte
	rec, err := scanRecord(r, &body, &headers, &query)
	if err != nil {
		return rec, err
	}
	rec.Body = body
	rec.Header, rec.Query = http.Header{}, url.Values{}
	_ = json.Unmarshal([]byte(headers), &rec.Header) // written by keptHeaders; a broken one reads as none
	_ = json.Unmarshal([]byte(query), &rec.Query)
	return rec, nil
}

// outcome is what applying a delivery came to.
type outcome struct {
	state   State
	code    string
	reason  string
	orderID int64
}

// finish records a delivery's outcome; attempts counts the tries.
func finish(ctx context.Context, q store.Querier, id int64, o outcome, now time.Time) error {
	var appliedAt *time.Time
	if o.state == StateApplied {
		appliedAt = &now
	}
	var orderID *int64
	if o.orderID != 0 {
		orderID = &o.orderID
	}
	_, err := q.Exec(ctx, `UPDATE connector_deliveries SET state = $2, reason_code = $3, reason = $4,
		attempts = attempts + 1, applied_at = COALESCE($5, applied_at), order_id = COALESCE($6, order_id) WHERE id = $1`,
		id, string(o.state), o.code, clip(o.reason, 4000), appliedAt, orderID)
	if err != nil {
		return fmt.Errorf("record outcome of delivery %d: %w", id, err)
	}
	return nil
}

// link is a platform's order applied before: its shopcare order and the
// platform's last state of it.
type link struct {
	OrderID   int64
	UpdatedAt *time.Time
	Status    string
	Number    string
}

// linkGet returns the link of a platform's order; ok is false for an
// order not seen yet.
func linkGet(ctx context.Context, q store.Querier, connector, platformID string) (l link, ok bool, err error) {
	err = q.QueryRow(ctx, `SELECT order_id, platform_updated_at, platform_status, number FROM connector_orders
		WHERE connector = $1 AND platform_order_id = $2`, connector, platformID).Scan(&l.OrderID, &l.UpdatedAt, &l.Status, &l.Number)
	if errors.Is(err, store.ErrNotFound) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("load %s order %s: %w", connector, platformID, err)
	}
	return l, true, nil
}

// linkSave records what was applied of a platform's order; the
// platform's updated_at only ever moves forward.
func linkSave(ctx context.Context, q store.Querier, connector, platformID string, l link) error {
	_, err := q.Exec(ctx, `INSERT INTO connector_orders (connector, platform_order_id, order_id, platform_updated_at,
		platform_status, number) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (connector, platform_order_id) DO UPDATE SET order_id = excluded.order_id,
			platform_updated_at = CASE WHEN connector_orders.platform_updated_at IS NULL
				OR excluded.platform_updated_at > connector_orders.platform_updated_at
				THEN excluded.platform_updated_at ELSE connector_orders.platform_updated_at END,
			platform_status = excluded.platform_status,
			number = CASE WHEN excluded.number = '' THEN connector_orders.number ELSE excluded.number END`,
		connector, platformID, l.OrderID, l.UpdatedAt, l.Status, clip(l.Number, 200))
	if err != nil {
		return fmt.Errorf("record %s order %s: %w", connector, platformID, err)
	}
	return nil
}

// Number returns the order's number as the customer knows it on the
// connector's platform ("#1001"), "" when no connector brought it.
func Number(ctx context.Context, q store.Querier, orderID int64) (string, error) {
	var n string
	err := q.QueryRow(ctx, `SELECT number FROM connector_orders WHERE order_id = $1 ORDER BY number DESC LIMIT 1`, orderID).Scan(&n)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("platform number of order %d: %w", orderID, err)
	}
	return n, nil
}

// counts returns the deliveries per connector and state.
func counts(ctx context.Context, q store.Querier) (map[string]map[State]int64, error) {
	out := map[string]map[State]int64{}
	err := store.Each(ctx, q, `SELECT connector, state, COUNT(*) FROM connector_deliveries GROUP BY connector, state`, nil,
		func(r store.Rows) error {
			var name string
			var st State
			var n int64
			if err := r.Scan(&name, &st, &n); err != nil {
				return err
			}
			if out[name] == nil {
				out[name] = map[State]int64{}
			}
			out[name][st] = n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	return out, nil
}

// latest returns a connector's newest delivery, of the states given
// (any when none); ok is false when there is none.
func latest(ctx context.Context, q store.Querier, connector string, states ...State) (Record, bool, error) {
	query, args := `SELECT `+recordColumns+` FROM connector_deliveries WHERE connector = $1`, []any{connector}
	if len(states) > 0 {
		query += ` AND state IN (`
		for i, st := range states {
			if i > 0 {
				query += `, `
			}
			args = append(args, string(st))
			query += `$` + strconv.Itoa(len(args))
		}
		query += `)`
	}
	rec, err := scanRecord(q.QueryRow(ctx, query+` ORDER BY id DESC LIMIT 1`, args...))
	if errors.Is(err, store.ErrNotFound) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("latest delivery of %s: %w", connector, err)
	}
	return rec, true, nil
}
