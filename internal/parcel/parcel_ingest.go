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
	// Set by settle: the event that changed the status (nil when it did
	// not change) and the status before it.
	latest *Report
	from   carrier.Status
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
	var batch []*tracked
	for _, number := range numbers {
		if p := parcels[number]; p != nil && len(p.fresh) > 0 {
			batch = append(batch, p)
		}
	}
	if err := s.advance(ctx, tx, batch, now); err != nil {
		return nil, err
	}
	return out, nil
}

// resolve finds the parcels of the tracking numbers; a number that is no
// parcel yet but an order's (shipped before its parcel was recorded) gets
// its parcel now.
//
// On PostgreSQL the parcels are locked as they are read, in the order of
// their ids: several committers take batches at once, and a batch works
// out each parcel's new state from what it read here, so a parcel in two
// batches must be read by the second only after the first has committed
// (else the second writes back a state that misses the first's events),
// and two batches must take their parcels in the same order (else each
// waits for the other's). FOR NO KEY UPDATE is the lock the UPDATE takes:
// it leaves alone the key-share locks of the events inserted beside it.
func (s *Service) resolve(ctx context.Context, tx *store.Tx, numbers []string) (map[string]*tracked, error) {
	lock := ""
	if s.db.Engine() == store.Postgres {
		lock = " ORDER BY p.id FOR NO KEY UPDATE OF p"
	}
	parcels := make(map[string]*tracked, len(numbers))
	err := store.QueryIn(ctx, tx, `SELECT `+parcelColumns+`, o.customer_id, o.status, o.history
		FROM parcels p JOIN orders o ON o.id = p.order_id WHERE p.tracking_number IN (IN_LIST)`+lock, nil, numbers,
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

// settle works out a parcel's state after its new events: its status,
// its signs of life; moved tells whether its status changed, and from what.
func (s *Service) settle(p *tracked, now time.Time) {
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
	p.from = p.Status
	p.latest = nil
	if latest != nil && (p.StatusAt == nil || !latest.At.Before(*p.StatusAt)) && latest.Status != p.Status {
		p.latest = latest
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
	if p.latest != nil || p.StuckAt != nil {
		next = s.nextPoll(p.Carrier, p.Status, now)
	}
	p.LastEventAt, p.NextPollAt, p.StuckAt = last, next, nil
}

// advance applies the new events of a batch's parcels, set-based: their
// states in one statement (one a parcel on SQLite, where a statement is a
// call in process), their status changes in one journal append, the
// pickup reminders planned and cancelled in one statement each, the
// delivered orders' open parcels counted in one query, the orders moved
// on in one call (order.ChangeStatusManyTx), as one call a parcel in the
// batch's order would.
func (s *Service) advance(ctx context.Context, tx *store.Tx, batch []*tracked, now time.Time) error {
	if len(batch) == 0 {
		return nil
	}
	for _, p := range batch {
		s.settle(p, now)
	}
	if err := s.updateParcels(ctx, tx, batch, now); err != nil {
		return err
	}
	var (
		events    []journal.Event
		arrived   []*tracked
		cancel    []int64
		delivered []int64
		seen      = map[int64]bool{}
	)
	for _, p := range batch {
		latest := p.latest
		if latest == nil {
			continue
		}
		events = append(events, journal.Event{Kind: journal.ParcelStatusChanged, OrderID: p.OrderID, CustomerID: p.customerID,
			History: p.history, OccurredAt: latest.At, Payload: journal.MustPayload(event.ParcelStatusChangedPayload{
				ParcelID: p.ID, TrackingNumber: p.TrackingNumber, Carrier: p.Carrier, From: string(p.from), To: string(p.Status), At: latest.At,
				Code: latest.Code, Description: latest.Description, Location: latest.Location})})
		switch {
		case p.Status == carrier.ArrivedAtPickup:
			arrived = append(arrived, p)
		case p.ArrivedAt != nil:
			// A parcel that never reached a pickup point has no reminders
			// (they are planned on arrival, and arrived_at is never
			// cleared), so most skip the statement.
			cancel = append(cancel, p.ID)
		}
		if p.Status == carrier.Delivered && !seen[p.OrderID] {
			seen[p.OrderID] = true
			delivered = append(delivered, p.OrderID)
		}
	}
	if err := s.journal.Append(ctx, tx, events...); err != nil {
		return err
	}
	if err := s.planReminders(ctx, tx, arrived); err != nil {
		return err
	}
	if err := s.cancelReminders(ctx, tx, cancel, now); err != nil {
		return err
	}
	open := map[int64]int64{}
	err := store.QueryIn(ctx, tx, `SELECT order_id, COUNT(*) FROM parcels WHERE order_id IN (IN_LIST)
		AND (status IS NULL OR status <> 'delivered') GROUP BY order_id`, nil, delivered, func(r store.Rows) error {
		var id, n int64
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		open[id] = n
		return nil
	})
	if err != nil {
		return fmt.Errorf("count the open parcels of %d orders: %w", len(delivered), err)
	}
	// The orders' moves, in the batch's order, in one call; a delivered
	// order's parcels turned up, so nobody need look for them any more
	// (its find-parcel tasks closed in one statement).
	var moves []order.StatusMove
	var movers []*tracked
	var found []int64
	done := map[int64]bool{}
	for _, p := range batch {
		if p.latest == nil {
			continue
		}
		var to order.Status
		switch p.Status {
		case carrier.ArrivedAtPickup:
			to = order.ReadyForPickup
		case carrier.Delivered:
			if open[p.OrderID] > 0 || done[p.OrderID] {
				continue
			}
			done[p.OrderID] = true
			found = append(found, p.OrderID)
			to = order.Delivered
		default:
			continue
		}
		if mayMove(p, to) {
			moves = append(moves, order.StatusMove{OrderID: p.OrderID,
				StatusUpdate: order.StatusUpdate{Status: to, At: p.latest.At, Source: order.SourceCarrier}})
			movers = append(movers, p)
		}
	}
	if _, err := task.CloseOpenMany(ctx, tx, found, task.FindParcel, task.Resolved, "carrier", now); err != nil {
		return err
	}
	if len(moves) == 0 {
		return nil
	}
	moved, err := s.orders.ChangeStatusManyTx(ctx, tx, moves)
	if err != nil {
		return err
	}
	for i, m := range moved {
		if m.Changed {
			movers[i].orderStatus = moves[i].Status
		}
	}
	return nil
}

// updateParcels writes the settled state of the batch's parcels. On
// PostgreSQL one statement over arrays of the new values saves a round
// trip a parcel; SQLite runs the prepared statement once a parcel.
func (s *Service) updateParcels(ctx context.Context, tx *store.Tx, batch []*tracked, now time.Time) error {
	if s.db.Engine() != store.Postgres || len(batch) == 1 {
		for _, p := range batch {
			_, err := tx.Exec(ctx, `UPDATE parcels SET status = $2, status_at = $3, last_event_at = $4, arrived_at = $5,
				delivered_at = $6, next_poll_at = $7, stuck_at = NULL, updated_at = $8 WHERE id = $1`,
				p.ID, store.NullText(string(p.Status)), p.StatusAt, p.LastEventAt, p.ArrivedAt, p.DeliveredAt, p.NextPollAt, now)
			if err != nil {
				return fmt.Errorf("update parcel %s: %w", p.TrackingNumber, err)
			}
		}
		return nil
	}
	n := len(batch)
	ids := make([]int64, n)
	statuses := make([]*string, n)
	statusAt, lastAt, arrivedAt, deliveredAt, nextPoll := make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n),
		make([]*time.Time, n), make([]*time.Time, n)
	for i, p := range batch {
		ids[i], statuses[i] = p.ID, store.NullText(string(p.Status))
		statusAt[i], lastAt[i], arrivedAt[i], deliveredAt[i], nextPoll[i] = p.StatusAt, p.LastEventAt, p.ArrivedAt, p.DeliveredAt, p.NextPollAt
	}
	_, err := tx.Exec(ctx, `UPDATE parcels AS p SET status = v.status, status_at = v.status_at, last_event_at = v.last_event_at,
		arrived_at = v.arrived_at, delivered_at = v.delivered_at, next_poll_at = v.next_poll_at, stuck_at = NULL, updated_at = $8
		FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
		AS v (id, status, status_at, last_event_at, arrived_at, delivered_at, next_poll_at) WHERE p.id = v.id`,
		ids, statuses, statusAt, lastAt, arrivedAt, deliveredAt, nextPoll, now)
	if err != nil {
		return fmt.Errorf("update %d parcels: %w", n, err)
	}
	return nil
}

// mayMove tells whether the parcel may move its order on to to, as far
// as the parcel knows the order: an order delivered or closed already
// stays as it is, and only a shipped one becomes ready for pickup. The
// order's lifecycle has the last word (ChangeStatusManyTx).
func mayMove(p *tracked, to order.Status) bool {
	if p.history || !order.CanMove(p.orderStatus, to) {
		return false
	}
	return to != order.ReadyForPickup || p.orderStatus == order.Shipped
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
