package connector

import (
	"context"
	"fmt"
	"strconv"

	"github.com/shopcare/shopcare/internal/store"
)

// Status is how one connector fares, for the admin.
type Status struct {
	Name, Platform string
	// Problem says why the connector takes no deliveries ("" when it
	// does): its platform has no adapter in this build, say.
	Problem string
	// Address is the webhook address to paste into the platform;
	// SecretAddress, for platforms that sign nothing, the same with the
	// secret in it ("" for the others).
	Address, SecretAddress string
	// Last is the newest delivery, nil before the first.
	Last *Record
	// Counts are the deliveries by state.
	Counts map[State]int64
	// LastProblem is the newest failed or rejected delivery, nil when none.
	LastProblem *Record
}

// Status reports every connector, in the settings' order.
func (s *Service) Status(ctx context.Context) ([]Status, error) {
	q := s.db.Read()
	all, err := counts(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(s.names))
	for _, name := range s.names {
		cn := s.conns[name]
		st := Status{Name: name, Platform: cn.cfg.Platform, Counts: all[name]}
		if st.Counts == nil {
			st.Counts = map[State]int64{}
		}
		if cn.err != nil {
			st.Problem = cn.err.Error()
		}
		st.Address, st.SecretAddress = s.Address(name)
		if rec, ok, err := latest(ctx, q, name); err != nil {
			return nil, err
		} else if ok {
			st.Last = &rec
		}
		if rec, ok, err := latest(ctx, q, name, StateFailed, StateRejected); err != nil {
			return nil, err
		} else if ok {
			st.LastProblem = &rec
		}
		out = append(out, st)
	}
	return out, nil
}

// Address returns a connector's webhook address under the shop's public
// URL, and for a platform that signs nothing the address with its secret.
func (s *Service) Address(name string) (address, secretAddress string) {
	address = s.settings.Shop.PublicURL + "/hooks/" + name
	if cn, ok := s.conns[name]; ok && cn.cfg.PathSecret() && cn.cfg.WebhookSecret != "" {
		secretAddress = address + "/" + cn.cfg.WebhookSecret
	}
	return address, secretAddress
}

// Filter narrows a list of deliveries.
type Filter struct {
	// State, when set, keeps the deliveries in it.
	State State
	// Before is the Next of the page before ("" for the newest).
	Before string
	// Limit bounds the page (50 when 0).
	Limit int
}

// DeliveryPage is a page of a connector's deliveries, newest first,
// without their bodies.
type DeliveryPage struct {
	Deliveries []Record
	// Next continues after this page; "" on the last.
	Next string
}

// Deliveries lists a connector's deliveries, newest first.
func (s *Service) Deliveries(ctx context.Context, name string, f Filter) (DeliveryPage, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	query, args := `SELECT `+recordColumns+` FROM connector_deliveries WHERE connector = $1`, []any{name}
	if f.State != "" {
		args = append(args, string(f.State))
		query += ` AND state = $` + strconv.Itoa(len(args))
	}
	if before, err := strconv.ParseInt(f.Before, 10, 64); err == nil && before > 0 {
		args = append(args, before)
		query += ` AND id < $` + strconv.Itoa(len(args))
	}
	args = append(args, f.Limit+1)
	query += ` ORDER BY id DESC LIMIT $` + strconv.Itoa(len(args))
	var p DeliveryPage
	err := store.Each(ctx, s.db.Read(), query, args, func(r store.Rows) error {
		rec, err := scanRecord(r)
		if err == nil {
			p.Deliveries = append(p.Deliveries, rec)
		}
		return err
	})
	if err != nil {
		return DeliveryPage{}, fmt.Errorf("list deliveries of %s: %w", name, err)
	}
	if len(p.Deliveries) > f.Limit {
		p.Deliveries = p.Deliveries[:f.Limit]
		p.Next = strconv.FormatInt(p.Deliveries[f.Limit-1].ID, 10)
	}
	return p, nil
}

// Delivery returns one delivery with its body, headers and query;
// store.ErrNotFound when there is none.
func (s *Service) Delivery(ctx context.Context, id int64) (Record, error) {
	rec, err := scanFull(s.db.Read().QueryRow(ctx, `SELECT `+recordColumns+`, body, headers, query
		FROM connector_deliveries WHERE id = $1`, id))
	if err != nil {
		return rec, fmt.Errorf("load delivery %d: %w", id, err)
	}
	return rec, nil
}

// Replay applies one delivery again, whatever its state (a failed one
// after the cause was fixed), and returns it with its new outcome. A
// delivery already applied changes nothing the second time.
func (s *Service) Replay(ctx context.Context, id int64) (Record, error) {
	s.draining.Lock()
	defer s.draining.Unlock()
	rec, _, err := s.applyOne(ctx, id, false)
	return rec, err
}
