// Package parcel follows an order's shipments from the shop to the
// customer: a parcel per tracking number, created when the order ships; the
// carriers' events, normalised (package carrier) and kept as they came,
// from the carriers' APIs (polled on a schedule that follows the parcel's
// stage), their pushes and POST /api/v1/parcels/events; the order moved to
// ready_for_pickup and delivered as its parcels arrive; the "your parcel is
// waiting" reminders of a parcel at a pickup point; and the flag on a
// parcel the carrier has gone silent about.
package parcel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Parcel is one shipment of an order.
type Parcel struct {
	ID             int64
	OrderID        int64
	Carrier        string // the shop's carrier code
	TrackingNumber string
	// Status is the latest normalised status; "" before the first event.
	Status   carrier.Status
	StatusAt *time.Time
	// LastEventAt is the carrier's latest event of any kind.
	LastEventAt *time.Time
	ArrivedAt   *time.Time // at the pickup point
	DeliveredAt *time.Time
	NextPollAt  *time.Time
	PollError   string
	StuckAt     *time.Time
	CreatedAt   time.Time
}

// Source says where an event came from.
type Source string

// The sources of events.
const (
	SourceAPI     Source = "api"     // POST /api/v1/parcels/events
	SourcePoll    Source = "poll"    // the carrier's tracking API, asked
	SourceWebhook Source = "webhook" // the carrier's push
	SourceAdmin   Source = "admin"   // an operator, in the admin
)

// Event is a carrier event as kept.
type Event struct {
	ID          int64
	ParcelID    int64
	Status      carrier.Status
	Code        string
	Description string
	Location    string
	At          time.Time
	Source      Source
	Raw         string
	ReceivedAt  time.Time
}

// Service keeps the parcels.
type Service struct {
	db       *store.DB
	journal  *journal.Journal
	orders   *order.Service
	clock    clock.Clock
	settings config.Settings
	log      *slog.Logger
	trackers map[string]carrier.Tracker // by the shop's carrier code
	hooks    map[string]carrier.Webhook
	intake   *store.Group[Report, Outcome]
}

// Params are the collaborators of the parcel Service.
type Params struct {
	// Journal records the parcels' events.
	Journal *journal.Journal
	// Orders moves an order along as its parcel goes.
	Orders *order.Service
}

// New returns a Service with an adapter for each carrier whose tracking
// API the settings name.
func New(d service.Deps, p Params) (*Service, error) {
	db, clk, settings := d.DB, d.Clock, d.Settings
	s := &Service{db: db, journal: p.Journal, orders: p.Orders, clock: clk, settings: settings, log: d.Log,
		trackers: map[string]carrier.Tracker{}, hooks: map[string]carrier.Webhook{}}
	for _, c := range settings.Carriers {
		if c.Tracking.API == "" {
			continue
		}
		t, err := adapter(c.Tracking, clk)
		if err != nil {
			return nil, fmt.Errorf("carrier %s: %w", c.Code, err)
		}
		s.trackers[c.Code] = t
		if h, ok := t.(carrier.Webhook); ok && c.Tracking.WebhookSecret != "" {
			s.hooks[c.Code] = h
		}
	}
	s.intake = store.NewGroup(db, 2048, s.IngestTx)
	return s, nil
}

// Start batches concurrent Ingest calls into shared transactions.
func (s *Service) Start() { s.intake.Start() }

// Stop commits what Ingest holds.
func (s *Service) Stop() { s.intake.Stop() }

// Tracks tells whether shopcare polls the carrier's API.
func (s *Service) Tracks(carrierCode string) bool { return s.trackers[carrierCode] != nil }

// Webhook returns the adapter that reads the carrier's pushes and the
// secret of its address; ok is false when the carrier's pushes are not
// taken.
func (s *Service) Webhook(carrierCode string) (h carrier.Webhook, secret string, ok bool) {
	h = s.hooks[carrierCode]
	if h == nil {
		return nil, "", false
	}
	c, _ := s.settings.Carrier(carrierCode)
	return h, c.Tracking.WebhookSecret, true
}

// ConflictError reports a tracking number another order's parcel has.
type ConflictError struct {
	TrackingNumber string
	OrderID        int64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("tracking number %s is a parcel of another order (%d)", e.TrackingNumber, e.OrderID)
}

// ErrNoTrackingNumber is returned for a parcel without a tracking number.
var ErrNoTrackingNumber = errors.New("a parcel needs a tracking number")

// AddTx records a parcel of the order inside tx; a tracking number the
// order has already is no change. created tells whether it is new.
func (s *Service) AddTx(ctx context.Context, tx *store.Tx, orderID int64, carrierCode, tracking string) (p Parcel, created bool, err error) {
	tracking = strings.TrimSpace(tracking)
	if tracking == "" {
		return p, false, ErrNoTrackingNumber
	}
	now := s.clock.Now()
	err = tx.QueryRow(ctx, `INSERT INTO parcels (order_id, carrier, tracking_number, next_poll_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (tracking_number) DO NOTHING RETURNING id`,
		orderID, carrierCode, tracking, s.nextPoll(carrierCode, "", now), now).Scan(&p.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		p, err = getBy(ctx, tx, `p.tracking_number = $1`, tracking)
		if err == nil && p.OrderID != orderID {
			return p, false, &ConflictError{TrackingNumber: tracking, OrderID: p.OrderID}
		}
		return p, false, err
	case err != nil:
		return p, false, fmt.Errorf("add parcel %s to order %d: %w", tracking, orderID, err)
	}
	p = Parcel{ID: p.ID, OrderID: orderID, Carrier: carrierCode, TrackingNumber: tracking, CreatedAt: now,
		NextPollAt: s.nextPoll(carrierCode, "", now)}
	return p, true, nil
}

// Add records a parcel of the order in a transaction of its own.
func (s *Service) Add(ctx context.Context, orderID int64, carrierCode, tracking string) (p Parcel, created bool, err error) {
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		p, created, err = s.AddTx(ctx, tx, orderID, carrierCode, tracking)
		return err
	})
	return p, created, err
}

// HandleEvents creates the parcel of an order that shipped with a
// tracking number (journal handler).
func (s *Service) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	for _, e := range events {
		if e.Kind != journal.OrderStatusChanged || e.History {
			continue
		}
		var pl event.OrderStatusChangedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		if order.Status(pl.To) != order.Shipped || pl.TrackingNumber == "" {
			continue
		}
		_, _, err := s.AddTx(ctx, tx, e.OrderID, pl.Carrier, pl.TrackingNumber)
		var conflict *ConflictError
		if errors.As(err, &conflict) {
			s.log.Warn("order shipped with another order's tracking number", "order", e.OrderID, "tracking_number", pl.TrackingNumber, "other_order", conflict.OrderID)
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

const parcelColumns = `p.id, p.order_id, p.carrier, p.tracking_number, p.status, p.status_at, p.last_event_at,
	p.arrived_at, p.delivered_at, p.next_poll_at, p.poll_error, p.stuck_at, p.created_at`

func scanParcel(r store.Row) (Parcel, error) {
	var p Parcel
	var st *string
	err := r.Scan(&p.ID, &p.OrderID, &p.Carrier, &p.TrackingNumber, &st, &p.StatusAt, &p.LastEventAt,
		&p.ArrivedAt, &p.DeliveredAt, &p.NextPollAt, &p.PollError, &p.StuckAt, &p.CreatedAt)
	p.Status = carrier.Status(store.Text(st))
	return p, err
}

func getBy(ctx context.Context, q store.Querier, where string, args ...any) (Parcel, error) {
	p, err := scanParcel(q.QueryRow(ctx, `SELECT `+parcelColumns+` FROM parcels p WHERE `+where, args...))
	if err != nil {
		return p, fmt.Errorf("load parcel: %w", err)
	}
	return p, nil
}

// ByTrackingNumber returns the parcel with the tracking number.
func ByTrackingNumber(ctx context.Context, q store.Querier, tracking string) (Parcel, error) {
	return getBy(ctx, q, `p.tracking_number = $1`, strings.TrimSpace(tracking))
}

// ByOrder returns an order's parcels, oldest first.
func ByOrder(ctx context.Context, q store.Querier, orderID int64) ([]Parcel, error) {
	var out []Parcel
	err := store.Each(ctx, q, `SELECT `+parcelColumns+` FROM parcels p WHERE p.order_id = $1 ORDER BY p.id`,
		[]any{orderID}, func(r store.Rows) error {
			p, err := scanParcel(r)
			out = append(out, p)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("parcels of order %d: %w", orderID, err)
	}
	return out, nil
}

// Events returns a parcel's events, newest first.
func Events(ctx context.Context, q store.Querier, parcelID int64) ([]Event, error) {
	var out []Event
	err := store.Each(ctx, q, `SELECT id, parcel_id, status, code, description, location, at, source, raw, received_at
		FROM parcel_events WHERE parcel_id = $1 ORDER BY at DESC, id DESC`, []any{parcelID}, func(r store.Rows) error {
		var e Event
		var st, raw *string
		if err := r.Scan(&e.ID, &e.ParcelID, &st, &e.Code, &e.Description, &e.Location, &e.At, &e.Source, &raw, &e.ReceivedAt); err != nil {
			return err
		}
		e.Status, e.Raw = carrier.Status(store.Text(st)), store.Text(raw)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("events of parcel %d: %w", parcelID, err)
	}
	return out, nil
}

// ErrNoTracking is returned for a carrier whose settings name no
// tracking API.
var ErrNoTracking = errors.New("the carrier's settings name no tracking API (carriers[].tracking.api)")

// Ask asks the carrier's tracking API about a number now and returns what
// it says, storing nothing: a check of the settings' credentials.
func (s *Service) Ask(ctx context.Context, carrierCode, tracking string) ([]carrier.Event, error) {
	t := s.trackers[carrierCode]
	if t == nil {
		return nil, ErrNoTracking
	}
	return t.Track(ctx, []string{strings.TrimSpace(tracking)})
}

// Subscribe registers the carrier's push address,
// {public_url}/api/v1/parcels/webhooks/{code}/{webhook_secret}, with the
// carrier, and returns it.
func (s *Service) Subscribe(ctx context.Context, carrierCode string) (string, error) {
	c, ok := s.settings.Carrier(carrierCode)
	switch {
	case !ok:
		return "", fmt.Errorf("no carrier %q in the settings", carrierCode)
	case s.trackers[carrierCode] == nil:
		return "", ErrNoTracking
	case c.Tracking.WebhookSecret == "":
		return "", fmt.Errorf("carrier %s: set carriers[].tracking.webhook_secret (or SHOPCARE_CARRIER_%s_WEBHOOK_SECRET) first", carrierCode, strings.ToUpper(carrierCode))
	}
	sub, ok := s.trackers[carrierCode].(carrier.Subscriber)
	if !ok {
		return "", fmt.Errorf("carrier %s (%s) takes no subscription from shopcare: register the push address in the carrier's own portal", carrierCode, c.Tracking.API)
	}
	url := strings.TrimRight(s.settings.Shop.PublicURL, "/") + "/api/v1/parcels/webhooks/" + carrierCode + "/" + c.Tracking.WebhookSecret
	if err := sub.Subscribe(ctx, url); err != nil {
		return "", fmt.Errorf("carrier %s: subscribe: %w", carrierCode, err)
	}
	return url, nil
}
