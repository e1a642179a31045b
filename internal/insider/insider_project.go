package insider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// ProjectInput is a project as the admin's form or the demo writes it.
type ProjectInput struct {
	// ID is the project to change, 0 for a new one.
	ID          int64
	Kind        Kind
	Title       map[string]string
	Description map[string]string
	Goal        int64
	// StartsOn and EndsOn are shop-local days (YYYY-MM-DD) or "".
	StartsOn, EndsOn string
}

// Check validates in, naming each field in its errors: title_<lang>,
// description_<lang>, kind, goal, starts_on, ends_on. It trims the texts
// in place.
func (in *ProjectInput) Check() error {
	var errs invalid.List
	if !slices.Contains(Kinds, in.Kind) {
		errs.Add("kind", "invalid", "must be one of pre_order, early_access, beta_test, crowdfunding")
	}
	title, desc := map[string]string{}, map[string]string{}
	for _, l := range langs {
		t, d := clean(in.Title[l]), clean(in.Description[l])
		if strings.ContainsAny(t, "\r\n") {
			errs.Add("title_"+l, "invalid", "must be one line")
		}
		if utf8.RuneCountInString(t) > MaxTitle {
			errs.Add("title_"+l, "too_long", "at most %d characters", MaxTitle)
		}
		if utf8.RuneCountInString(d) > MaxDescription {
			errs.Add("description_"+l, "too_long", "at most %d characters", MaxDescription)
		}
		if d != "" && t == "" {
			errs.Add("title_"+l, "required", "a description needs a title in its language")
		}
		title[l], desc[l] = t, d
	}
	if title["ru"] == "" && title["lv"] == "" && title["en"] == "" {
		errs.Add("title_"+langs[0], "required", "give the project a title in at least one language")
	}
	in.Title, in.Description = title, desc
	if in.Goal < 0 || in.Goal > MaxGoal {
		errs.Add("goal", "invalid", "must be from 0 to %d", MaxGoal)
	}
	in.StartsOn, in.EndsOn = strings.TrimSpace(in.StartsOn), strings.TrimSpace(in.EndsOn)
	okStart, okEnd := true, true
	for _, f := range []struct {
		name string
		day  string
		ok   *bool
	}{{"starts_on", in.StartsOn, &okStart}, {"ends_on", in.EndsOn, &okEnd}} {
		if f.day == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, f.day); err != nil {
			errs.Add(f.name, "invalid", "must be a day as YYYY-MM-DD")
			*f.ok = false
		}
	}
	if okStart && okEnd && in.StartsOn != "" && in.EndsOn != "" && in.EndsOn < in.StartsOn {
		errs.Add("ends_on", "before_start", "must not be before starts_on")
	}
	return errs.Err()
}

// clean trims s and drops control characters other than line breaks and
// tabs, and bytes that are not UTF-8.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	return strings.TrimSpace(s)
}

// ProjectSave validates and stores a project, new (in.ID 0) or changed,
// and returns its id. A form to correct is *invalid.List and writes
// nothing; an unknown in.ID is store.ErrNotFound.
func (s *Service) ProjectSave(ctx context.Context, in ProjectInput) (int64, error) {
	if err := in.Check(); err != nil {
		return 0, err
	}
	now := s.deps.Clock.Now()
	id := in.ID
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		args := []any{string(in.Kind), in.Title["ru"], in.Title["lv"], in.Title["en"], in.Description["ru"],
			in.Description["lv"], in.Description["en"], in.Goal, in.StartsOn, in.EndsOn, now}
		if id == 0 {
			return tx.QueryRow(ctx, `INSERT INTO insider_projects (kind, title_ru, title_lv, title_en, description_ru,
				description_lv, description_en, goal, starts_on, ends_on, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`, args...).Scan(&id)
		}
		n, err := tx.Exec(ctx, `UPDATE insider_projects SET kind = $1, title_ru = $2, title_lv = $3, title_en = $4,
			description_ru = $5, description_lv = $6, description_en = $7, goal = $8, starts_on = $9, ends_on = $10,
			updated_at = $11 WHERE id = $12`, append(args, id)...)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save insider project %d: %w", in.ID, err)
	}
	return id, nil
}

// ProjectClose closes a project to sign-ups (open false reopens it); its
// members stay. store.ErrNotFound for an unknown id.
func (s *Service) ProjectClose(ctx context.Context, id int64, closed bool) error {
	now := s.deps.Clock.Now()
	var at *time.Time
	if closed {
		at = &now
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE insider_projects SET closed_at = $1, updated_at = $2 WHERE id = $3`, at, now, id)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("close insider project %d: %w", id, err)
	}
	return nil
}

// projectColumns are the columns scanProject reads, with the project's
// member count last.
const projectColumns = `p.id, p.kind, p.title_ru, p.title_lv, p.title_en, p.description_ru, p.description_lv,
	p.description_en, p.goal, p.starts_on, p.ends_on, p.closed_at, p.created_at, p.updated_at,
	(SELECT COUNT(*) FROM insider_members m WHERE m.project_id = p.id AND m.left_at IS NULL)`

// scanProject reads a row of projectColumns.
func scanProject(r store.Row) (Project, error) { return scanProjectWith(r) }

// scanProjectWith reads a row of projectColumns followed by the columns
// of more.
func scanProjectWith(r store.Row, more ...any) (Project, error) {
	p := Project{Title: map[string]string{}, Description: map[string]string{}}
	var tru, tlv, ten, dru, dlv, den string
	var closed *time.Time
	err := r.Scan(append([]any{&p.ID, &p.Kind, &tru, &tlv, &ten, &dru, &dlv, &den, &p.Goal, &p.StartsOn, &p.EndsOn, &closed,
		&p.CreatedAt, &p.UpdatedAt, &p.Members}, more...)...)
	if err != nil {
		return Project{}, err
	}
	p.Title["ru"], p.Title["lv"], p.Title["en"] = tru, tlv, ten
	p.Description["ru"], p.Description["lv"], p.Description["en"] = dru, dlv, den
	p.ClosedAt = closed
	return p, nil
}

// ProjectGet returns a project with its member count, or
// store.ErrNotFound.
func (s *Service) ProjectGet(ctx context.Context, id int64) (Project, error) {
	return projectGet(ctx, s.db.Read(), id)
}

func projectGet(ctx context.Context, q store.Querier, id int64) (Project, error) {
	p, err := scanProject(q.QueryRow(ctx, `SELECT `+projectColumns+` FROM insider_projects p WHERE p.id = $1`, id))
	if err != nil {
		return Project{}, fmt.Errorf("insider project %d: %w", id, err)
	}
	return p, nil
}

// ProjectList returns every project with its member count: the open ones
// first, then the closed, the newest first in each.
func (s *Service) ProjectList(ctx context.Context) ([]Project, error) {
	var out []Project
	err := store.Each(ctx, s.db.Read(), `SELECT `+projectColumns+` FROM insider_projects p
		ORDER BY CASE WHEN p.closed_at IS NULL THEN 0 ELSE 1 END, p.created_at DESC, p.id DESC`, nil,
		func(r store.Rows) error {
			p, err := scanProject(r)
			if err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list insider projects: %w", err)
	}
	return out, nil
}
