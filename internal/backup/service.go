package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// The kinds of the runs the table backups records.
const (
	KindBackup      = "backup"
	KindRestoreTest = "restore_test"
)

// Record is one run: a backup or a restore test.
type Record struct {
	ID         int64
	Kind       string
	StartedAt  time.Time
	FinishedAt *time.Time
	// File is the archive's path: written by a backup, restored by a
	// restore test.
	File   string
	Size   int64
	Orders int64
	// Tables is how many tables the archive holds.
	Tables int
	// Error says why the run failed; empty when it worked.
	Error string
}

// OK reports whether the run finished and worked.
func (r Record) OK() bool { return r.FinishedAt != nil && r.Error == "" }

// Name is the archive's file name.
func (r Record) Name() string { return filepath.Base(r.File) }

// Status is the state of the shop's backups and of its SQLite files, for
// the owner's pages.
type Status struct {
	// Scheduled tells whether daily backups run (SQLite, enabled).
	Scheduled bool
	// Dir is where the backups go.
	Dir string
	// LastBackup and LastRestoreTest are the latest runs, nil for none.
	LastBackup, LastRestoreTest *Record
	// LastGood is the latest backup that worked, nil for none.
	LastGood *Record
	// DBSize and WALSize are the database's and its write-ahead log's
	// bytes on disk (SQLite; the database's size on PostgreSQL).
	DBSize, WALSize int64
}

// Service runs the shop's backups: on demand, on schedule, with their
// retention and restore tests, and keeps SQLite's WAL short.
type Service struct {
	db       *store.DB
	log      *slog.Logger
	settings config.Backup
	loc      *time.Location
	dataDir  string
	url      string
	human    clock.Clock

	running sync.Mutex // one backup or restore test at a time
	mu      sync.Mutex
	lastCP  time.Time // the last checkpoint, on the real clock
}

// Params are what New needs beside the Deps.
type Params struct {
	// DataDir is the data directory of the SQLite database; empty (a
	// test's database opened elsewhere) turns the scheduled work off.
	DataDir string
	// URL is the PostgreSQL URL, for pg_dump.
	URL string
	// Human is the real clock (the system's when nil): the schedule is
	// on the wall, whatever the shop's business clock says.
	Human clock.Clock
}

// New returns the backups' service.
func New(d service.Deps, p Params) *Service {
	if p.Human == nil {
		p.Human = clock.System{}
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d.DB, log: log, settings: d.Settings.Backup, loc: d.Settings.Shop.Location(), dataDir: p.DataDir, url: p.URL, human: p.Human}
}

// DataDir is the data directory the service backs up.
func (s *Service) DataDir() string { return s.dataDir }

// Where are the store options of the database the service backs up, for
// the app that replaces this one (settings reloaded).
func (s *Service) Where() store.Options { return store.Options{DataDir: s.dataDir, URL: s.url} }

// Dir is the directory of the scheduled backups.
func (s *Service) Dir() string {
	if s.settings.Dir != "" {
		return s.settings.Dir
	}
	if s.dataDir == "" {
		return ""
	}
	return filepath.Join(s.dataDir, "backups")
}

// Scheduled reports whether the service makes backups: a SQLite database
// in a known data directory, and backups enabled.
func (s *Service) Scheduled() bool {
	return s.settings.Enabled && s.dataDir != "" && s.db.Engine() == store.SQLite
}

// ErrBusy is returned when a backup or restore test is running already.
var ErrBusy = errors.New("a backup is running already")

// ErrNoDataDir is returned when the service does not know the data
// directory of its database.
var ErrNoDataDir = errors.New("the data directory is not known to this process")

// BackupNow makes a backup into Dir and records it.
func (s *Service) BackupNow(ctx context.Context) (Result, error) {
	return s.BackupTo(ctx, "")
}

// BackupTo makes a backup into to (a file or a directory; Dir when
// empty) and records it.
func (s *Service) BackupTo(ctx context.Context, to string) (Result, error) {
	if !s.running.TryLock() {
		return Result{}, ErrBusy
	}
	defer s.running.Unlock()
	return s.backup(ctx, to)
}

// Start makes a backup in the background (the admin's button) and
// reports false when one is running already.
func (s *Service) Start() bool {
	if s.dataDir == "" || !s.running.TryLock() {
		return false
	}
	go func() {
		defer s.running.Unlock()
		if _, err := s.backup(context.Background(), ""); err != nil {
			s.log.Error("backup failed", "err", err)
		}
	}()
	return true
}

func (s *Service) backup(ctx context.Context, to string) (Result, error) {
	if s.dataDir == "" {
		return Result{}, ErrNoDataDir
	}
	if to == "" {
		to = s.Dir() + string(filepath.Separator)
	}
	started := s.human.Now()
	res, err := Backup(ctx, s.db, Options{To: to, DataDir: s.dataDir, URL: s.url, Now: s.human.Now})
	var manual *ManualError
	if errors.As(err, &manual) {
		return res, err // nothing was tried: nothing to record
	}
	if rerr := s.record(context.WithoutCancel(ctx), KindBackup, started, res, err); rerr != nil {
		// The archive is what matters; a database too old for the
		// record (a backup before the upgrade's migration) still gets it.
		s.log.Warn("the backup is not recorded", "err", rerr)
	}
	if err != nil {
		return res, err
	}
	s.log.Info("backup made", "file", res.File, "bytes", res.Size, "orders", res.Manifest.Orders(), "took", res.Duration)
	return res, nil
}

// RestoreTest restores the newest backup in Dir into a temporary
// directory, checks it as a restore does, and records the outcome.
func (s *Service) RestoreTest(ctx context.Context) (Result, error) {
	if !s.running.TryLock() {
		return Result{}, ErrBusy
	}
	defer s.running.Unlock()
	return s.restoreTest(ctx)
}

func (s *Service) restoreTest(ctx context.Context) (Result, error) {
	list, err := listArchives(s.Dir())
	if err != nil || len(list) == 0 {
		return Result{}, err
	}
	file := filepath.Join(s.Dir(), list[0].Name)
	started := s.human.Now()
	tmp, err := os.MkdirTemp("", "shopcare-restore-test-")
	var res Result
	if err == nil {
		res, err = Restore(ctx, file, tmp)
		_ = os.RemoveAll(tmp)
	}
	res.File = file
	if info, serr := os.Stat(file); serr == nil {
		res.Size = info.Size()
	}
	if rerr := s.record(context.WithoutCancel(ctx), KindRestoreTest, started, res, err); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		s.log.Error("the restore test of the newest backup failed", "file", file, "err", err)
		return res, err
	}
	s.log.Info("restore test passed", "file", file, "orders", res.Manifest.Orders())
	return res, nil
}

// slot is the latest moment the daily backup was due at, up to now: the
// hour of today in the shop's zone, or of yesterday before it.
func (s *Service) slot(now time.Time) time.Time {
	l := now.In(s.loc)
	at := time.Date(l.Year(), l.Month(), l.Day(), s.settings.Hour, 0, 0, 0, s.loc)
	if at.After(l) {
		at = at.AddDate(0, 0, -1)
	}
	return at
}

// retryAfter spaces the attempts of a backup that failed.
const retryAfter = time.Hour

// RunDue does what the schedule says is due, on the real clock: the
// daily backup (once a day from the set hour; at once when there is
// none yet), then the retention, then the restore test every
// RestoreTestDays days.
func (s *Service) RunDue(ctx context.Context) error {
	if !s.Scheduled() {
		return nil
	}
	if !s.running.TryLock() {
		return nil // the run in progress does it
	}
	defer s.running.Unlock()
	now := s.human.Now()
	good, err := s.last(ctx, KindBackup, true)
	if err != nil {
		return err
	}
	tried, err := s.last(ctx, KindBackup, false)
	if err != nil {
		return err
	}
	if (good == nil || good.StartedAt.Before(s.slot(now))) && (tried == nil || now.Sub(tried.StartedAt) >= retryAfter || tried.OK()) {
		if _, err := s.backup(ctx, ""); err != nil {
			return err
		}
		dropped, err := Prune(s.Dir(), s.settings.KeepDaily, s.settings.KeepWeekly, s.loc)
		if err != nil {
			return err
		}
		if len(dropped) > 0 {
			s.log.Info("old backups removed", "files", dropped)
		}
	}
	if s.settings.RestoreTestDays == 0 {
		return nil
	}
	test, err := s.last(ctx, KindRestoreTest, false)
	if err != nil {
		return err
	}
	if test == nil || now.Sub(test.StartedAt) >= time.Duration(s.settings.RestoreTestDays)*24*time.Hour {
		if _, err := s.restoreTest(ctx); err != nil {
			return fmt.Errorf("restore test: %w", err)
		}
	}
	return nil
}

// Status returns the backups' state and the database's sizes.
func (s *Service) Status(ctx context.Context) (Status, error) {
	st := Status{Scheduled: s.Scheduled(), Dir: s.Dir()}
	var err error
	if st.LastBackup, err = s.last(ctx, KindBackup, false); err != nil {
		return st, err
	}
	if st.LastGood, err = s.last(ctx, KindBackup, true); err != nil {
		return st, err
	}
	if st.LastRestoreTest, err = s.last(ctx, KindRestoreTest, false); err != nil {
		return st, err
	}
	st.DBSize, st.WALSize, err = s.sizes(ctx)
	return st, err
}

// sizes are the database's and its WAL's bytes.
func (s *Service) sizes(ctx context.Context) (int64, int64, error) {
	if s.db.Engine() == store.Postgres {
		var n int64
		err := s.db.Read().QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, 0, err
	}
	if s.dataDir == "" {
		return 0, 0, nil
	}
	path := filepath.Join(s.dataDir, store.SQLiteFile)
	var db, wal int64
	if info, err := os.Stat(path); err == nil {
		db = info.Size()
	}
	if info, err := os.Stat(path + "-wal"); err == nil {
		wal = info.Size()
	}
	return db, wal, nil
}

// CheckpointEvery is how often, on the real clock, Checkpoint truncates
// SQLite's write-ahead log.
const CheckpointEvery = 5 * time.Minute

// Checkpoint copies SQLite's write-ahead log into the database and
// truncates it (wal_checkpoint(TRUNCATE)) when the database is idle: on a
// connection that waits for no one, so a busy database (a writer, a
// long reader) just skips this turn. SQLite's own automatic checkpoints
// never shrink the file; a long reader can make it grow far.
func (s *Service) Checkpoint(ctx context.Context) error {
	if s.db.Engine() != store.SQLite || s.dataDir == "" {
		return nil
	}
	now := s.human.Now()
	s.mu.Lock()
	if now.Sub(s.lastCP) < CheckpointEvery {
		s.mu.Unlock()
		return nil
	}
	s.lastCP = now
	s.mu.Unlock()
	path := filepath.Join(s.dataDir, store.SQLiteFile)
	if info, err := os.Stat(path + "-wal"); err != nil || info.Size() == 0 {
		return nil
	}
	db, err := openFile(path, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return err
	}
	var busy, logPages, done int64
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil {
		s.log.Debug("WAL checkpoint skipped: the database is busy", "err", err)
		return nil
	}
	if busy != 0 {
		s.log.Debug("WAL checkpoint skipped: the database is busy", "pages", logPages, "copied", done)
	}
	return nil
}

// RunArgs is the periodic job that makes the scheduled backups when due.
type RunArgs struct{}

// Kind names the job.
func (RunArgs) Kind() string { return "backup.run" }

// CheckpointArgs is the periodic job that checkpoints SQLite's WAL.
type CheckpointArgs struct{}

// Kind names the job.
func (CheckpointArgs) Kind() string { return "backup.checkpoint" }

// The periodic jobs' intervals on the queue's clock (the demo speeds it
// up): each run looks at the real clock before doing anything.
const (
	RunInterval        = 10 * time.Minute
	CheckpointInterval = time.Minute
)

// runLimit is how long a scheduled backup with its restore test may run.
const runLimit = 2 * time.Hour

// Register adds the service's workers and periodic jobs to q (periodic
// jobs run on the queue's elected leader only).
func (s *Service) Register(q *jobs.Queue) {
	river.AddWorker(q.Workers(), &jobs.Pass[RunArgs]{Limit: runLimit, Run: s.RunDue})
	river.AddWorker(q.Workers(), &jobs.Pass[CheckpointArgs]{Run: s.Checkpoint})
	q.AddPeriodic(RunInterval, RunArgs{})
	q.AddPeriodic(CheckpointInterval, CheckpointArgs{})
}

// List returns the latest runs, newest first.
func (s *Service) List(ctx context.Context, limit int) ([]Record, error) {
	var out []Record
	err := store.Each(ctx, s.db.Read(), `SELECT id, kind, started_at, finished_at, file, size_bytes, orders, counts, error
		FROM backups ORDER BY started_at DESC, id DESC LIMIT $1`, []any{limit}, func(r store.Rows) error {
		rec, err := scanRecord(r)
		if err != nil {
			return err
		}
		out = append(out, rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	return out, nil
}

// last returns the latest run of kind (that worked, when ok), nil for
// none.
func (s *Service) last(ctx context.Context, kind string, ok bool) (*Record, error) {
	q := `SELECT id, kind, started_at, finished_at, file, size_bytes, orders, counts, error
		FROM backups WHERE kind = $1 ORDER BY started_at DESC, id DESC LIMIT 1`
	if ok {
		q = `SELECT id, kind, started_at, finished_at, file, size_bytes, orders, counts, error
		FROM backups WHERE kind = $1 AND finished_at IS NOT NULL AND error = '' ORDER BY started_at DESC, id DESC LIMIT 1`
	}
	var rec *Record
	err := store.Each(ctx, s.db.Read(), q, []any{kind}, func(r store.Rows) error {
		got, err := scanRecord(r)
		rec = &got
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("last %s: %w", kind, err)
	}
	return rec, nil
}

func scanRecord(r store.Rows) (Record, error) {
	var rec Record
	var counts string
	if err := r.Scan(&rec.ID, &rec.Kind, &rec.StartedAt, &rec.FinishedAt, &rec.File, &rec.Size, &rec.Orders, &counts, &rec.Error); err != nil {
		return rec, err
	}
	var tables map[string]int64
	if json.Unmarshal([]byte(counts), &tables) == nil {
		rec.Tables = len(tables)
	}
	return rec, nil
}

// record writes down a finished run. A run is recorded once it is over,
// so that a backup does not hold its own row half-written.
func (s *Service) record(ctx context.Context, kind string, started time.Time, res Result, failed error) error {
	msg := ""
	if failed != nil {
		msg = failed.Error()
	}
	counts := ""
	if res.Manifest.Tables != nil {
		b, _ := json.Marshal(res.Manifest.Tables)
		counts = string(b)
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO backups (kind, started_at, finished_at, file, size_bytes, orders, counts, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			kind, started, s.human.Now(), res.File, res.Size, res.Manifest.Orders(), counts, msg)
		return err
	})
	if err != nil {
		return fmt.Errorf("record %s: %w", kind, err)
	}
	return nil
}
