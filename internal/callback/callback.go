package callback

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/playbook"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// ErrTaskClosed is returned for an outcome recorded on a call-back that is
// done already (another operator, or a double submit, got there first).
var ErrTaskClosed = task.ErrClosed

// The order notes the outcomes leave, by kind.
const (
	NoteReached     = "callback_reached"
	NoteNoAnswer    = "callback_no_answer"
	NoteWrongNumber = "callback_wrong_number"
)

// The playbook rules whose e-mails the outcomes set off.
const (
	RuleMissed      = "callback_missed"
	RuleWrongNumber = "callback_wrong_number"
)

// Queue limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Service keeps the call-back queue and records the calls' outcomes.
type Service struct {
	db       *store.DB
	clock    clock.Clock
	settings config.Settings
	orders   *order.Service
	playbook *playbook.Playbook
	journal  *journal.Journal
	log      *slog.Logger
}

// Params are the collaborators of the call-back Service.
type Params struct {
	// Orders moves the orders called back.
	Orders *order.Service
	// Playbook times the retries and the e-mails.
	Playbook *playbook.Playbook
	// Journal, when set, hears of a call-back that reached nobody
	// (experience.negative, for the negative-experience register).
	Journal *journal.Journal
}

// New returns the call-back service. It moves orders through p.Orders and
// times retries and e-mails through p.Playbook.
func New(d service.Deps, p Params) *Service {
	return &Service{db: d.DB, clock: d.Clock, settings: d.Settings, orders: p.Orders, playbook: p.Playbook, journal: p.Journal, log: d.Log}
}

// Item is one call-back waiting in the queue.
type Item struct {
	TaskID       int64
	OrderID      int64
	OrderNumber  string // the shop's own number (external id)
	OrderStatus  order.Status
	PlacedAt     time.Time
	CustomerID   int64
	CustomerName string
	Phone        string // E.164, "" when unknown
	DueAt        time.Time
	// Left is the time until DueAt; negative once overdue.
	Left     time.Duration
	Overdue  bool // due before now
	Attempts int  // calls made so far, all unanswered
	// Unreadable marks a row whose stored times could not be read (a
	// year SQLite's text cannot hold): its times are zero.
	Unreadable bool
	// LocalNow is now in the customer's time zone, Zone its name.
	LocalNow time.Time
	Zone     string
}

// Queue returns the open call-backs by due time, the most urgent first: at
// most limit of them (DefaultLimit when limit is 0 or less, never more
// than MaxLimit).
func (s *Service) Queue(ctx context.Context, limit int) ([]Item, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	list, err := task.CallbackQueueList(ctx, s.db.Read(), task.CallbackQueueParams{Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("call-back queue: %w", err)
	}
	now := s.clock.Now()
	out := make([]Item, 0, limit)
	for _, r := range list {
		it := queued(r)
		loc := s.location(it.Zone)
		it.Zone = loc.String()
		it.LocalNow = now.In(loc)
		it.Left = it.DueAt.Sub(now)
		it.Overdue = it.DueAt.Before(now)
		out = append(out, it)
	}
	return out, nil
}

// queued is the Item of a queued call-back, before its times are judged.
func queued(r task.CallbackQueued) Item {
	return Item{TaskID: r.TaskID, OrderID: r.OrderID, OrderNumber: r.OrderNumber, OrderStatus: order.Status(r.OrderStatus),
		PlacedAt: r.PlacedAt, CustomerID: r.CustomerID, CustomerName: r.CustomerName, Phone: store.Text(r.Phone),
		Zone: r.Zone, DueAt: r.DueAt, Attempts: r.Attempts}
}

// Counts are the queue's figures for a badge or a live update.
type Counts struct {
	Open    int // call-backs waiting
	Overdue int // of them, due before now
}

// QueueCounts counts the open call-backs and the overdue ones; it reads
// only the open tasks' index.
func (s *Service) QueueCounts(ctx context.Context) (Counts, error) {
	open, overdue, err := task.CallbackQueueCount(ctx, s.db.Read(), s.clock.Now())
	if err != nil {
		return Counts{}, fmt.Errorf("count call-backs: %w", err)
	}
	return Counts{Open: open, Overdue: overdue}, nil
}

// Window is a delivery time window the operator offers, in the customer's
// local time.
type Window struct {
	From, To config.ClockTime
	// Code is what ReachedInput.Window takes and orders.delivery_window
	// keeps: "09:00-12:00".
	Code string
	// Label is how it reads: "09:00–12:00".
	Label string
}

// windowSpans are the delivery windows a shop offers: the day in three-hour
// spans, cut to the customer's contact hours.
var windowSpans = [][2]config.ClockTime{{9 * 60, 12 * 60}, {12 * 60, 15 * 60}, {15 * 60, 18 * 60}, {18 * 60, 21 * 60}}

// Windows returns the delivery time windows to offer: 09–12, 12–15, 15–18
// and 18–21, each cut to the shop's contact hours, and left out when less
// than an hour remains of it.
func (s *Service) Windows() []Window {
	ch := s.settings.Shop.ContactHours
	var out []Window
	for _, w := range windowSpans {
		from, to := max(w[0], ch.From), min(w[1], ch.To)
		if to-from < 60 {
			continue
		}
		out = append(out, Window{From: from, To: to, Code: from.String() + "-" + to.String(),
			Label: from.String() + "–" + to.String()})
	}
	return out
}

// window finds the offered window code names (its code or its label).
func (s *Service) window(code string) (Window, bool) {
	for _, w := range s.Windows() {
		if code == w.Code || code == w.Label {
			return w, true
		}
	}
	return Window{}, false
}

// location is the customer's time zone, else the shop's.
func (s *Service) location(zone string) *time.Location {
	return notify.Location(zone, s.settings.Shop.Location())
}

// shopLang is the language of the notes on orders: the shop's first.
func (s *Service) shopLang() i18n.Lang {
	if langs := s.settings.Shop.Languages; len(langs) > 0 {
		return i18n.Pick(langs[0], i18n.EN)
	}
	return i18n.EN
}

// callbackTask passes on a loaded task that is a call-back; another kind
// of task is not found, like a missing one.
func callbackTask(t *task.Task, err error) (*task.Task, error) {
	if err != nil {
		return nil, err
	}
	if t.Kind != task.Callback || t.OrderID == 0 {
		return nil, fmt.Errorf("call-back %d: %w", t.ID, store.ErrNotFound)
	}
	return t, nil
}
