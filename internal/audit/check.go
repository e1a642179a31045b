package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// The longest texts a check takes, in characters.
const (
	MaxWho   = 100
	MaxNotes = invalid.MaxDescription
)

// Check is one walk through a touch point: the shop's own monthly
// self-check or a mystery shopper's visit, with each item's answer.
type Check struct {
	ID    int64  `json:"id"`
	Point Point  `json:"point"`
	Day   string `json:"day"` // the shop day it was made, YYYY-MM-DD
	Kind  Kind   `json:"kind"`
	Who   string `json:"who"`
	// Score is the mark given, 1–5; 0 when none was.
	Score int `json:"score"`
	// Passed of Total items passed.
	Passed    int       `json:"passed"`
	Total     int       `json:"total"`
	Notes     string    `json:"note"`
	Results   []Result  `json:"results"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// PassedShare is Passed/Total, and false when no item was checked.
func (c Check) PassedShare() (float64, bool) {
	if c.Total == 0 {
		return 0, false
	}
	return float64(c.Passed) / float64(c.Total), true
}

// Result is a check's answer about one item, with the item's text as it
// read then (the item may since have been renamed or deleted).
type Result struct {
	ItemID int64  `json:"item_id"`
	Text   string `json:"text"`
	Passed bool   `json:"passed"`
}

// CheckInput is a check as handed in, before it is checked: from the
// admin's form or the API.
type CheckInput struct {
	Point Point
	Day   string
	Kind  Kind
	Who   string
	Score int
	Notes string
	// Results are the items answered, by id; an item of the checklist not
	// among them was not looked at.
	Results []ResultInput
	// By is who recorded it (the signed-in person, or the API token).
	By string
}

// ResultInput is one item's answer.
type ResultInput struct {
	ItemID int64 `json:"item_id"`
	Passed bool  `json:"passed"`
}

// normalize trims in's texts and checks what needs no database, every
// problem at once: point, day (not after today, the shop's day), kind,
// who, score (0 or 1–5; a check with no item answered needs one), note,
// results (no item twice).
func (in *CheckInput) normalize(today string) invalid.List {
	var l invalid.List
	if _, ok := ParsePoint(string(in.Point)); !ok {
		l.Add("point", "unknown", "must be one of %s", pointList())
	}
	in.Day = strings.TrimSpace(in.Day)
	if _, e := invalid.Day("day", in.Day); e != nil {
		l = append(l, e)
	} else if in.Day > today {
		l.Add("day", "in_future", "%s is after today, %s", in.Day, today)
	}
	if in.Kind != KindSelf && in.Kind != KindMystery {
		l.Add("kind", "unknown", "must be self or mystery")
	}
	in.Who = strings.Join(strings.Fields(in.Who), " ")
	if e := invalid.TextMax("who", in.Who, MaxWho, false); e != nil {
		l = append(l, e)
	} else if in.Who == "" {
		l.Add("who", "required", "is required")
	}
	in.Notes = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(in.Notes, "\r\n", "\n"), "\r", "\n"))
	if e := invalid.TextMax("note", in.Notes, MaxNotes, true); e != nil {
		l = append(l, e)
	}
	switch {
	case in.Score < 0 || in.Score > 5:
		l.Add("score", "out_of_range", "must be between 1 and 5, or 0 for none")
	case in.Score == 0 && len(in.Results) == 0:
		l.Add("score", "required", "give a score or answer the checklist's items")
	}
	seen := map[int64]bool{}
	for _, r := range in.Results {
		if seen[r.ItemID] {
			l.Add("results", "duplicate", "item %d is answered twice", r.ItemID)
			break
		}
		seen[r.ItemID] = true
	}
	return l
}

func pointList() string {
	var b strings.Builder
	for i, p := range Points() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(p))
	}
	return b.String()
}

// today is the shop's day at now.
func (s *Service) today(now time.Time) string {
	return now.In(s.deps.Settings.Shop.Location()).Format(time.DateOnly)
}

// Validate checks in as CheckAdd would before it reads the database,
// without writing: a form whose fields could not all be read still gets
// every other field's problem at once.
func (s *Service) Validate(in CheckInput, now time.Time) invalid.List {
	return in.normalize(s.today(now))
}

// CheckAdd checks in and records it, in one transaction: every problem
// is an invalid.List naming the field (results when an item is not on
// the point's checklist) and writes nothing. now is business time.
func (s *Service) CheckAdd(ctx context.Context, in CheckInput, now time.Time) (Check, error) {
	l := in.normalize(s.today(now))
	if len(l) > 0 {
		return Check{}, l
	}
	if err := s.seed(ctx, now); err != nil {
		return Check{}, err
	}
	c := Check{Point: in.Point, Day: in.Day, Kind: in.Kind, Who: in.Who, Score: in.Score, Notes: in.Notes,
		CreatedBy: in.By, CreatedAt: now, Results: []Result{}}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		all, err := items(ctx, tx, in.Point)
		if err != nil {
			return err
		}
		answered := map[int64]bool{}
		for _, r := range in.Results {
			answered[r.ItemID] = r.Passed
		}
		for _, it := range all[in.Point] {
			passed, ok := answered[it.ID]
			if !ok {
				continue
			}
			delete(answered, it.ID)
			c.Results = append(c.Results, Result{ItemID: it.ID, Text: it.Text, Passed: passed})
			c.Total++
			if passed {
				c.Passed++
			}
		}
		for id := range answered {
			return invalid.List{invalid.Field("results", "unknown", "item %d is not on the checklist of %s", id, in.Point)}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO audit_checks (point, day, kind, who, score, passed, total, notes, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, string(c.Point), c.Day, string(c.Kind), c.Who, c.Score,
			c.Passed, c.Total, c.Notes, c.CreatedBy, now).Scan(&c.ID); err != nil {
			return err
		}
		rows := make([][]any, len(c.Results))
		for i, r := range c.Results {
			rows[i] = []any{c.ID, i + 1, r.ItemID, r.Text, r.Passed}
		}
		return store.InsertMany(ctx, tx, "audit_results", []string{"check_id", "ordinal", "item_id", "text", "passed"}, rows, "", nil)
	})
	var list invalid.List
	if errors.As(err, &list) {
		return Check{}, list
	}
	if err != nil {
		return Check{}, fmt.Errorf("record audit check of %s on %s: %w", in.Point, in.Day, err)
	}
	return c, nil
}

const checkColumns = `id, point, day, kind, who, score, passed, total, notes, created_by, created_at`

func scanCheck(r interface{ Scan(...any) error }) (Check, error) {
	var c Check
	var p, k string
	err := r.Scan(&c.ID, &p, &c.Day, &k, &c.Who, &c.Score, &c.Passed, &c.Total, &c.Notes, &c.CreatedBy, &c.CreatedAt)
	c.Point, c.Kind = Point(p), Kind(k)
	return c, err
}

// Checks returns the checks of point (every point when it is "") made on
// the shop days from..to (both included, YYYY-MM-DD; "" leaves an end
// open), the latest first, with their results when withResults.
func (s *Service) Checks(ctx context.Context, point Point, from, to string, withResults bool) ([]Check, error) {
	if to == "" {
		to = "9999-12-31"
	}
	q := s.db.Read()
	var out []Check
	at := map[int64]int{}
	err := store.Each(ctx, q, `SELECT `+checkColumns+` FROM audit_checks WHERE ($1 = '' OR point = $1) AND day >= $2 AND day <= $3
		ORDER BY day DESC, id DESC`, []any{string(point), from, to}, func(r store.Rows) error {
		c, err := scanCheck(r)
		c.Results = []Result{}
		at[c.ID] = len(out)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list audit checks of %q: %w", point, err)
	}
	if !withResults || len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	err = store.QueryIn(ctx, q, `SELECT check_id, item_id, text, passed FROM audit_results WHERE check_id IN (IN_LIST)
		ORDER BY check_id, ordinal`, nil, ids, func(r store.Rows) error {
		var id int64
		var item *int64
		var res Result
		if err := r.Scan(&id, &item, &res.Text, &res.Passed); err != nil {
			return err
		}
		if item != nil {
			res.ItemID = *item
		}
		out[at[id]].Results = append(out[at[id]].Results, res)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list audit results: %w", err)
	}
	return out, nil
}

// CheckDelete removes a check recorded by mistake; store.ErrNotFound
// when there is none.
func (s *Service) CheckDelete(ctx context.Context, id int64) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM audit_results WHERE check_id = $1`, id); err != nil {
			return err
		}
		n, err := tx.Exec(ctx, `DELETE FROM audit_checks WHERE id = $1`, id)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete audit check %d: %w", id, err)
	}
	return nil
}
