package parcel

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// shopMorning is the start of the shop's working hours on a shop-local day.
func (s *Service) shopMorning(day time.Time) time.Time {
	loc := s.settings.Shop.Location()
	y, m, d := day.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc).Add(time.Duration(s.settings.Shop.WorkingHours.From) * time.Minute)
}

// KeptUntil is the last day a parcel that arrived at the pickup point at
// arrived is kept there by the carrier, shop-local; "" when its hold is
// not known.
func (s *Service) KeptUntil(carrierCode string, arrived time.Time) string {
	c, _ := s.settings.Carrier(carrierCode)
	if c.PickupHoldDays <= 0 {
		return ""
	}
	return arrived.In(s.settings.Shop.Location()).AddDate(0, 0, c.PickupHoldDays-1).Format(time.DateOnly)
}

// planReminders plans the carrier's pickup reminders of parcels that
// have just arrived at the pickup point, on the mornings of the days
// after arrival the settings name, in one statement.
func (s *Service) planReminders(ctx context.Context, tx *store.Tx, parcels []*tracked) error {
	var rows [][]any
	for _, p := range parcels {
		c, _ := s.settings.Carrier(p.Carrier)
		if len(c.PickupReminders) == 0 || p.ArrivedAt == nil || p.history {
			continue
		}
		for _, day := range c.PickupReminders {
			due := s.shopMorning(p.ArrivedAt.In(s.settings.Shop.Location()).AddDate(0, 0, day))
			rows = append(rows, []any{p.ID, day, c.PickupHoldDays > 0 && day == c.PickupReminders[len(c.PickupReminders)-1], due})
		}
	}
	err := store.InsertMany(ctx, tx, "pickup_reminders", []string{"parcel_id", "day", "last_day", "due_at"}, rows,
		"ON CONFLICT (parcel_id, day) DO NOTHING", nil)
	if err != nil {
		return fmt.Errorf("plan the pickup reminders of %d parcels: %w", len(parcels), err)
	}
	return nil
}

// cancelReminders cancels the reminders still planned for parcels that
// left the pickup point, in one statement.
func (s *Service) cancelReminders(ctx context.Context, tx *store.Tx, parcelIDs []int64, now time.Time) error {
	err := store.QueryIn(ctx, tx, `UPDATE pickup_reminders SET state = 'cancelled', done_at = $1
		WHERE state = 'planned' AND parcel_id IN (IN_LIST)`, []any{now}, parcelIDs, nil)
	if err != nil {
		return fmt.Errorf("cancel the pickup reminders of %d parcels: %w", len(parcelIDs), err)
	}
	return nil
}

// Reminder is a pickup reminder of a parcel.
type Reminder struct {
	Day   int
	DueAt time.Time
	State string // planned, sent, skipped, cancelled
}

// Reminders returns a parcel's pickup reminders, by day.
func Reminders(ctx context.Context, q store.Querier, parcelID int64) ([]Reminder, error) {
	var out []Reminder
	err := store.Each(ctx, q, `SELECT day, due_at, state FROM pickup_reminders WHERE parcel_id = $1 ORDER BY day`,
		[]any{parcelID}, func(r store.Rows) error {
			var m Reminder
			if err := r.Scan(&m.Day, &m.DueAt, &m.State); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("pickup reminders of parcel %d: %w", parcelID, err)
	}
	return out, nil
}

// WatchResult counts what a pass of the parcel watch did.
type WatchResult struct {
	Reminded int // parcels reminded of
	Stuck    int // parcels flagged stuck
}

// Watch sends the pickup reminders that are due (of a parcel that missed
// several, the latest only) and flags as stuck the parcels on their way
// that the carrier has said nothing about for watch.stuck_after_days.
func (s *Service) Watch(ctx context.Context) (WatchResult, error) {
	var res WatchResult
	now := s.clock.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res = WatchResult{}
		type due struct {
			id, parcelID, orderID, customerID int64
			day                               int
			pl                                event.ParcelWaitingPayload
			waiting                           bool
		}
		var list []due
		err := store.Each(ctx, tx, `SELECT r.id, r.parcel_id, r.day, p.order_id, o.customer_id, p.tracking_number, p.carrier,
			p.arrived_at, p.status FROM pickup_reminders r JOIN parcels p ON p.id = r.parcel_id JOIN orders o ON o.id = p.order_id
			WHERE r.state = 'planned' AND r.due_at <= $1 ORDER BY r.parcel_id, r.day`, []any{now}, func(r store.Rows) error {
			var d due
			var arrived *time.Time
			var st *string
			if err := r.Scan(&d.id, &d.parcelID, &d.day, &d.orderID, &d.customerID, &d.pl.TrackingNumber, &d.pl.Carrier,
				&arrived, &st); err != nil {
				return err
			}
			d.waiting = store.Text(st) == "arrived_at_pickup" && arrived != nil
			if arrived != nil {
				d.pl.KeptUntil = s.KeptUntil(d.pl.Carrier, *arrived)
			}
			d.pl.ParcelID, d.pl.Days = d.parcelID, int64(d.day)
			list = append(list, d)
			return nil
		})
		if err != nil {
			return fmt.Errorf("due pickup reminders: %w", err)
		}
		var events []journal.Event
		for i, d := range list {
			state := "skipped" // a later reminder of the same parcel is due too
			switch {
			case !d.waiting:
				state = "cancelled"
			case i+1 == len(list) || list[i+1].parcelID != d.parcelID:
				state = "sent"
				events = append(events, journal.Event{Kind: journal.ParcelWaiting, OrderID: d.orderID, CustomerID: d.customerID,
					OccurredAt: now, Payload: journal.MustPayload(d.pl)})
				res.Reminded++
			}
			if _, err := tx.Exec(ctx, `UPDATE pickup_reminders SET state = $2, done_at = $3 WHERE id = $1`, d.id, state, now); err != nil {
				return fmt.Errorf("mark pickup reminder %d: %w", d.id, err)
			}
		}

		if days := s.settings.Watch.StuckAfterDays; days > 0 {
			cutoff := now.AddDate(0, 0, -days)
			// The order is looked up by its key for each candidate parcel:
			// as "order_id IN (SELECT id FROM orders …)" SQLite listed every
			// shipped order first, 9.6 s a pass with 600,000 of them.
			err = store.Each(ctx, tx, `UPDATE parcels SET stuck_at = $1, updated_at = $1
				WHERE (status IS NULL OR status NOT IN ('delivered', 'returned', 'lost')) AND stuck_at IS NULL
				AND (status IS NULL OR status <> 'arrived_at_pickup')
				AND (last_event_at < $2 OR last_event_at IS NULL AND created_at < $2)
				AND EXISTS (SELECT 1 FROM orders o WHERE o.id = parcels.order_id AND NOT o.history
					AND o.status IN ('shipped', 'ready_for_pickup'))
				RETURNING id, order_id, tracking_number, carrier, status, last_event_at, created_at`,
				[]any{now, cutoff}, func(r store.Rows) error {
					var pl event.ParcelStuckPayload
					var orderID int64
					var st *string
					var last *time.Time
					if err := r.Scan(&pl.ParcelID, &orderID, &pl.TrackingNumber, &pl.Carrier, &st, &last, &pl.SilentSince); err != nil {
						return err
					}
					if last != nil {
						pl.SilentSince = *last
					}
					pl.Status, pl.Days = store.Text(st), int64(now.Sub(pl.SilentSince).Hours()/24)
					events = append(events, journal.Event{Kind: journal.ParcelStuck, OrderID: orderID, OccurredAt: now,
						Payload: journal.MustPayload(pl)})
					res.Stuck++
					return nil
				})
			if err != nil {
				return fmt.Errorf("stuck parcels: %w", err)
			}
		}
		return s.journal.Append(ctx, tx, events...)
	})
	if err == nil && res.Reminded+res.Stuck > 0 {
		s.log.Info("parcel watch", "reminded", res.Reminded, "stuck", res.Stuck)
	}
	return res, err
}

// WatchInterval is how often the parcel watch runs.
const WatchInterval = 5 * time.Minute

// WatchArgs is the periodic job of the parcel watch.
type WatchArgs struct{}

// Kind names the job.
func (WatchArgs) Kind() string { return "parcel_watch" }
