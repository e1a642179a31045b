package campaign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// SavedAudience is an audience filter the shop saved under a name, to
// pick again for later campaigns (campaign_audiences).
type SavedAudience struct {
	ID        int64
	Name      string
	Audience  Audience
	CreatedAt time.Time
	UpdatedAt time.Time
}

// maxSavedAudiences keeps the picker's list one screen of names.
const maxSavedAudiences = 500

// SaveAudience stores audience a under name; a name already taken, an
// audience that is itself saved or invalid is an invalid.List, and
// nothing is written.
func (s *Service) SaveAudience(ctx context.Context, name string, a Audience) (SavedAudience, error) {
	now := s.deps.Clock.Now()
	name = strings.TrimSpace(name)
	var errs invalid.List
	switch {
	case name == "":
		errs.Add("name", "required", "name the audience")
	case len(name) > maxName:
		errs.Add("name", "too_long", "at most %d bytes", maxName)
	default:
		errs.CheckText("name", name)
	}
	s.checkAudience(&errs, "audience", a)
	if a.Saved != 0 {
		errs.Add("audience.saved", "invalid", "a saved audience cannot name another: save its criteria instead")
	}
	if err := errs.Err(); err != nil {
		return SavedAudience{}, err
	}
	filter, err := json.Marshal(a)
	if err != nil {
		return SavedAudience{}, err
	}
	out := SavedAudience{Name: name, Audience: a, CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_audiences`).Scan(&n); err != nil {
			return err
		}
		if n >= maxSavedAudiences {
			return invalid.Field("name", "too_many", "at most %d saved audiences: delete one first", maxSavedAudiences)
		}
		var taken int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_audiences WHERE name = $1`, name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return invalid.Field("name", "taken", "an audience is already saved as %q", name)
		}
		return tx.QueryRow(ctx, `INSERT INTO campaign_audiences (name, filter, created_at, updated_at) VALUES ($1, $2, $3, $3)
			RETURNING id`, name, string(filter), now).Scan(&out.ID)
	})
	if errors.Is(err, store.ErrConflict) {
		return SavedAudience{}, invalid.Field("name", "taken", "an audience is already saved as %q", name)
	}
	if err != nil {
		if _, ok := invalid.First(err); ok {
			return SavedAudience{}, err
		}
		return SavedAudience{}, fmt.Errorf("save audience %q: %w", name, err)
	}
	return out, nil
}

// Audiences lists the saved audiences by name.
func (s *Service) Audiences(ctx context.Context) ([]SavedAudience, error) {
	var out []SavedAudience
	err := store.Each(ctx, s.db.Read(), `SELECT id, name, filter, created_at, updated_at FROM campaign_audiences ORDER BY name, id`,
		nil, func(r store.Rows) error {
			a, err := scanAudience(r)
			if err != nil {
				return err
			}
			out = append(out, *a)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list saved audiences: %w", err)
	}
	return out, nil
}

// Audience returns saved audience id; a missing one is store.ErrNotFound.
func (s *Service) Audience(ctx context.Context, id int64) (*SavedAudience, error) {
	return getAudience(ctx, s.db.Read(), id)
}

// DeleteAudience deletes saved audience id; a missing one is
// store.ErrNotFound. Campaigns already started keep their recipients; a
// draft that named it says so when it is counted or started.
func (s *Service) DeleteAudience(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `DELETE FROM campaign_audiences WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("delete saved audience %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("delete saved audience %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
}

func getAudience(ctx context.Context, q store.Querier, id int64) (*SavedAudience, error) {
	a, err := scanAudience(q.QueryRow(ctx, `SELECT id, name, filter, created_at, updated_at FROM campaign_audiences WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load saved audience %d: %w", id, err)
	}
	return a, nil
}

func scanAudience(r store.Row) (*SavedAudience, error) {
	var a SavedAudience
	var filter string
	if err := r.Scan(&a.ID, &a.Name, &filter, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filter), &a.Audience); err != nil {
		return nil, fmt.Errorf("saved audience %d: %w", a.ID, err)
	}
	return &a, nil
}
