package insider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// JoinInput is a customer's sign-up to a project.
type JoinInput struct {
	ProjectID  int64
	CustomerID int64
	Source     Source
	// Lang is the language the consent's wording was shown in.
	Lang string
}

// Join signs a customer up to a project under the consent of version
// ConsentVersion, and journals insider.joined, in one transaction. It is
// idempotent: a member joining again changes nothing and journals
// nothing; a customer who left joins again with a fresh consent. It
// checks everything before the first write: ErrClosed for a project not
// open today, store.ErrNotFound for an unknown project or customer (or
// an erased one). joined reports whether this call made the membership.
func (s *Service) Join(ctx context.Context, in JoinInput) (joined bool, err error) {
	return s.JoinAt(ctx, in, s.deps.Clock.Now())
}

// JoinAt is Join as of now rather than the clock's time: the demo's
// history and imports of sign-ups made elsewhere. The project must have
// been open on now's shop-local day.
func (s *Service) JoinAt(ctx context.Context, in JoinInput, now time.Time) (joined bool, err error) {
	if in.Source != FromMyPage && in.Source != FromLink {
		return false, fmt.Errorf("join insider project %d: unknown source %q", in.ProjectID, in.Source)
	}
	if !validLang(in.Lang) {
		in.Lang = langs[0]
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := projectGet(ctx, tx, in.ProjectID)
		if err != nil {
			return err
		}
		if erased, err := customer.IsErased(ctx, tx, in.CustomerID); err != nil {
			return fmt.Errorf("customer %d: %w", in.CustomerID, err)
		} else if erased {
			return fmt.Errorf("customer %d is erased: %w", in.CustomerID, store.ErrNotFound)
		}
		var left *time.Time
		err = tx.QueryRow(ctx, `SELECT left_at FROM insider_members WHERE project_id = $1 AND customer_id = $2`,
			p.ID, in.CustomerID).Scan(&left)
		switch {
		case err == nil && left == nil:
			return nil // a member already
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		if !p.Open(now.In(s.deps.Settings.Shop.Location()).Format(time.DateOnly)) {
			return ErrClosed
		}
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE insider_members SET source = $1, consent_version = $2, consent_lang = $3,
				joined_at = $4, left_at = NULL WHERE project_id = $5 AND customer_id = $6`,
				string(in.Source), ConsentVersion, in.Lang, now, p.ID, in.CustomerID)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO insider_members (project_id, customer_id, source, consent_version,
				consent_lang, joined_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				p.ID, in.CustomerID, string(in.Source), ConsentVersion, in.Lang, now)
		}
		if err != nil {
			return err
		}
		joined = true
		return s.journal.Append(ctx, tx, journal.Event{Kind: journal.InsiderJoined, CustomerID: in.CustomerID,
			OccurredAt: now, Payload: journal.MustPayload(event.InsiderJoinedPayload{ProjectID: p.ID, Source: string(in.Source)})})
	})
	if err != nil {
		return false, fmt.Errorf("join customer %d to insider project %d: %w", in.CustomerID, in.ProjectID, err)
	}
	return joined, nil
}

// Leave takes a customer out of a project: the consent is withdrawn
// (left_at), the row kept as its proof. Leaving a project one is not in
// changes nothing; an unknown project is store.ErrNotFound. A closed
// project can be left too.
func (s *Service) Leave(ctx context.Context, projectID, customerID int64) error {
	now := s.deps.Clock.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := projectGet(ctx, tx, projectID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE insider_members SET left_at = $1 WHERE project_id = $2 AND customer_id = $3
			AND left_at IS NULL`, now, projectID, customerID)
		return err
	})
	if err != nil {
		return fmt.Errorf("customer %d leaves insider project %d: %w", customerID, projectID, err)
	}
	return nil
}

// validLang says lang is one of the projects' languages.
func validLang(lang string) bool {
	for _, l := range langs {
		if l == lang {
			return true
		}
	}
	return false
}

// ForCustomer returns the projects the customer's page shows: those open
// today, and those the customer is in though they closed since, each
// with whether the customer is in it.
func (s *Service) ForCustomer(ctx context.Context, customerID int64) ([]Membership, error) {
	today := s.today()
	var out []Membership
	err := store.Each(ctx, s.db.Read(), `SELECT `+projectColumns+`, m.joined_at FROM insider_projects p
		LEFT JOIN insider_members m ON m.project_id = p.id AND m.customer_id = $1 AND m.left_at IS NULL
		ORDER BY p.created_at DESC, p.id DESC`, []any{customerID}, func(r store.Rows) error {
		var m Membership
		var joined *time.Time
		p, err := scanProjectWith(r, &joined)
		if err != nil {
			return err
		}
		m.Project, m.Joined, m.JoinedAt = p, joined != nil, joined
		if m.Joined || p.Open(today) {
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("insider projects of customer %d: %w", customerID, err)
	}
	return out, nil
}

// CustomerProjects returns the projects the customer is in now, for the
// API's customer and the admin's customer page.
func (s *Service) CustomerProjects(ctx context.Context, customerID int64) ([]Membership, error) {
	all, err := s.ForCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	var out []Membership
	for _, m := range all {
		if m.Joined {
			out = append(out, m)
		}
	}
	return out, nil
}

// Consents returns every membership customer id has had, with the
// consent each was joined on and when it was withdrawn (LeftAt), the
// earliest first: their copy of their data (the API's export). The
// contacts (Name, Email…) are left empty. Never nil.
func (s *Service) Consents(ctx context.Context, customerID int64) ([]Member, error) {
	out := []Member{}
	err := store.Each(ctx, s.db.Read(), `SELECT project_id, customer_id, source, consent_version, consent_lang, joined_at, left_at
		FROM insider_members WHERE customer_id = $1 ORDER BY joined_at, project_id`, []any{customerID},
		func(r store.Rows) error {
			var m Member
			if err := r.Scan(&m.ProjectID, &m.CustomerID, &m.Source, &m.ConsentVersion, &m.ConsentLang, &m.JoinedAt,
				&m.LeftAt); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("insider consents of customer %d: %w", customerID, err)
	}
	return out, nil
}

// MemberPage is one page of a project's members.
type MemberPage struct {
	Members []Member
	// Next is the cursor of the next page, "" on the last.
	Next string
}

// Members returns a page of a project's members, the earliest to join
// first, with their contacts: limit rows after cursor (a Next of the page
// before; "" for the first page). withLeft lists those who left too.
// store.ErrNotFound for an unknown project.
func (s *Service) Members(ctx context.Context, projectID int64, cursor string, limit int, withLeft bool) (MemberPage, error) {
	q := s.db.Read()
	if _, err := projectGet(ctx, q, projectID); err != nil {
		return MemberPage{}, err
	}
	after, afterID, ok := store.ParseCursor(cursor)
	if !ok {
		after, afterID = time.Time{}, 0
	}
	var out MemberPage
	err := store.Each(ctx, q, `SELECT m.project_id, m.customer_id, m.source, m.consent_version, m.consent_lang,
		m.joined_at, m.left_at, c.name, COALESCE(c.email, ''), COALESCE(c.phone, ''), c.language, COALESCE(c.external_id, '')
		FROM insider_members m JOIN customers c ON c.id = m.customer_id
		WHERE m.project_id = $1 AND ($2 OR m.left_at IS NULL) AND (m.joined_at > $3 OR (m.joined_at = $3 AND m.customer_id > $4))
		ORDER BY m.joined_at, m.customer_id LIMIT $5`, []any{projectID, withLeft, after, afterID, limit + 1},
		func(r store.Rows) error {
			var m Member
			if err := r.Scan(&m.ProjectID, &m.CustomerID, &m.Source, &m.ConsentVersion, &m.ConsentLang, &m.JoinedAt,
				&m.LeftAt, &m.Name, &m.Email, &m.Phone, &m.Language, &m.ExternalID); err != nil {
				return err
			}
			out.Members = append(out.Members, m)
			return nil
		})
	if err != nil {
		return MemberPage{}, fmt.Errorf("members of insider project %d: %w", projectID, err)
	}
	if len(out.Members) > limit {
		out.Members = out.Members[:limit]
		last := out.Members[limit-1]
		out.Next = store.Cursor(last.JoinedAt, last.CustomerID)
	}
	return out, nil
}

// EachMember calls fn with every current member of a project, the
// earliest first, a page at a time: the campaigns' export.
func (s *Service) EachMember(ctx context.Context, projectID int64, fn func(Member) error) error {
	cursor := ""
	for {
		page, err := s.Members(ctx, projectID, cursor, 1000, false)
		if err != nil {
			return err
		}
		for _, m := range page.Members {
			if err := fn(m); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		cursor = page.Next
	}
}

// ErasePersonal deletes customer id's memberships inside the erasure's
// transaction (an order.Eraser): which clubs a person joined, and their
// consents, go with their data. The projects' counts drop accordingly.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	n, err := tx.Exec(ctx, `DELETE FROM insider_members WHERE customer_id = $1`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase insider memberships of customer %d: %w", customerID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return map[string]int64{"insider_memberships": n}, nil
}
