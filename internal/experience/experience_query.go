package experience

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

const columns = `id, customer_id, order_id, kind, ref, at, detail, cost_minor, compensation_minor, resolved_at, resolved_by, resolution`

func scan(r interface{ Scan(...any) error }) (Experience, error) {
	var x Experience
	var orderID *int64
	var kind string
	err := r.Scan(&x.ID, &x.CustomerID, &orderID, &kind, &x.Ref, &x.At, &x.Detail, &x.CostMinor, &x.CompensationMinor,
		&x.ResolvedAt, &x.ResolvedBy, &x.Resolution)
	if orderID != nil {
		x.OrderID = *orderID
	}
	x.Kind = Kind(kind)
	return x, err
}

// ListByCustomer returns a customer's negative experiences, latest first.
func (s *Service) ListByCustomer(ctx context.Context, customerID int64) ([]Experience, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT `+columns+` FROM negative_experiences
		WHERE customer_id = $1 ORDER BY at DESC, id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list negative experiences of customer %d: %w", customerID, err)
	}
	defer rows.Close()
	out := []Experience{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list negative experiences of customer %d: %w", customerID, err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Get returns one negative experience, store.ErrNotFound when there is
// none.
func (s *Service) Get(ctx context.Context, id int64) (Experience, error) {
	x, err := scan(s.db.Read().QueryRow(ctx, `SELECT `+columns+` FROM negative_experiences WHERE id = $1`, id))
	if err != nil {
		return x, fmt.Errorf("load negative experience %d: %w", id, err)
	}
	return x, nil
}

// Resolution is how the shop put a negative experience right.
type Resolution struct {
	// Note says what was done ("called, apologised, sent a new parcel").
	Note string
	// CompensationMinor is what the customer was given, in minor units
	// of the shop's currency; CostMinor what the bad moment cost the shop.
	CompensationMinor int64
	CostMinor         int64
	// By is who resolved it (the operator's e-mail).
	By string
}

// ErrResolved refuses to resolve a negative experience twice.
var ErrResolved = errors.New("the negative experience is resolved already")

// maxMinor caps the figures of a resolution: a hundred million units.
const maxMinor = 100_000_000_00

// Validate checks a resolution; errors name the field.
func (r *Resolution) Validate() error {
	r.Note = strings.TrimSpace(r.Note)
	var errs invalid.List
	if r.Note == "" {
		errs.Add("note", "required", "say what was done to put it right")
	} else if e := invalid.TextMax("note", r.Note, 1000, true); e != nil {
		errs.Add(e.Field, e.Code, "%s", e.Message)
	}
	for _, f := range []struct {
		name string
		v    int64
	}{{"compensation", r.CompensationMinor}, {"cost", r.CostMinor}} {
		if f.v < 0 || f.v > maxMinor {
			errs.Add(f.name, "range", "must be between 0 and %d", maxMinor/100)
		}
	}
	return errs.Err()
}

// Resolve marks negative experience id of customerID resolved at now with
// r's note and figures. A second resolve is ErrResolved; an id of another
// customer store.ErrNotFound. Nothing is written when r is invalid.
func (s *Service) Resolve(ctx context.Context, customerID, id int64, r Resolution) (Experience, error) {
	if err := r.Validate(); err != nil {
		return Experience{}, err
	}
	now := s.deps.Clock.Now()
	var x Experience
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE negative_experiences SET resolved_at = $3, resolved_by = $4, resolution = $5,
			compensation_minor = $6, cost_minor = $7 WHERE id = $1 AND customer_id = $2 AND resolved_at IS NULL`,
			id, customerID, now, r.By, r.Note, r.CompensationMinor, r.CostMinor)
		if err != nil {
			return err
		}
		x, err = scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM negative_experiences WHERE id = $1 AND customer_id = $2`, id, customerID))
		if err == nil && n == 0 {
			err = ErrResolved
		}
		return err
	})
	if err != nil {
		return Experience{}, fmt.Errorf("resolve negative experience %d: %w", id, err)
	}
	return x, nil
}

// Open reports whether x awaits resolution.
func (x Experience) Open() bool { return x.ResolvedAt == nil }

// Age is how long ago x happened at now.
func (x Experience) Age(now time.Time) time.Duration { return now.Sub(x.At) }
