package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/store"
)

// Version is one settings document the owner saved in the admin. Every
// save keeps a version, so a save that went wrong can be undone by
// restoring the one before.
type Version struct {
	ID  int64
	Doc []byte
	// SavedAt is the real time of the save; SavedBy the e-mail of who
	// saved it, empty for the settings file the first save replaced.
	SavedAt time.Time
	SavedBy string
	// Changed are the top-level sections ("shop", "carriers") that
	// differ from the version before.
	Changed []string
	// RestoredFrom is the version a restore brought back; 0 for a save.
	RestoredFrom int64
}

// SaveParams is one save of the settings document.
type SaveParams struct {
	Doc []byte
	// Base is the document in force when nothing was saved in the admin
	// yet: the settings file's. The first save keeps it as the oldest
	// version, so the owner can go back to the file's settings.
	Base []byte
	By   string
	// At is the real time of the save, not the shop's clock.
	At time.Time
	// RestoredFrom marks a restore of that version: it may bring back a
	// document without sections configured since, which a save may not.
	RestoredFrom int64
}

// DropError refuses a document that leaves out sections the settings in
// force configure: saving it would reset them to the defaults, which is
// what a blank or truncated form does, never what an owner means.
type DropError struct {
	// Sections are the top-level keys left out, in the settings' order.
	Sections []string
}

// Error names the sections.
func (e *DropError) Error() string {
	return fmt.Sprintf("the document leaves out the configured sections %s and would reset them to the defaults: "+
		"send the whole document (to clear a section on purpose, keep its key, such as webhooks: [])",
		strings.Join(e.Sections, ", "))
}

// ErrEmpty refuses an empty settings document.
var ErrEmpty = errors.New("the settings document is empty: nothing was saved")

// SaveVersion validates p.Doc and, in one transaction, refuses it when it
// would drop configured sections (unless it is a restore), stores it as
// the shop's settings and keeps it as a new version with the sections it
// changes. A document equal in effect to the one in force writes
// nothing and returns the newest version.
func SaveVersion(ctx context.Context, db *store.DB, p SaveParams) (Settings, Version, error) {
	if len(bytes.TrimSpace(p.Doc)) == 0 {
		return Settings{}, Version{}, ErrEmpty
	}
	s, err := Parse(p.Doc)
	if err != nil {
		return Settings{}, Version{}, err
	}
	v := Version{Doc: p.Doc, SavedAt: p.At.UTC(), SavedBy: p.By, RestoredFrom: p.RestoredFrom}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		prev, saved, err := Saved(ctx, tx)
		if err != nil {
			return err
		}
		if !saved {
			prev = p.Base
		}
		if p.RestoredFrom == 0 {
			if dropped := DroppedSections(prev, p.Doc); len(dropped) > 0 {
				return &DropError{Sections: dropped}
			}
		}
		v.Changed = ChangedSections(prev, p.Doc)
		latest, err := versionLatest(ctx, tx)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		first := err != nil
		if saved && !first && len(v.Changed) == 0 && p.RestoredFrom == 0 {
			v = latest
			return nil
		}
		if first && len(bytes.TrimSpace(prev)) > 0 {
			// The settings before the first kept version: the file's, or
			// those saved before versions were kept.
			base := Version{Doc: prev, SavedAt: v.SavedAt}
			if saved {
				if err := tx.QueryRow(ctx, `SELECT updated_at, updated_by FROM shop_settings WHERE id = 1`).
					Scan(&base.SavedAt, &base.SavedBy); err != nil {
					return fmt.Errorf("load saved settings: %w", err)
				}
			}
			if _, err := versionInsert(ctx, tx, base); err != nil {
				return err
			}
		}
		if v.ID, err = versionInsert(ctx, tx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO shop_settings (id, yaml, updated_at, updated_by) VALUES (1, $1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET yaml = excluded.yaml, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			string(p.Doc), v.SavedAt, p.By)
		if err != nil {
			return err
		}
		e := actionlog.Entry{Action: actionlog.SettingsSaved, TargetKind: actionlog.TargetSettings,
			Detail: map[string]any{"sections": v.Changed, "version": v.ID}}
		if p.RestoredFrom != 0 {
			e.Action = actionlog.SettingsRestored
			e.Detail["restored_from"] = p.RestoredFrom
		}
		return actionlog.Record(ctx, tx, e)
	})
	if err != nil {
		var drop *DropError
		if errors.As(err, &drop) {
			return Settings{}, Version{}, drop
		}
		return Settings{}, Version{}, fmt.Errorf("save settings: %w", err)
	}
	return s, v, nil
}

func versionInsert(ctx context.Context, q store.Querier, v Version) (int64, error) {
	var restored *int64
	if v.RestoredFrom != 0 {
		restored = &v.RestoredFrom
	}
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO settings_versions (yaml, saved_at, saved_by, changed, restored_from)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		string(v.Doc), v.SavedAt, v.SavedBy, strings.Join(v.Changed, ","), restored).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("keep settings version: %w", err)
	}
	return id, nil
}

const versionColumns = `id, yaml, saved_at, saved_by, changed, restored_from`

func scanVersion(row store.Row) (Version, error) {
	var (
		v        Version
		doc      string
		changed  string
		restored *int64
	)
	if err := row.Scan(&v.ID, &doc, &v.SavedAt, &v.SavedBy, &changed, &restored); err != nil {
		return Version{}, err
	}
	v.Doc = []byte(doc)
	if changed != "" {
		v.Changed = strings.Split(changed, ",")
	}
	if restored != nil {
		v.RestoredFrom = *restored
	}
	return v, nil
}

func versionLatest(ctx context.Context, q store.Querier) (Version, error) {
	v, err := scanVersion(q.QueryRow(ctx, `SELECT `+versionColumns+` FROM settings_versions ORDER BY id DESC LIMIT 1`))
	if err != nil {
		return Version{}, fmt.Errorf("load newest settings version: %w", err)
	}
	return v, nil
}

// VersionGetByID returns one saved version; store.ErrNotFound when there
// is none with that id.
func VersionGetByID(ctx context.Context, q store.Querier, id int64) (Version, error) {
	v, err := scanVersion(q.QueryRow(ctx, `SELECT `+versionColumns+` FROM settings_versions WHERE id = $1`, id))
	if err != nil {
		return Version{}, fmt.Errorf("load settings version %d: %w", id, err)
	}
	return v, nil
}

// VersionList returns the newest versions first, at most limit of them.
func VersionList(ctx context.Context, q store.Querier, limit int) ([]Version, error) {
	rows, err := q.Query(ctx, `SELECT `+versionColumns+` FROM settings_versions ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list settings versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("list settings versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list settings versions: %w", err)
	}
	return out, nil
}

// Sections are the settings' top-level keys, in their order.
func Sections() []string {
	t := reflect.TypeFor[Settings]()
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// effective reads a document into its settings as exported, section by
// section: the same settings written two ways compare equal. A document
// that no longer validates is compared as it is written.
func effective(doc []byte) map[string]any {
	out := map[string]any{}
	if s, err := Parse(doc); err == nil {
		if exported, err := s.Export(); err == nil {
			doc = exported
		}
	}
	_ = yaml.Unmarshal(doc, &out)
	return out
}

// ChangedSections lists the top-level sections whose settings differ
// between two documents, in the settings' order.
func ChangedSections(prev, next []byte) []string {
	a, b := effective(prev), effective(next)
	var out []string
	for _, key := range Sections() {
		if !reflect.DeepEqual(a[key], b[key]) {
			out = append(out, key)
		}
	}
	return out
}

// DroppedSections lists the sections prev configures (they differ from
// the defaults) that next leaves out altogether, in the settings' order.
// A section next names, even empty, is a choice and not dropped.
func DroppedSections(prev, next []byte) []string {
	var root yaml.Node
	if err := yaml.Unmarshal(next, &root); err != nil {
		return nil // not YAML: Parse says why
	}
	named := map[string]bool{}
	if len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			named[m.Content[i].Value] = true
		}
	} else if len(root.Content) > 0 {
		return nil // not a mapping: Parse says why
	}
	configured := ChangedSections(nil, prev)
	return slices.DeleteFunc(configured, func(key string) bool { return named[key] })
}
