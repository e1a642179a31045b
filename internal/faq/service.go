package faq

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// maxSearches bounds faq_searches: anyone may search the help page, so
// past this many distinct queries the least recently searched go.
const maxSearches = 5000

// Service is the shop's FAQ for the surfaces: the admin writes it, the
// customer's help page reads and searches it.
type Service struct {
	db *store.DB
}

// New returns the FAQ service over deps' database.
func New(deps service.Deps) *Service {
	return &Service{db: deps.DB}
}

const entryColumns = `id, language, section, question, answer, ordinal, updated_at`

func scanEntry(row interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var lang string
	err := row.Scan(&e.ID, &lang, &e.Section, &e.Question, &e.Answer, &e.Position, &e.UpdatedAt)
	e.Language = i18n.Lang(lang)
	return e, err
}

// List returns lang's entries in the FAQ's order.
func (s *Service) List(ctx context.Context, lang i18n.Lang) ([]Entry, error) {
	return list(ctx, s.db.Read(), lang)
}

func list(ctx context.Context, q store.Querier, lang i18n.Lang) ([]Entry, error) {
	var out []Entry
	err := store.Each(ctx, q, `SELECT `+entryColumns+` FROM faq_entries WHERE language = $1 ORDER BY ordinal, id`,
		[]any{string(lang)}, func(rows store.Rows) error {
			e, err := scanEntry(rows)
			out = append(out, e)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("list FAQ entries in %s: %w", lang, err)
	}
	return out, nil
}

// Get returns one entry, or store.ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (Entry, error) {
	e, err := scanEntry(s.db.Read().QueryRow(ctx, `SELECT `+entryColumns+` FROM faq_entries WHERE id = $1`, id))
	if err != nil {
		return Entry{}, fmt.Errorf("load FAQ entry %d: %w", id, err)
	}
	return e, nil
}

// Save checks e and writes it: a new entry when e.ID is 0 (at the end of
// its language when e.Position is 0), else the entry e.ID, which must
// exist (store.ErrNotFound). An invalid entry (an invalid.List) writes
// nothing. now is when it was written.
func (s *Service) Save(ctx context.Context, e Entry, now time.Time) (Entry, error) {
	if err := e.Normalize(); err != nil {
		return e, err
	}
	e.UpdatedAt = now
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if e.ID == 0 {
			if e.Position == 0 {
				if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(ordinal), 0) + 1 FROM faq_entries WHERE language = $1`,
					string(e.Language)).Scan(&e.Position); err != nil {
					return fmt.Errorf("next FAQ position in %s: %w", e.Language, err)
				}
			}
			return tx.QueryRow(ctx, `INSERT INTO faq_entries (language, section, question, answer, ordinal, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, string(e.Language), e.Section, e.Question, e.Answer,
				e.Position, now).Scan(&e.ID)
		}
		n, err := tx.Exec(ctx, `UPDATE faq_entries SET language = $1, section = $2, question = $3, answer = $4,
			ordinal = $5, updated_at = $6 WHERE id = $7`, string(e.Language), e.Section, e.Question, e.Answer,
			e.Position, now, e.ID)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return e, fmt.Errorf("save FAQ entry %d: %w", e.ID, err)
	}
	return e, nil
}

// Delete removes an entry; store.ErrNotFound when there is none.
func (s *Service) Delete(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `DELETE FROM faq_entries WHERE id = $1`, id)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("delete FAQ entry %d: %w", id, err)
		}
		return nil
	})
}

// Move swaps an entry with the one before it (up) or after it in its
// section; at the section's edge nothing changes. The language's
// positions are numbered afresh 1, 2, 3… so that equal positions the
// shop typed do not stall the move.
func (s *Service) Move(ctx context.Context, id int64, up bool, now time.Time) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		e, err := scanEntry(tx.QueryRow(ctx, `SELECT `+entryColumns+` FROM faq_entries WHERE id = $1`, id))
		if err != nil {
			return err
		}
		entries, err := list(ctx, tx, e.Language)
		if err != nil {
			return err
		}
		at := -1
		for i := range entries {
			if entries[i].ID == id {
				at = i
			}
		}
		other := -1
		step := 1
		if up {
			step = -1
		}
		for i := at + step; i >= 0 && i < len(entries); i += step {
			if entries[i].Section == e.Section {
				other = i
				break
			}
		}
		if other < 0 {
			return nil
		}
		entries[at], entries[other] = entries[other], entries[at]
		for i, x := range entries {
			if x.Position == i+1 && i != at && i != other {
				continue
			}
			stamp := x.UpdatedAt
			if i == at || i == other {
				stamp = now
			}
			if _, err := tx.Exec(ctx, `UPDATE faq_entries SET ordinal = $1, updated_at = $2 WHERE id = $3`,
				i+1, stamp, x.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move FAQ entry %d: %w", id, err)
	}
	return nil
}

// Search returns lang's entries that answer query, best first (Rank).
// A query with no word finds nothing.
func (s *Service) Search(ctx context.Context, lang i18n.Lang, query string) ([]Hit, error) {
	norm := NormalizeQuery(query)
	if norm == "" {
		return nil, nil
	}
	entries, err := s.List(ctx, lang)
	if err != nil {
		return nil, err
	}
	return Rank(lang, entries, norm), nil
}

// Count records a search in faq_searches with whether it found anything
// (searchKey says what of it is kept); a query with nothing to keep is
// not counted. now is when the customer searched.
func (s *Service) Count(ctx context.Context, lang i18n.Lang, query string, found bool, now time.Time) error {
	key := searchKey(query, NormalizeQuery(query))
	if key == "" {
		return nil
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO faq_searches (query, language, count, last_at, found) VALUES ($1, $2, 1, $3, $4)
			ON CONFLICT (language, query) DO UPDATE SET count = faq_searches.count + 1, last_at = excluded.last_at,
			found = excluded.found`, key, string(lang), now, found); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM faq_searches WHERE last_at <
			(SELECT last_at FROM faq_searches ORDER BY last_at DESC LIMIT 1 OFFSET $1)`, maxSearches)
		return err
	})
	if err != nil {
		return fmt.Errorf("count FAQ search %q in %s: %w", key, lang, err)
	}
	return nil
}

// searchKey is what faq_searches keeps of a search: its normalised words
// without numbers of four digits or more (an order number, a phone, a
// postcode say nothing about the question and may be a person's), and
// nothing at all of a query with an e-mail address in it. The owner reads
// these: they must not become a list of customers' details.
func searchKey(raw, norm string) string {
	if strings.Contains(raw, "@") {
		return ""
	}
	var keep []string
	for _, w := range strings.Fields(norm) {
		digits := 0
		for _, r := range w {
			if unicode.IsDigit(r) {
				digits++
			}
		}
		if digits < 4 {
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, " ")
}

// Unanswered returns the searches whose last time found nothing, the most
// searched first, at most limit.
func (s *Service) Unanswered(ctx context.Context, limit int) ([]Searched, error) {
	var out []Searched
	err := store.Each(ctx, s.db.Read(), `SELECT query, language, count, last_at, found FROM faq_searches
		WHERE found = $1 ORDER BY count DESC, last_at DESC, id LIMIT $2`, []any{false, limit}, func(rows store.Rows) error {
		var x Searched
		var lang string
		err := rows.Scan(&x.Query, &lang, &x.Count, &x.LastAt, &x.Found)
		x.Language = i18n.Lang(lang)
		out = append(out, x)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list unanswered FAQ searches: %w", err)
	}
	return out, nil
}
