package promise

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// ShopDays is a span of the shop's own days off (or, when Working, extra
// working days) on top of its country's calendar.
type ShopDays struct {
	ID      int64        `json:"id"`
	From    calendar.Day `json:"from"`
	To      calendar.Day `json:"to"`
	Working bool         `json:"working"`
	Reason  string       `json:"reason"`
	// Source is "settings" for spans from the settings file, "api" for
	// spans added while running.
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
}

// Sources of shop days.
const (
	SourceSettings = "settings"
	SourceAPI      = "api"
)

// JobInserter enqueues jobs inside a transaction.
type JobInserter interface {
	InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// Service keeps the shop's Engine current with its days off, and the
// history of every order's promise.
type Service struct {
	db       *store.DB
	settings config.Settings
	clock    clock.Clock
	jobs     JobInserter
	log      *slog.Logger
	notices  *notice.Board
	skipped  sync.Map // keys of the stored spans skipped, logged once

	mu      sync.Mutex // serialises rebuilds
	engine  atomic.Pointer[Engine]
	current atomic.Value // string fingerprint of the days the engine has
}

// Params are the collaborators of a promise Service.
type Params struct {
	// Jobs enqueues the recomputations a new day off sets off.
	Jobs JobInserter
	// Notices, which may be nil, take the stored spans skipped.
	Notices *notice.Board
}

// NewService loads the shop's days and compiles the first Engine. A
// stored span that no longer validates (out of the calendars' years,
// backwards, too long) is skipped, logged and raised on p.Notices (which
// may be nil) instead of failing: it never stops the shop from starting.
func NewService(ctx context.Context, d service.Deps, p Params) (*Service, error) {
	s, log := d.Settings, d.Log
	svc := &Service{db: d.DB, settings: s, clock: d.Clock, jobs: p.Jobs, log: log, notices: p.Notices}
	if !calendar.Supported(s.Shop.Country) {
		log.Warn("no business calendar for the shop's country: only Saturdays and Sundays are days off; list public holidays under shop.days_off",
			"country", s.Shop.Country, "supported", strings.Join(calendar.Countries(), ", "))
	}
	if err := svc.Reload(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}

// Engine returns the current engine. Hold on to it for one computation
// only: a new day off replaces it.
func (s *Service) Engine() *Engine { return s.engine.Load() }

// Today returns the shop-local day now.
func (s *Service) Today() calendar.Day {
	return calendar.DayOf(s.clock.Now().In(s.settings.Shop.Location()))
}

// Reload rebuilds the engine when the stored days changed since the last
// build (another node may have added one).
func (s *Service) Reload(ctx context.Context) error {
	days, err := s.Days(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	print := fingerprint(days)
	if cur, _ := s.current.Load().(string); cur == print && s.engine.Load() != nil {
		return nil
	}
	overrides := make([]calendar.Override, len(days))
	for i, d := range days {
		overrides[i] = d.override()
	}
	e, err := NewEngine(s.settings, overrides)
	if err != nil {
		return err
	}
	s.engine.Store(e)
	s.current.Store(print)
	return nil
}

func fingerprint(days []ShopDays) string {
	var b strings.Builder
	for _, d := range days {
		fmt.Fprintf(&b, "%d:%d:%d:%t:%s;", d.ID, d.From, d.To, d.Working, d.Reason)
	}
	return b.String()
}

// NoticeSkipped is the i18n id of the notice about a stored span of shop
// days that was skipped.
const NoticeSkipped = "input.notice.shop_day_skipped"

// skip leaves a stored span out of the calendar: logged with its key and
// raised for the owner.
func (s *Service) skip(id int64, from, to, problem string) {
	key := fmt.Sprintf("shop_day.%d", id)
	if _, seen := s.skipped.LoadOrStore(key, true); seen {
		return
	}
	s.log.Warn("shop days skipped: they no longer validate", "key", key, "from", from, "to", to, "problem", problem)
	if s.notices != nil {
		s.notices.Add(notice.Notice{Key: key, Message: NoticeSkipped,
			Args: map[string]any{"ID": id, "From": from, "To": to, "Problem": problem}})
	}
}

// Days lists the shop's own days, earliest first. A stored span that no
// longer validates is left out (and raised as a notice).
func (s *Service) Days(ctx context.Context) ([]ShopDays, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT id, day_from, day_to, working, reason, source, created_at
		FROM shop_days ORDER BY day_from, id`)
	if err != nil {
		return nil, fmt.Errorf("list shop days: %w", err)
	}
	defer rows.Close()
	var days []ShopDays
	for rows.Next() {
		var d ShopDays
		var from, to string
		if err := rows.Scan(&d.ID, &from, &to, &d.Working, &d.Reason, &d.Source, &d.CreatedAt); err != nil {
			return nil, err
		}
		var errFrom, errTo error
		d.From, errFrom = calendar.ParseDay(from)
		d.To, errTo = calendar.ParseDay(to)
		if err := errors.Join(errFrom, errTo); err != nil {
			s.skip(d.ID, from, to, err.Error())
			continue
		}
		if e := d.override().Check(""); e != nil {
			s.skip(d.ID, from, to, e.Message)
			continue
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

func (d ShopDays) override() calendar.Override {
	return calendar.Override{From: d.From, To: d.To, Working: d.Working, Reason: d.Reason}
}

// Validate checks a span of shop days, naming fields by prefix: by the
// same rules the calendar applies to it (calendar.Override.Check), so a
// span stored is a span the calendar takes.
func (d *ShopDays) Validate(prefix string) error {
	var errs invalid.List
	d.Reason = strings.TrimSpace(d.Reason)
	switch {
	case d.From == 0:
		errs.Add(prefix+"from", "required", "is required, like 2026-12-28")
	case d.To == 0:
		d.To = d.From
	}
	for _, f := range []struct {
		field string
		day   calendar.Day
	}{{"from", d.From}, {"to", d.To}} {
		if f.day != 0 && !calendar.Covers(f.day) {
			errs.Add(prefix+f.field, "out_of_range", "%s is outside %s…%s", f.day, calendar.FirstDay, calendar.LastDay)
		}
	}
	if d.To < d.From {
		errs.Add(prefix+"to", "invalid", "%s is before from %s", d.To, d.From)
	} else if int64(d.To)-int64(d.From)+1 > 366 {
		errs.Add(prefix+"to", "invalid", "a span may be at most a year long")
	}
	errs.CheckText(prefix+"reason", d.Reason)
	if len(errs) == 0 {
		if e := d.override().Check(prefix + "from"); e != nil {
			errs = append(errs, e)
		}
	}
	return errs.Err()
}

// ErrDaysExist reports a span that is stored already.
var ErrDaysExist = errors.New("these days are set already")

// AddDays stores a span of the shop's days, rebuilds the engine and, for
// days off, re-computes the promises of open orders they move.
func (s *Service) AddDays(ctx context.Context, d ShopDays) (ShopDays, error) {
	if err := d.Validate(""); err != nil {
		return ShopDays{}, err
	}
	if d.Source == "" {
		d.Source = SourceAPI
	}
	d.CreatedAt = s.clock.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO shop_days (day_from, day_to, working, reason, source, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			d.From.String(), d.To.String(), d.Working, d.Reason, d.Source, d.CreatedAt).Scan(&d.ID)
		if errors.Is(err, store.ErrConflict) {
			return ErrDaysExist
		}
		if err != nil {
			return fmt.Errorf("add shop days: %w", err)
		}
		return s.enqueueRecompute(ctx, tx, d)
	})
	if err != nil {
		return ShopDays{}, err
	}
	return d, s.Reload(ctx)
}

// RemoveDays deletes a span of shop days. Promises already moved by it stay
// as they are: a promise is never pulled in.
func (s *Service) RemoveDays(ctx context.Context, id int64) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `DELETE FROM shop_days WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("remove shop days %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("shop days %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return err
	}
	key := fmt.Sprintf("shop_day.%d", id)
	s.skipped.Delete(key)
	if s.notices != nil {
		s.notices.Clear(key) // a skipped span removed: its notice goes with it
	}
	return s.Reload(ctx)
}

// SyncSettings makes the stored days from the settings file match the
// file: new spans are added (re-computing the promises they move), spans
// no longer in the file are removed. It runs at start.
func (s *Service) SyncSettings(ctx context.Context) error {
	want := map[[3]string]ShopDays{}
	add := func(list []config.Days, working bool) {
		for _, c := range list {
			from, _ := calendar.ParseDay(c.From)
			to, _ := calendar.ParseDay(c.To)
			d := ShopDays{From: from, To: to, Working: working, Reason: c.Reason, Source: SourceSettings}
			want[d.key()] = d
		}
	}
	add(s.settings.Shop.DaysOff, false)
	add(s.settings.Shop.WorkingDays, true)
	have, err := s.Days(ctx)
	if err != nil {
		return err
	}
	var stale []int64
	for _, d := range have {
		if _, ok := want[d.key()]; ok {
			delete(want, d.key())
			continue
		}
		if d.Source == SourceSettings {
			stale = append(stale, d.ID)
		}
	}
	for _, id := range stale {
		if err := s.RemoveDays(ctx, id); err != nil {
			return err
		}
	}
	fresh := make([]ShopDays, 0, len(want))
	for _, d := range want {
		fresh = append(fresh, d)
	}
	slices.SortFunc(fresh, func(a, b ShopDays) int { return int(a.From - b.From) })
	for _, d := range fresh {
		_, err := s.AddDays(ctx, d)
		if _, bad := invalid.First(err); bad {
			key := fmt.Sprintf("shop_day.settings.%s", d.From)
			s.log.Warn("shop days in the settings skipped: they do not validate", "key", key, "from", d.From, "to", d.To, "err", err)
			if s.notices != nil {
				s.notices.Add(notice.Notice{Key: key, Message: NoticeSkipped,
					Args: map[string]any{"ID": "settings", "From": d.From.String(), "To": d.To.String(), "Problem": err.Error()}})
			}
			continue
		}
		if err != nil && !errors.Is(err, ErrDaysExist) {
			return err
		}
		s.log.Info("shop days from settings", "from", d.From, "to", d.To, "working", d.Working, "reason", d.Reason)
	}
	return s.Reload(ctx)
}

func (d ShopDays) key() [3]string {
	return [3]string{d.From.String(), d.To.String(), fmt.Sprint(d.Working)}
}

// RecomputeArgs is the job that re-computes the promises of open orders a
// new shop day off may move.
type RecomputeArgs struct {
	From   calendar.Day `json:"from"`
	To     calendar.Day `json:"to"`
	Reason string       `json:"reason"`
}

// Kind names the job.
func (RecomputeArgs) Kind() string { return "promise_recompute" }

func (s *Service) enqueueRecompute(ctx context.Context, tx *store.Tx, d ShopDays) error {
	if d.Working {
		return nil // an extra working day never makes a promise later
	}
	return s.jobs.InsertTx(ctx, tx, RecomputeArgs{From: d.From, To: d.To, Reason: d.Reason}, nil)
}

// ReloadInterval is how often each node looks for shop days another node
// added.
const ReloadInterval = 30 * time.Second

// Watch reloads the engine every ReloadInterval until ctx ends, so days
// added on another node reach this one. It is plumbing, not domain time:
// the promises themselves read the injected clock.
func (s *Service) Watch(ctx context.Context) {
	t := time.NewTicker(ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Reload(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reload shop days", "err", err)
			}
		}
	}
}
