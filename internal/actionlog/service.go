package actionlog

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// KeepDays is how long a line is kept: two years, long enough to answer
// "who changed this last spring", short enough that the addresses and
// names of people who left the shop do not stay for ever.
const KeepDays = 730

// Line is one recorded action.
type Line struct {
	ID         int64
	At         time.Time
	ShopAt     *time.Time
	ActorKind  ActorKind
	ActorID    int64
	ActorName  string
	Action     Action
	TargetKind string
	TargetID   string
	Detail     map[string]any
	RemoteAddr string
	RequestID  string
}

// Service reads and prunes the log.
type Service struct {
	db *store.DB
}

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }

// DefaultLimit and MaxLimit bound a page of List.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// List returns the lines f selects, newest first, and whether more
// follow.
func (s *Service) List(ctx context.Context, f Filter) ([]Line, bool, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	var where []string
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Action != "" {
		arg("action = ?", string(f.Action))
	}
	if f.Actor != "" {
		arg("LOWER(actor_name) LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(f.Actor))+"%")
	}
	if !f.Since.IsZero() {
		arg("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		arg("at < ?", f.Until.UTC())
	}
	if f.After > 0 {
		arg("id < ?", f.After)
	}
	query := `SELECT id, at, shop_at, actor_kind, actor_id, actor_name, action, target_kind, target_id, detail, remote_addr, request_id
		FROM admin_actions`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit+1)
	query += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := s.db.Read().Query(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list admin actions: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var kind, action, detail string
		if err := rows.Scan(&l.ID, &l.At, &l.ShopAt, &kind, &l.ActorID, &l.ActorName, &action, &l.TargetKind, &l.TargetID,
			&detail, &l.RemoteAddr, &l.RequestID); err != nil {
			return nil, false, fmt.Errorf("list admin actions: %w", err)
		}
		l.ActorKind, l.Action = ActorKind(kind), Action(action)
		if err := json.Unmarshal([]byte(detail), &l.Detail); err != nil {
			l.Detail = map[string]any{}
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list admin actions: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// Each calls fn with every line f selects, newest first, a page at a
// time (the export), ignoring f's page.
func (s *Service) Each(ctx context.Context, f Filter, fn func(Line) error) error {
	f.After, f.Limit = 0, MaxLimit
	for {
		lines, more, err := s.List(ctx, f)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if err := fn(l); err != nil {
				return err
			}
		}
		if !more || len(lines) == 0 {
			return nil
		}
		f.After = lines[len(lines)-1].ID
	}
}

// Record records an action that wrote nothing itself (an export) once
// it succeeded: RecordDone over the service's database.
func (s *Service) Record(ctx context.Context, e Entry) error { return RecordDone(ctx, s.db, e) }

// Prune deletes the lines older than KeepDays before now (real time)
// and returns how many went.
func (s *Service) Prune(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.Exec(ctx, `DELETE FROM admin_actions WHERE at < $1`, now.UTC().AddDate(0, 0, -KeepDays))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune admin actions: %w", err)
	}
	return n, nil
}

// likeEscape escapes LIKE's wildcards in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// PruneInterval is how often the pruning pass runs (real time).
const PruneInterval = 24 * time.Hour

// PruneArgs is the job of the daily pruning pass.
type PruneArgs struct{}

// Kind names the job.
func (PruneArgs) Kind() string { return "actionlog_prune" }
