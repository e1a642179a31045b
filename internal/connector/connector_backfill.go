package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Backfiller reads a connected shop's history from its platform's API and
// stores it as past orders, the way the CSV import does: nobody is
// messaged. It goes page by page, holding at most the page being stored
// and the next one being fetched, whatever the size of the shop; each
// page's orders and the cursor after it commit in one transaction
// (connector_backfills), so a run stopped anywhere resumes at the page it
// reached and stores nothing twice.
type Backfiller struct {
	db       *store.DB
	orders   *order.Service
	settings config.Settings
	clock    clock.Clock
	log      *slog.Logger
}

// BackfillParams are the collaborators of a Backfiller.
type BackfillParams struct {
	// Orders stores the orders read.
	Orders *order.Service
}

// NewBackfiller returns a Backfiller storing orders through p.Orders in
// d.DB, reading dates by the shop's settings.
func NewBackfiller(d service.Deps, p BackfillParams) *Backfiller {
	return &Backfiller{db: d.DB, orders: p.Orders, settings: d.Settings, clock: d.Clock, log: d.Log}
}

// BackfillOptions tune a backfill.
type BackfillOptions struct {
	// Since is the first day (YYYY-MM-DD, the shop's time zone) whose
	// orders are read; "" reads the whole history.
	Since string
	// Restart starts over even when a backfill of the same Since
	// finished or stopped half-way.
	Restart bool
	// Progress, when set, is called after each page is stored, with the
	// backfill as it stands.
	Progress func(BackfillState)
	// Rejected, when set, is called for each order that cannot be
	// stored, with its external id and the reason (naming the field).
	Rejected func(externalID string, reason error)
}

// BackfillResult says what a run did.
type BackfillResult struct {
	// State is the backfill as the run left it.
	State BackfillState
	// AlreadyDone: a backfill of the same Since had finished; nothing
	// was read (run with Restart to read again).
	AlreadyDone bool
	// Resumed: the run continued one stopped half-way, at its cursor.
	Resumed bool
	// Replaced is the Since of an unfinished backfill this run started
	// over from the beginning because Since differs ("" for none).
	Replaced *string
	// Pages, Stored, Existing and Rejected count this run alone.
	Pages, Stored, Existing, Rejected int64
}

// ErrBackfillBusy reports a backfill of the connector running elsewhere:
// the cursor moved under this one.
var ErrBackfillBusy = errors.New("another backfill of this connector is running")

// errCursorLoop stops a platform that hands back the cursor it was asked
// with, which would read the same page forever.
var errCursorLoop = errors.New("the platform's next page is the page just read")

// Run backfills connector c from api. An error means the run stopped: the
// pages stored before it stay stored and the next run resumes after them;
// the error is also recorded on the backfill (last_error).
func (b *Backfiller) Run(ctx context.Context, c config.Connector, api API, opts BackfillOptions) (BackfillResult, error) {
	var res BackfillResult
	var since time.Time
	if opts.Since != "" {
		d, err := time.ParseInLocation(time.DateOnly, opts.Since, b.settings.Shop.Location())
		if err != nil {
			return res, fmt.Errorf("since: %q is not a date like 2025-01-31", opts.Since)
		}
		since = d
	}
	st, err := b.begin(ctx, c.Name, opts, &res)
	if err != nil || res.AlreadyDone {
		res.State = st
		return res, err
	}
	err = b.pages(ctx, c, api, since, &st, opts, &res)
	res.State = st
	if err != nil {
		if errors.Is(err, ErrBackfillBusy) {
			return res, fmt.Errorf("backfill %s after page %d: %w", c.Name, st.Pages, err) // the other run's row
		}
		if rerr := b.recordError(c.Name, err); rerr != nil {
			b.log.Error("record the backfill's error", "connector", c.Name, "err", rerr)
		}
		return res, fmt.Errorf("backfill %s after page %d: %w", c.Name, st.Pages, err)
	}
	return res, nil
}

// begin finds where to start: the saved cursor of an unfinished backfill
// of the same Since, or a fresh row.
func (b *Backfiller) begin(ctx context.Context, name string, opts BackfillOptions, res *BackfillResult) (BackfillState, error) {
	st, err := BackfillGet(ctx, b.db.Read(), name)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return st, err
	case opts.Restart:
	case st.Since != opts.Since:
		if st.FinishedAt == nil {
			since := st.Since
			res.Replaced = &since
		}
	case st.FinishedAt != nil:
		res.AlreadyDone = true
		return st, nil
	default:
		res.Resumed = st.Pages > 0 || st.Cursor != ""
		return st, nil
	}
	now := b.clock.Now()
	st = BackfillState{Connector: name, Since: opts.Since, Total: -1, StartedAt: now, UpdatedAt: now}
	err = b.db.InTx(ctx, func(tx *store.Tx) error { return backfillReset(ctx, tx, st) })
	return st, err
}

// fetched is a page on its way from the platform.
type fetched struct {
	page   Page
	cursor string // the cursor it was asked with
	err    error
}

// pages reads the pages after st's cursor and stores each. The next page
// is fetched while this one is stored: the platform's answer time and the
// database's then overlap.
func (b *Backfiller) pages(ctx context.Context, c config.Connector, api API, since time.Time, st *BackfillState, opts BackfillOptions, res *BackfillResult) error {
	fctx, cancel := context.WithCancel(ctx)
	ch := make(chan fetched, 1)
	go func() {
		defer close(ch)
		cursor := st.Cursor
		for {
			p, err := api.Orders(fctx, Query{Since: since, Cursor: cursor})
			if err == nil && p.Next != "" && p.Next == cursor {
				err = errCursorLoop
			}
			select {
			case ch <- fetched{page: p, cursor: cursor, err: err}:
			case <-fctx.Done():
				return
			}
			if err != nil || p.Next == "" {
				return
			}
			cursor = p.Next
		}
	}()
	defer func() {
		cancel()
		for range ch { // let the fetcher end
		}
	}()
	for f := range ch {
		if f.err != nil {
			return fmt.Errorf("read the platform's orders: %w", f.err)
		}
		if err := b.store(ctx, c, f, st, opts, res); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(*st)
		}
	}
	return ctx.Err()
}

// store writes one page's orders and the cursor after it in one
// transaction.
func (b *Backfiller) store(ctx context.Context, c config.Connector, f fetched, st *BackfillState, opts BackfillOptions, res *BackfillResult) error {
	now := b.clock.Now()
	batch := make([]order.NewOrder, 0, len(f.page.Orders))
	var rejected int64
	for _, o := range f.page.Orders {
		n := HistoryOrder(c, b.settings, o)
		if err := historyCheck(&n, o, b.settings, now); err != nil {
			rejected++
			b.log.Warn("backfill: an order cannot be stored", "connector", c.Name, "order", n.ExternalID, "err", err)
			if opts.Rejected != nil {
				opts.Rejected(n.ExternalID, err)
			}
			continue
		}
		batch = append(batch, n)
	}
	next := *st
	next.Cursor, next.Pages, next.UpdatedAt, next.LastError = f.page.Next, st.Pages+1, now, ""
	next.Rejected += rejected
	if f.page.Total >= 0 {
		next.Total = int64(f.page.Total)
	}
	if f.page.Next == "" {
		next.FinishedAt = &now
	}
	var stored, existing int64
	err := b.db.InTx(ctx, func(tx *store.Tx) error {
		stored, existing = 0, 0
		if len(batch) > 0 {
			results, err := b.orders.CreateBatch(ctx, tx, batch, order.SourceImport)
			if err != nil {
				return err
			}
			for _, r := range results {
				if r.Created {
					stored++
				} else {
					existing++
				}
			}
		}
		upd := next
		upd.Stored, upd.Existing = st.Stored+stored, st.Existing+existing
		return backfillAdvance(ctx, tx, f.cursor, upd)
	})
	if err != nil {
		return fmt.Errorf("store page %d: %w", next.Pages, err)
	}
	next.Stored, next.Existing = st.Stored+stored, st.Existing+existing
	*st = next
	res.Pages++
	res.Stored += stored
	res.Existing += existing
	res.Rejected += rejected
	// Refresh the planner's statistics as the tables grow tenfold, as
	// the CSV import does, so lookups keep their indexes.
	if p := res.Pages; p == 1 || p == 10 || p == 100 || p == 1000 {
		if err := b.db.Analyze(ctx); err != nil {
			return fmt.Errorf("refresh statistics: %w", err)
		}
	}
	return nil
}

// historyCheck normalizes a platform's order for storing, naming the
// field of what is wrong.
func historyCheck(n *order.NewOrder, o Order, s config.Settings, now time.Time) error {
	if strings.TrimSpace(o.ID) == "" {
		return invalid.List{{Field: "id", Code: "required", Message: "is required"}}
	}
	_, err := Normalize(n, s, historyFields, now)
	return err
}

// recordError keeps the error that stopped a run on its backfill, even
// when the run stopped because its context ended.
func (b *Backfiller) recordError(name string, cause error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := cause.Error()
	if errors.Is(cause, context.Canceled) {
		msg = "interrupted"
	}
	return b.db.InTx(ctx, func(tx *store.Tx) error {
		return backfillSetError(ctx, tx, name, msg, b.clock.Now())
	})
}
