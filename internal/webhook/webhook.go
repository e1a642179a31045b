package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// JobInserter enqueues jobs inside a store transaction.
type JobInserter interface {
	InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
}

// Timeout bounds one delivery request, connection to last byte.
const Timeout = 10 * time.Second

// Service turns events into deliveries and makes them.
type Service struct {
	db        *store.DB
	endpoints []config.Webhook
	jobs      JobInserter
	clock     clock.Clock
	log       *slog.Logger
	// Client posts the deliveries; NewService sets one with Timeout that
	// does not follow redirects (a redirect is the receiver's error to fix,
	// and following a 302 would turn the POST into a GET).
	Client *http.Client
}

// Params are the collaborators of a webhook Service.
type Params struct {
	// Jobs enqueues the deliveries.
	Jobs JobInserter
}

// NewService returns a Service for the shop's endpoints
// (d.Settings.Webhooks). It checks their event patterns, which config does
// not know the syntax of.
func NewService(d service.Deps, p Params) (*Service, error) {
	endpoints := d.Settings.Webhooks
	var errs invalid.List
	seen := map[string]bool{}
	for i, ep := range endpoints {
		if seen[ep.URL] {
			errs.Add(fmt.Sprintf("webhooks[%d].url", i), "duplicate", "%s is listed twice; list its events under one entry", ep.URL)
		}
		seen[ep.URL] = true
		for j, p := range ep.Events {
			if _, err := path.Match(p, ""); err != nil || p == "" {
				errs.Add(fmt.Sprintf("webhooks[%d].events[%d]", i, j), "invalid", "%q is not an event pattern such as order.created or order.*", p)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &Service{
		db:        d.DB,
		endpoints: endpoints,
		jobs:      p.Jobs,
		clock:     d.Clock,
		log:       d.Log.With("component", "webhook"),
		Client: &http.Client{
			Timeout:       Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// Matches tells whether an endpoint listening for patterns wants events of
// kind: all of them when patterns is empty, else those matching one pattern
// ("order.created", "order.*", "*").
func Matches(patterns []string, kind journal.Kind) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if ok, _ := path.Match(p, string(kind)); ok {
			return true
		}
	}
	return false
}

// Payload is the JSON body of a delivery.
type Payload struct {
	// ID is the event's id: the same in every endpoint's delivery of it.
	ID         int64        `json:"id"`
	Kind       journal.Kind `json:"kind"`
	OccurredAt time.Time    `json:"occurred_at"`
	// OrderID and CustomerID are the shop's own ids (external ids).
	OrderID    string          `json:"order_id,omitempty"`
	CustomerID string          `json:"customer_id,omitempty"`
	Data       json.RawMessage `json:"data"`
}

// Delivery statuses.
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// HandleEvents writes a pending delivery for each event and endpoint that
// wants it, and its job, in the journal's transaction. Imported history
// makes nothing happen, so its events are skipped.
func (s *Service) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	if len(s.endpoints) == 0 {
		return nil
	}
	type pair struct {
		e  *journal.Event
		ep config.Webhook
	}
	var pairs []pair
	orderSet, customerSet := map[int64]bool{}, map[int64]bool{}
	for i := range events {
		e := &events[i]
		if e.History {
			continue
		}
		for _, ep := range s.endpoints {
			if Matches(ep.Events, e.Kind) {
				pairs = append(pairs, pair{e, ep})
				orderSet[e.OrderID] = e.OrderID != 0
				customerSet[e.CustomerID] = e.CustomerID != 0
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	orders, err := externalIDs(ctx, tx, "orders", orderSet)
	if err != nil {
		return err
	}
	customers, err := externalIDs(ctx, tx, "customers", customerSet)
	if err != nil {
		return err
	}

	now := s.clock.Now()
	bodies := map[int64][]byte{}
	rows := make([][]any, 0, len(pairs))
	for _, p := range pairs {
		body, ok := bodies[p.e.ID]
		if !ok {
			data := p.e.Payload
			if len(data) == 0 {
				data = json.RawMessage("{}")
			}
			body, err = json.Marshal(Payload{
				ID: p.e.ID, Kind: p.e.Kind, OccurredAt: p.e.OccurredAt.UTC().Truncate(time.Second),
				OrderID: orders[p.e.OrderID], CustomerID: customers[p.e.CustomerID], Data: data,
			})
			if err != nil {
				return fmt.Errorf("webhook payload of %s event %d: %w", p.e.Kind, p.e.ID, err)
			}
			bodies[p.e.ID] = body
		}
		rows = append(rows, []any{p.e.ID, string(p.e.Kind), p.ep.URL, string(body), StatusPending, now, now})
	}
	var jobs []river.InsertManyParams
	err = store.InsertMany(ctx, tx, "webhook_deliveries",
		[]string{"event_id", "event_kind", "url", "payload", "status", "created_at", "updated_at"}, rows,
		"ON CONFLICT (event_id, url) DO NOTHING RETURNING id",
		func(r store.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			jobs = append(jobs, river.InsertManyParams{Args: DeliverArgs{DeliveryID: id}})
			return nil
		})
	if err != nil {
		return fmt.Errorf("insert %d webhook deliveries: %w", len(rows), err)
	}
	return s.jobs.InsertManyTx(ctx, tx, jobs)
}

// externalIDs maps the ids in set (those marked true) to their rows'
// external ids; a NULL external id (a guest customer) is left out.
func externalIDs(ctx context.Context, q store.Querier, table string, set map[int64]bool) (map[int64]string, error) {
	ids := make([]int64, 0, len(set))
	for id, ok := range set {
		if ok {
			ids = append(ids, id)
		}
	}
	out := make(map[int64]string, len(ids))
	err := store.QueryIn(ctx, q, `SELECT id, external_id FROM `+table+` WHERE id IN (IN_LIST)`, nil, ids,
		func(r store.Rows) error {
			var id int64
			var ext *string
			if err := r.Scan(&id, &ext); err != nil {
				return err
			}
			out[id] = store.Text(ext)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("look up %d %s for webhooks: %w", len(ids), table, err)
	}
	return out, nil
}
