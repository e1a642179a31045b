package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// WriteBackQueue enqueues jobs inside a store transaction (jobs.Queue).
type WriteBackQueue interface {
	InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
}

// WriteBacks put an order's promise on the platform's order (write-back)
// for the connectors with write_back: true whose platform takes it
// (Adapter.Writer): the shop's own "order status" page then shows the
// promised days and the tracking link. As a journal handler it turns
// order.created and order.promise_changed of their orders into one job per
// order and promise version; the job makes the call, retried with River's
// backoff, and gives up on a platform that refuses it (4xx).
type WriteBacks struct {
	db       *store.DB
	jobs     WriteBackQueue
	settings config.Settings
	clock    clock.Clock
	log      *slog.Logger
	writers  map[string]Writer
}

// WriteBackParams are the collaborators of WriteBacks.
type WriteBackParams struct {
	// Jobs enqueues the write-back jobs.
	Jobs WriteBackQueue
	// Adapters builds each connector's adapter.
	Adapters AdapterFunc
}

// NewWriteBacks returns the write-backs of the connectors in settings
// that ask for it. A connector whose adapter cannot be built, or whose
// platform takes no write-back, is logged and left out.
func NewWriteBacks(d service.Deps, p WriteBackParams) *WriteBacks {
	settings, log := d.Settings, d.Log
	w := &WriteBacks{db: d.DB, jobs: p.Jobs, settings: settings, clock: d.Clock, log: log, writers: map[string]Writer{}}
	for _, c := range settings.Connectors {
		if !c.WriteBack {
			continue
		}
		a, err := p.Adapters(c)
		switch {
		case err != nil:
			log.Warn("write-back is off: the connector's adapter cannot be built", "connector", c.Name, "err", err)
		case a.Writer == nil:
			log.Warn("write-back is off: the platform takes no write-back", "connector", c.Name, "platform", c.Platform)
		default:
			w.writers[c.Name] = a.Writer
		}
	}
	return w
}

// Enabled tells whether any connector writes back.
func (w *WriteBacks) Enabled() bool { return len(w.writers) > 0 }

// WriteBackArgs is the job that writes an order's promise back to its
// platform. It is unique by its args: one write per promise version.
type WriteBackArgs struct {
	Connector string `json:"connector"`
	OrderID   int64  `json:"order_id"`
	// Version is the order's promise version the job was made for; a
	// job whose promise moved on since leaves the write to the newer one.
	Version int `json:"version"`
}

// Kind names the job.
func (WriteBackArgs) Kind() string { return "connector_write_back" }

// writeBackAttempts bounds the tries: River's backoff (attempt⁴ seconds)
// spreads twelve over about a day and a half of a platform being down.
const writeBackAttempts = 12

// InsertOpts make the job unique per order and promise version, done or
// not, so a replayed event writes nothing twice.
func (WriteBackArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: writeBackAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// HandleEvents enqueues a write-back for each new or re-promised order of
// a connector that writes back, in the journal's transaction. Imported
// history makes nothing happen.
func (w *WriteBacks) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	if len(w.writers) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, e := range events {
		if e.History || e.OrderID == 0 || seen[e.OrderID] {
			continue
		}
		switch e.Kind {
		case journal.OrderCreated:
			var p event.OrderCreatedPayload
			if err := e.Decode(&p); err != nil {
				return err
			}
			if w.writerOf(p.ExternalID) == "" {
				continue
			}
		case journal.OrderPromiseChanged:
		default:
			continue
		}
		seen[e.OrderID] = true
		ids = append(ids, e.OrderID)
	}
	var jobs []river.InsertManyParams
	for _, id := range ids {
		o, err := order.Get(ctx, tx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("write-back: %w", err)
		}
		name := w.writerOf(o.ExternalID)
		if name == "" || o.PromisedTo == "" || o.History {
			continue
		}
		jobs = append(jobs, river.InsertManyParams{Args: WriteBackArgs{Connector: name, OrderID: id, Version: o.PromiseVersion}})
	}
	return w.jobs.InsertManyTx(ctx, tx, jobs)
}

// writerOf returns the connector an external id belongs to when that
// connector writes back, else "".
func (w *WriteBacks) writerOf(ext string) string {
	name, _, ok := strings.Cut(ext, ":")
	if !ok || w.writers[name] == nil {
		return ""
	}
	return name
}

// ErrWriteBackRefused marks a write-back the platform refused (4xx):
// trying again would be refused again.
var ErrWriteBackRefused = errors.New("the platform refused the write-back")

// Write puts the order's current promise on the platform's order. It
// returns nil when there is nothing to write (the connector no longer
// writes back, the order is gone or its promise moved on since the job
// was made), and an error wrapping ErrWriteBackRefused when the platform
// refuses it.
func (w *WriteBacks) Write(ctx context.Context, a WriteBackArgs) error {
	writer := w.writers[a.Connector]
	if writer == nil {
		w.log.Info("write-back skipped: the connector no longer writes back", "connector", a.Connector, "order_id", a.OrderID)
		return nil
	}
	o, err := order.Get(ctx, w.db.Read(), a.OrderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	platformID, ok := PlatformID(a.Connector, o.ExternalID)
	if !ok || o.PromisedTo == "" || o.PromiseVersion > a.Version {
		return nil
	}
	var token string
	if err := w.db.InTx(ctx, func(tx *store.Tx) error {
		token, err = order.TrackingToken(ctx, tx, o.ID)
		return err
	}); err != nil {
		return err
	}
	p := Promise{ProductionDate: o.ProductionDate, ShipDate: o.ShipDate, DeliveryFrom: o.DeliveryFrom, DeliveryTo: o.PromisedTo,
		TrackingURL: strings.TrimSuffix(w.settings.Shop.PublicURL, "/") + "/t/" + token}
	lang := i18n.EN
	if len(w.settings.Shop.Languages) > 0 {
		lang = i18n.Pick(w.settings.Shop.Languages[0], i18n.EN)
	}
	p.Text = PromiseText(lang, p)
	log := w.log.With("connector", a.Connector, "order", o.ExternalID, "version", a.Version)
	err = writer.WriteBack(ctx, platformID, p)
	var ae *APIError
	switch {
	case err == nil:
		log.Info("promise written back to the platform")
		return nil
	case errors.As(err, &ae) && refused(ae.Status):
		log.Warn("the platform refused the write-back; not trying again", "status", ae.Status, "err", err)
		return fmt.Errorf("%w: %w", ErrWriteBackRefused, err)
	default:
		log.Warn("write-back failed; it will be tried again", "err", err)
		return fmt.Errorf("write back the promise of %s: %w", o.ExternalID, err)
	}
}

// refused tells a platform's final no (400, 401, 403, 404, 422…) from an
// answer worth another try (408 timeout, 409 edit conflict, 429 rate).
func refused(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}

// PromiseText says the promise on one line in lang, for platforms that
// take a note: "Your order: ships on Friday 4 Dec, arrives between
// Monday 7 Dec and Tuesday 8 Dec. Track it: https://…".
func PromiseText(lang i18n.Lang, p Promise) string {
	data := map[string]any{"URL": p.TrackingURL}
	var parts []string
	if d, err := calendar.ParseDay(p.ProductionDate); err == nil {
		parts = append(parts, i18n.Text(lang, "connect.writeback.made", map[string]any{"Day": i18n.FormatOnDay(lang, d)}))
	}
	if d, err := calendar.ParseDay(p.ShipDate); err == nil {
		parts = append(parts, i18n.Text(lang, "connect.writeback.ships", map[string]any{"Day": i18n.FormatOnDay(lang, d)}))
	}
	to, errTo := calendar.ParseDay(p.DeliveryTo)
	from, errFrom := calendar.ParseDay(p.DeliveryFrom)
	if errFrom != nil {
		from = to
	}
	if errTo == nil {
		parts = append(parts, i18n.Text(lang, "connect.writeback.arrives", map[string]any{"Days": i18n.FormatOnRange(lang, from, to)}))
	}
	data["Promise"] = strings.Join(parts, ", ")
	return i18n.Text(lang, "connect.writeback.text", data)
}

// Register adds the write-back's worker to the queue's workers; River
// refuses to insert a job whose worker is not registered, so the app
// calls it before it opens its queue.
func (w *WriteBacks) Register(workers *river.Workers) {
	river.AddWorker(workers, &WriteBackWorker{WriteBacks: w})
}

// WriteBackWorker runs WriteBackArgs jobs.
type WriteBackWorker struct {
	river.WorkerDefaults[WriteBackArgs]
	WriteBacks *WriteBacks
}

// Timeout leaves room for the platform's answer and its rate limit.
func (wk *WriteBackWorker) Timeout(*river.Job[WriteBackArgs]) time.Duration { return 2 * time.Minute }

// Work writes the promise back; a refusal cancels the job instead of
// retrying it to the last attempt.
func (wk *WriteBackWorker) Work(ctx context.Context, job *river.Job[WriteBackArgs]) error {
	err := wk.WriteBacks.Write(ctx, job.Args)
	if errors.Is(err, ErrWriteBackRefused) {
		return river.JobCancel(err)
	}
	return err
}
