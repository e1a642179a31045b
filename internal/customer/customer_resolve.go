package customer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Resolve finds or creates the customer of every input, inside tx, and
// returns their ids in input order. It works set-wise, a few statements for
// the whole batch, so an import of a million orders is not a million lookups.
//
// Matching: the external id; else, for an input with an external id, a
// customer with the same e-mail (then phone) that has no external id yet,
// who is then given this one; for an input without one, any customer with
// the same e-mail (then phone). Blank fields of a matched customer are filled
// from the input; fields already known are kept.
func Resolve(ctx context.Context, tx *store.Tx, inputs []Input, now time.Time) ([]int64, error) {
	ids := make([]int64, len(inputs))
	found := map[int]*Customer{} // input index → stored customer

	byExt := map[string][]int{}
	for i, in := range inputs {
		if in.ExternalID != "" {
			byExt[in.ExternalID] = append(byExt[in.ExternalID], i)
		}
	}
	err := store.QueryIn(ctx, tx, `SELECT `+columns+` FROM customers WHERE external_id IN (IN_LIST)`,
		nil, keys(byExt), func(r store.Rows) error {
			c, err := scan(r)
			if err != nil {
				return err
			}
			for _, i := range byExt[c.ExternalID] {
				found[i] = c
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("match customers by external id: %w", err)
	}

	// Then e-mail and phone, for inputs still unmatched.
	for _, field := range []string{"email", "phone"} {
		want := map[string][]int{}
		for i, in := range inputs {
			if found[i] != nil {
				continue
			}
			if v := contact(in, field); v != "" {
				want[v] = append(want[v], i)
			}
		}
		if len(want) == 0 {
			continue
		}
		err := store.QueryIn(ctx, tx, `SELECT `+columns+` FROM customers WHERE `+field+` IN (IN_LIST) ORDER BY id`,
			nil, keys(want), func(r store.Rows) error {
				c, err := scan(r)
				if err != nil {
					return err
				}
				for _, i := range want[contact(Input{Email: c.Email, Phone: c.Phone}, field)] {
					in := inputs[i]
					if found[i] == nil && (in.ExternalID == "" || c.ExternalID == "") {
						found[i] = c
					}
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("match customers by %s: %w", field, err)
		}
	}

	// Update matched customers whose blanks the inputs can fill.
	updated := map[int64]bool{}
	reindex := map[int64][]string{}
	for i, c := range found {
		ids[i] = c.ID
		if updated[c.ID] {
			continue
		}
		merged := fill(c, inputs[i])
		if merged == *c {
			continue
		}
		updated[c.ID] = true
		*c = merged
		_, err := tx.Exec(ctx, `UPDATE customers SET external_id = $2, email = $3, phone = $4, name = $5,
			language = $6, country = $7, city = $8, timezone = $9, updated_at = $10 WHERE id = $1`,
			c.ID, store.NullText(c.ExternalID), store.NullText(c.Email), store.NullText(c.Phone), c.Name, c.Language, c.Country, c.City, c.Timezone, now)
		if err != nil {
			return nil, fmt.Errorf("update customer %d: %w", c.ID, err)
		}
		reindex[c.ID] = SearchTerms(c.Name, c.Email, c.Phone)
	}
	if err := indexSearch(ctx, tx, reindex, true); err != nil {
		return nil, err
	}

	// Create the rest: inputs sharing an identity within the batch become
	// one customer. Those with an external id go in one multi-row insert.
	created := map[string]int64{}
	var rows [][]any
	var exts []string
	for i, in := range inputs {
		if ids[i] != 0 || in.ExternalID == "" {
			continue
		}
		key := identity(in)
		if _, ok := created[key]; ok {
			continue
		}
		created[key] = 0
		exts = append(exts, in.ExternalID)
		rows = append(rows, []any{in.ExternalID, store.NullText(in.Email), store.NullText(in.Phone), in.Name, in.Language,
			in.Country, in.City, in.Timezone, now, now})
	}
	byExternalID := map[string]int64{}
	err = store.InsertMany(ctx, tx, "customers", []string{"external_id", "email", "phone", "name", "language",
		"country", "city", "timezone", "created_at", "updated_at"}, rows,
		"ON CONFLICT DO NOTHING RETURNING id, external_id", collectIDs(byExternalID))
	if err != nil {
		return nil, fmt.Errorf("create %d customers: %w", len(rows), err)
	}
	if len(byExternalID) < len(exts) {
		// Another transaction created some of them first (PostgreSQL).
		err = store.QueryIn(ctx, tx, `SELECT id, external_id FROM customers WHERE external_id IN (IN_LIST)`,
			nil, exts, collectIDs(byExternalID))
		if err != nil {
			return nil, fmt.Errorf("read created customers: %w", err)
		}
	}
	fresh := map[int64][]string{}
	for i, in := range inputs {
		if ids[i] != 0 {
			continue
		}
		if in.ExternalID != "" {
			ids[i] = byExternalID[in.ExternalID]
			fresh[ids[i]] = SearchTerms(in.Name, in.Email, in.Phone)
			continue
		}
		key := identity(in)
		if id, ok := created[key]; ok {
			ids[i] = id
			continue
		}
		id, err := insert(ctx, tx, in, now)
		if err != nil {
			return nil, err
		}
		created[key] = id
		ids[i] = id
		fresh[id] = SearchTerms(in.Name, in.Email, in.Phone)
	}
	if err := indexSearch(ctx, tx, fresh, false); err != nil {
		return nil, err
	}
	return ids, saveChannels(ctx, tx, inputs, ids, now)
}

// collectIDs returns a row scanner that files (id, external_id) rows in m.
func collectIDs(m map[string]int64) func(store.Rows) error {
	return func(r store.Rows) error {
		var id int64
		var ext string
		if err := r.Scan(&id, &ext); err != nil {
			return err
		}
		m[ext] = id
		return nil
	}
}

// insert creates one customer. A concurrent insert of the same external id
// by another transaction (PostgreSQL) makes this one read theirs instead.
func insert(ctx context.Context, tx *store.Tx, in Input, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO customers (external_id, email, phone, name, language, country, city, timezone, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING RETURNING id`,
		store.NullText(in.ExternalID), store.NullText(in.Email), store.NullText(in.Phone), in.Name, in.Language, in.Country, in.City, in.Timezone, now).Scan(&id)
	if errors.Is(err, store.ErrNotFound) && in.ExternalID != "" {
		err = tx.QueryRow(ctx, `SELECT id FROM customers WHERE external_id = $1`, in.ExternalID).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("create customer %s: %w", identity(in), err)
	}
	return id, nil
}

// fill returns c with its blank fields taken from in.
func fill(c *Customer, in Input) Customer {
	m := *c
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&m.ExternalID, in.ExternalID)
	set(&m.Email, in.Email)
	set(&m.Phone, in.Phone)
	set(&m.Name, in.Name)
	set(&m.Language, in.Language)
	set(&m.Country, in.Country)
	set(&m.City, in.City)
	set(&m.Timezone, in.Timezone)
	return m
}

func identity(in Input) string {
	switch {
	case in.ExternalID != "":
		return "external_id " + in.ExternalID
	case in.Email != "":
		return "email " + in.Email
	default:
		return "phone " + in.Phone
	}
}

func contact(in Input, field string) string {
	if field == "email" {
		return in.Email
	}
	return in.Phone
}

func keys(m map[string][]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

const columns = `id, external_id, email, phone, name, language, country, city, timezone,
	orders_count, spent_minor, first_order_at, last_order_at, created_at`

func scan(r store.Row) (*Customer, error) {
	var c Customer
	var ext, email, phone *string
	if err := r.Scan(&c.ID, &ext, &email, &phone, &c.Name, &c.Language, &c.Country, &c.City, &c.Timezone,
		&c.OrdersCount, &c.SpentMinor, &c.FirstOrderAt, &c.LastOrderAt, &c.CreatedAt); err != nil {
		return nil, err
	}
	for dst, src := range map[*string]*string{&c.ExternalID: ext, &c.Email: email, &c.Phone: phone} {
		if src != nil {
			*dst = *src
		}
	}
	return &c, nil
}

// Get returns the customer with id, or store.ErrNotFound.
func Get(ctx context.Context, q store.Querier, id int64) (*Customer, error) {
	c, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM customers WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load customer %d: %w", id, err)
	}
	return c, nil
}

// GetMany returns the customers ids, each as Get returns it, by id, with
// one statement for all of them; an id with no customer is left out.
func GetMany(ctx context.Context, q store.Querier, ids []int64) (map[int64]*Customer, error) {
	out := make(map[int64]*Customer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := store.QueryIn(ctx, q, `SELECT `+columns+` FROM customers WHERE id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		c, err := scan(r)
		if err == nil {
			out[c.ID] = c
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load %d customers: %w", len(ids), err)
	}
	return out, nil
}

// ResolveID finds a customer by shopcare's id or the shop's external id.
func ResolveID(ctx context.Context, q store.Querier, ref string) (int64, error) {
	var id int64
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		err := q.QueryRow(ctx, `SELECT id FROM customers WHERE id = $1`, n).Scan(&id)
		if !errors.Is(err, store.ErrNotFound) {
			return id, err
		}
	}
	if err := q.QueryRow(ctx, `SELECT id FROM customers WHERE external_id = $1`, ref).Scan(&id); err != nil {
		return 0, fmt.Errorf("find customer %q: %w", ref, err)
	}
	return id, nil
}
