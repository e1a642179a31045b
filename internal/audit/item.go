package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// MaxItemText is the longest text of a checklist item, in characters.
const MaxItemText = 300

// MaxItems is how many items one point's checklist may hold.
const MaxItems = 50

// Item is one line of a point's checklist: what to look at, worded as
// the state the shop wants ("the delivery date is shown on the product
// page").
type Item struct {
	ID        int64     `json:"id"`
	Point     Point     `json:"point"`
	Text      string    `json:"text"`
	Position  int       `json:"position"`
	UpdatedAt time.Time `json:"updated_at"`
}

// normalizeItemText trims a text to one line and checks it.
func normalizeItemText(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if err := invalid.TextMax("text", s, MaxItemText, false); err != nil {
		return s, err
	}
	if s == "" {
		return s, invalid.Field("text", "required", "is required")
	}
	return s, nil
}

// seed writes the built-in checklist of every point not seeded yet, in
// lang: once per point, so a shop that emptied a checklist keeps it empty.
func (s *Service) seed(ctx context.Context, now time.Time) error {
	var n int
	if err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM audit_points`).Scan(&n); err != nil {
		return fmt.Errorf("count seeded audit points: %w", err)
	}
	if n >= len(Points()) {
		return nil
	}
	lang := s.shopLang()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range Points() {
			inserted, err := tx.Exec(ctx, `INSERT INTO audit_points (point, language, seeded_at) VALUES ($1, $2, $3)
				ON CONFLICT (point) DO NOTHING`, string(p), string(lang), now)
			if err != nil {
				return err
			}
			if inserted == 0 {
				continue
			}
			for i := 1; i <= defaultItems[p]; i++ {
				text := i18n.Text(lang, fmt.Sprintf("admin.audit.default.%s.%d", p, i), nil)
				if _, err := tx.Exec(ctx, `INSERT INTO audit_items (point, text, ordinal, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $4)`, string(p), text, i, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed the audit checklists: %w", err)
	}
	return nil
}

// shopLang is the shop's first language, the one its checklists start in.
func (s *Service) shopLang() i18n.Lang {
	if langs := s.deps.Settings.Shop.Languages; len(langs) > 0 {
		return i18n.Pick(langs[0], i18n.EN)
	}
	return i18n.EN
}

// Items returns every point's checklist, by point, each in its order.
// The first call writes the built-in checklists (see seed).
func (s *Service) Items(ctx context.Context, now time.Time) (map[Point][]Item, error) {
	if err := s.seed(ctx, now); err != nil {
		return nil, err
	}
	return items(ctx, s.db.Read(), "")
}

// items reads the checklists, of point only unless it is "".
func items(ctx context.Context, q store.Querier, point Point) (map[Point][]Item, error) {
	out := map[Point][]Item{}
	err := store.Each(ctx, q, `SELECT id, point, text, ordinal, updated_at FROM audit_items
		WHERE ($1 = '' OR point = $1) ORDER BY point, ordinal, id`, []any{string(point)}, func(r store.Rows) error {
		var it Item
		var p string
		if err := r.Scan(&it.ID, &p, &it.Text, &it.Position, &it.UpdatedAt); err != nil {
			return err
		}
		it.Point = Point(p)
		out[it.Point] = append(out[it.Point], it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list audit items: %w", err)
	}
	return out, nil
}

// ItemSave adds an item at the end of point's checklist (id 0) or renames
// the item id of point (store.ErrNotFound when point has none such). A
// bad text is an *invalid.Error on "text" and writes nothing.
func (s *Service) ItemSave(ctx context.Context, point Point, id int64, text string, now time.Time) (Item, error) {
	if _, ok := ParsePoint(string(point)); !ok {
		return Item{}, invalid.Field("point", "unknown", "is not a touch point")
	}
	text, err := normalizeItemText(text)
	if err != nil {
		return Item{}, err
	}
	if err := s.seed(ctx, now); err != nil {
		return Item{}, err
	}
	it := Item{ID: id, Point: point, Text: text, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if id != 0 {
			n, err := tx.Exec(ctx, `UPDATE audit_items SET text = $1, updated_at = $2 WHERE id = $3 AND point = $4`,
				text, now, id, string(point))
			if err == nil && n == 0 {
				err = store.ErrNotFound
			}
			if err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT ordinal FROM audit_items WHERE id = $1`, id).Scan(&it.Position)
		}
		var count int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(ordinal), 0) + 1 FROM audit_items WHERE point = $1`,
			string(point)).Scan(&count, &it.Position); err != nil {
			return err
		}
		if count >= MaxItems {
			return invalid.Field("text", "too_many", "a checklist holds at most %d items", MaxItems)
		}
		return tx.QueryRow(ctx, `INSERT INTO audit_items (point, text, ordinal, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, string(point), text, it.Position, now).Scan(&it.ID)
	})
	if err != nil {
		return Item{}, fmt.Errorf("save audit item %d of %s: %w", id, point, err)
	}
	return it, nil
}

// ItemDelete removes item id of point's checklist; the checks made with
// it keep their answer and its text. store.ErrNotFound when there is none.
func (s *Service) ItemDelete(ctx context.Context, point Point, id int64) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `DELETE FROM audit_items WHERE id = $1 AND point = $2`, id, string(point))
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete audit item %d of %s: %w", id, point, err)
	}
	return nil
}

// ItemMove swaps item id with the one before it (up) or after it in its
// checklist; at the edge nothing changes. The checklist is numbered
// afresh 1, 2, 3… store.ErrNotFound when point has no such item.
func (s *Service) ItemMove(ctx context.Context, point Point, id int64, up bool, now time.Time) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		all, err := items(ctx, tx, point)
		if err != nil {
			return err
		}
		list := all[point]
		at := -1
		for i := range list {
			if list[i].ID == id {
				at = i
			}
		}
		if at < 0 {
			return store.ErrNotFound
		}
		other := at + 1
		if up {
			other = at - 1
		}
		if other < 0 || other >= len(list) {
			return nil
		}
		list[at], list[other] = list[other], list[at]
		for i, it := range list {
			if it.Position == i+1 && i != at && i != other {
				continue
			}
			stamp := it.UpdatedAt
			if i == at || i == other {
				stamp = now
			}
			if _, err := tx.Exec(ctx, `UPDATE audit_items SET ordinal = $1, updated_at = $2 WHERE id = $3`, i+1, stamp, it.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move audit item %d of %s: %w", id, point, err)
	}
	return nil
}
