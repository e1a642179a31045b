package parcel

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// Report is a carrier event handed to Ingest, and where it came from.
type Report struct {
	carrier.Event
	Source Source
}

// Outcome is what became of one Report.
type Outcome string

// The outcomes of Ingest.
const (
	Stored    Outcome = "stored"    // new, kept
	Duplicate Outcome = "duplicate" // kept already (a retry, a poll after a push)
	Unknown   Outcome = "unknown"   // no parcel or shipped order has the tracking number
	Invalid   Outcome = "invalid"   // no tracking number, time or a status not of carrier.Statuses
)

// Ingest takes carrier events, together with other callers' (a group
// commit), and returns one Outcome per event, in order.
func (s *Service) Ingest(ctx context.Context, reports []Report) ([]Outcome, error) {
	return s.intake.Submit(ctx, reports)
}

// Check says what is wrong with an event, naming the field; "" when it
// can be ingested. It does not look at whether the event lies in the
// future: CheckAt does.
func Check(e carrier.Event) (field, problem string) {
	return CheckAt(e, time.Time{})
}

// CheckAt is Check for an event arriving at now (the shop's clock): its
// time must lie in the calendars' years and not later than now plus
// invalid.ClockSkew, and its text must pass invalid.Text.
func CheckAt(e carrier.Event, now time.Time) (field, problem string) {
	for _, t := range []struct{ field, value string }{
		{"tracking_number", e.TrackingNumber}, {"status", string(e.Status)}, {"code", e.Code},
		{"description", e.Description}, {"location", e.Location},
	} {
		if err := invalid.Text(t.field, t.value); err != nil {
			return err.Field, err.Message
		}
	}
	if !e.At.IsZero() {
		if err := invalid.Time("at", e.At, now, true); err != nil {
			return err.Field, err.Message
		}
	}
	switch {
	case strings.TrimSpace(e.TrackingNumber) == "":
		return "tracking_number", "is required"
	case e.Status != "" && !e.Status.Valid():
		return "status", fmt.Sprintf("%q is not a parcel status; one of %s", e.Status, statusList())
	case e.Status == "" && strings.TrimSpace(e.Code) == "":
		return "status", "is required (or the carrier's code of an event that changes no status)"
	case e.At.IsZero():
		return "at", "is required"
	}
	return "", ""
}

func statusList() string {
	names := make([]string, len(carrier.Statuses))
	for i, st := range carrier.Statuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// tracked is a parcel with what Ingest needs of its order.
type tracked struct {
	Parcel
	customerID  int64
	orderStatus order.Status
	history     bool
	fresh       []*Report // its new events
}

// IngestTx stores the events inside tx: each new one is kept, the parcel
// takes the status of its latest event, a parcel that reached the pickup
// point moves its order to ready_for_pickup and plans the pickup
// reminders, and an order whose parcels are all delivered becomes
// delivered. Every status change is journaled.
func (s *Service) IngestTx(ctx context.Context, tx *store.Tx, reports []Report) ([]Outcome, error) {
	now := s.clock.Now()
	out := make([]Outcome, len(reports))
	var numbers []string
	seen := map[string]bool{}
	for i := range reports {
		r := &reports[i]
		r.TrackingNumber = strings.TrimSpace(r.TrackingNumber)
		if f, problem := CheckAt(r.Event, now); f != "" {
			s.log.Warn("carrier event refused", "tracking_number", r.TrackingNumber, "source", r.Source, "field", f, "problem", problem)
			out[i] = Invalid
			continue
		}
		r.At = r.At.Truncate(time.Second)
		if r.Code == "" {
			r.Code = string(r.Status)
		}
		if !seen[r.TrackingNumber] {
			seen[r.TrackingNumber] = true
			numbers = append(numbers, r.TrackingNumber)
		}
	}
	parcels, err := s.resolve(ctx, tx, numbers)
	if err != nil {
		return nil, err
	}

	// Keep each event once: within the batch by key, against the store by
	// its unique index.
	type key struct {
		parcel int64
		at     int64
		code   string
	}
	index := map[key]int{}
	var rows [][]any
	for i := range reports {
		r := &reports[i]
		if out[i] == Invalid {
			continue
		}
		p := parcels[r.TrackingNumber]
		if p == nil {
			out[i] = Unknown
			continue
		}
		k := key{p.ID, r.At.Unix(), r.Code}
		if _, dup := index[k]; dup {
			out[i] = Duplicate
			continue
		}
		index[k] = i
		out[i] = Duplicate // until the insert says it is new
		rows = append(rows, []any{p.ID, store.NullText(string(r.Status)), r.Code, r.Description, r.Location, r.At,
			string(r.Source), store.NullText(string(r.Raw)), now})
	}
	err = store.InsertMany(ctx, tx, "parcel_events", []string{"parcel_id", "status", "code", "description", "location",
		"at", "source", "raw", "received_at"}, rows, "ON CONFLICT (parcel_id, at, code) DO NOTHING RETURNING parcel_id, at, code",
		func(row store.Rows) error {
			var k key
			var at time.Time
			if err := row.Scan(&k.parcel, &at, &k.code); err != nil {
				return err
			}
			k.at = at.Unix()
			if i, ok := index[k]; ok {
				out[i] = Stored
				r := &reports[i]
				p := parcels[r.TrackingNumber]
				p.fresh = append(p.fresh, r)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store %d parcel events: %w", len(rows), err)
	}
	for _, number := range numbers {
		if p := parcels[number]; p != nil && len(p.fresh) > 0 {
			if err := s.advance(ctx, tx, p, now); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// resolve finds the parcels of the tracking numbers; a number that is no
// parcel yet but an order's (shipped before its parcel was recorded) gets
// its parcel now.
func (s *Service) resolve(ctx context.Context, tx *store.Tx, numbers []string) (map[string]*tracked, error) {
	parcels := make(map[string]*tracked, len(numbers))
	err := store.QueryIn(ctx, tx, `SELECT `+parcelColumns+`, o.customer_id, o.status, o.history
		FROM parcels p JOIN orders o ON o.id = p.order_id WHERE p.tracking_number IN (IN_LIST)`, nil, numbers,
		func(r store.Rows) error {
			t := &tracked{}
			var st *string
			if err := r.Scan(&t.ID, &t.OrderID, &t.Carrier, &t.TrackingNumber, &st, &t.StatusAt, &t.LastEventAt,
				&t.ArrivedAt, &t.DeliveredAt, &t.NextPollAt, &t.PollError, &t.StuckAt, &t.CreatedAt,
				&t.customerID, &t.orderStatus, &t.history); err != nil {
				return err
			}
			t.Status = carrier.Status(store.Text(st))
			parcels[t.TrackingNumber] = t
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find parcels: %w", err)
	}
	var missing []string
	for _, n := range numbers {
		if parcels[n] == nil {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return parcels, nil
	}
	type shipped struct {
		id, customerID int64
		carrier        string
		status         order.Status
		history        bool
	}
	var found []shipped
	var foundNumbers []string
	err = order.EachByTrackingNumber(ctx, tx, missing, func(t order.Tracked) error {
		o := shipped{id: t.ID, customerID: t.CustomerID, carrier: t.Carrier, status: t.Status, history: t.History}
		found, foundNumbers = append(found, o), append(foundNumbers, t.TrackingNumber)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find orders by tracking number: %w", err)
	}
	for i, o := range found {
		p, _, err := s.AddTx(ctx, tx, o.id, o.carrier, foundNumbers[i])
		var conflict *ConflictError
		if errors.As(err, &conflict) {
			continue // two orders gave the number; the parcel's order has it
		}
		if err != nil {
			return nil, err
		}
		parcels[p.TrackingNumber] = &tracked{Parcel: p, customerID: o.customerID, orderStatus: o.status, history: o.history}
	}
	return parcels, nil
}

// advance applies a parcel's new events: its status, its signs of life,
// and what they mean for its order.
func (s *Service) advance(ctx context.Context, tx *store.Tx, p *tracked, now time.Time) error {
	var latest *Report
	last := p.LastEventAt
	for _, r := range p.fresh {
		if last == nil || r.At.After(*last) {
			at := r.At
			last = &at
		}
		if r.Status == "" {
			continue
		}
		if latest == nil || !r.At.Before(latest.At) {
			latest = r
		}
	}
	from := p.Status
	moved := latest != nil && (p.StatusAt == nil || !latest.At.Before(*p.StatusAt)) && latest.Status != p.Status
	if moved {
		p.Status, p.StatusAt = latest.Status, &latest.At
		switch latest.Status {
		case carrier.ArrivedAtPickup:
			if p.ArrivedAt == nil {
				p.ArrivedAt = &latest.At
			}
		case carrier.Delivered:
			p.DeliveredAt = &latest.At
		}
	}
	next := p.NextPollAt
	if moved || p.StuckAt != nil {
		next = s.nextPoll(p.Carrier, p.Status, now)
	}
	_, err := tx.Exec(ctx, `UPDATE parcels SET status = $2, status_at = $3, last_event_at = $4, arrived_at = $5,
		delivered_at = $6, next_poll_at = $7, stuck_at = NULL, updated_at = $8 WHERE id = $1`,
		p.ID, store.NullText(string(p.Status)), p.StatusAt, last, p.ArrivedAt, p.DeliveredAt, next, now)
	if err != nil {
		return fmt.Errorf("update parcel %s: %w", p.TrackingNumber, err)
	}
	p.LastEventAt, p.NextPollAt, p.StuckAt = last, next, nil
	if !moved {
		return nil
	}
	err = s.journal.Append(ctx, tx, journal.Event{Kind: journal.ParcelStatusChanged, OrderID: p.OrderID, CustomerID: p.customerID,
		History: p.history, OccurredAt: latest.At, Payload: journal.MustPayload(event.ParcelStatusChangedPayload{
			ParcelID: p.ID, TrackingNumber: p.TrackingNumber, Carrier: p.Carrier, From: string(from), To: string(p.Status), At: latest.At,
			Code: latest.Code, Description: latest.Description, Location: latest.Location})})
	if err != nil {
		return err
	}
	switch p.Status {
	case carrier.ArrivedAtPickup:
		if err := s.planReminders(ctx, tx, p); err != nil {
			return err
		}
		return s.moveOrder(ctx, tx, p, order.ReadyForPickup, latest.At)
	case carrier.Delivered:
		if err := s.cancelReminders(ctx, tx, p, now); err != nil {
			return err
		}
		var open int64
		err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM parcels WHERE order_id = $1 AND (status IS NULL OR status <> 'delivered')`,
			p.OrderID).Scan(&open)
		if err != nil || open > 0 {
			return err
		}
		// The parcels turned up: nobody need look for them any more.
		if _, err := task.CloseOpen(ctx, tx, p.OrderID, task.FindParcel, task.Resolved, "carrier", now); err != nil {
			return err
		}
		return s.moveOrder(ctx, tx, p, order.Delivered, latest.At)
	default:
		return s.cancelReminders(ctx, tx, p, now)
	}
}

// moveOrder moves the parcel's order on, when its lifecycle allows: an
// order delivered or closed already stays as it is.
func (s *Service) moveOrder(ctx context.Context, tx *store.Tx, p *tracked, to order.Status, at time.Time) error {
	if p.history || !order.CanMove(p.orderStatus, to) {
		return nil
	}
	if to == order.ReadyForPickup && p.orderStatus != order.Shipped {
		return nil // not shipped by the shop's word yet, or beyond pickup
	}
	_, err := s.orders.ChangeStatusTx(ctx, tx, p.OrderID, order.StatusUpdate{Status: to, At: at, Source: order.SourceCarrier})
	var te *order.TransitionError
	if errors.As(err, &te) {
		return nil
	}
	if err == nil {
		p.orderStatus = to
	}
	return err
}

// pollIntervals say how soon a parcel's carrier is asked again, by the
// parcel's stage: often when something happens today, seldom while it
// travels or waits.
var pollIntervals = map[carrier.Status]time.Duration{
	"":                      2 * time.Hour,
	carrier.Accepted:        6 * time.Hour,
	carrier.InTransit:       6 * time.Hour,
	carrier.Customs:         12 * time.Hour,
	carrier.ArrivedAtPickup: 12 * time.Hour,
	carrier.OutForDelivery:  time.Hour,
	carrier.FailedAttempt:   3 * time.Hour,
	carrier.Returning:       24 * time.Hour,
}

// nextPoll is when the carrier's API is next asked about a parcel in
// status st; nil when it is not polled (no API, or nothing more to learn).
func (s *Service) nextPoll(carrierCode string, st carrier.Status, now time.Time) *time.Time {
	if s.trackers[carrierCode] == nil || st.Final() {
		return nil
	}
	at := now.Add(pollIntervals[st])
	return &at
}
