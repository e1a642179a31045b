package returns

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// Params are the Service's collaborators.
type Params struct {
	Journal *journal.Journal
}

// Service takes customers' return requests, for the web surface: it holds
// the database so the handlers do not.
type Service struct {
	db      *store.DB
	deps    service.Deps
	journal *journal.Journal
}

// New returns the returns service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal}
}

// WindowOf returns order o's return window on day today (shop-local
// YYYY-MM-DD) for a window of days (0: no returns on the page).
func WindowOf(o *order.Order, days int, today string) Window {
	w := Window{Delivered: o.Status == order.Delivered && o.DeliveredOn != "", DeliveredOn: o.DeliveredOn,
		Returned: o.Status == order.Returned}
	if !w.Delivered {
		return w
	}
	from, err1 := time.Parse(time.DateOnly, o.DeliveredOn)
	now, err2 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil {
		return Window{} // a day the store cannot read is no delivery to count from
	}
	w.Days = int(now.Sub(from).Hours() / 24)
	if days > 0 {
		until := from.AddDate(0, 0, days)
		w.Until = until.Format(time.DateOnly)
		w.Open = !now.After(until)
	}
	return w
}

// today is the shop-local day on the business clock.
func (s *Service) today() string {
	return s.deps.Clock.Now().In(s.deps.Settings.Shop.Location()).Format(time.DateOnly)
}

// Form returns what the return page of order o shows. The caller has
// made sure o is the customer's own.
func (s *Service) Form(ctx context.Context, o *order.Order) (Form, error) {
	reqs, err := ListByOrder(ctx, s.db.Read(), o.ID)
	if err != nil {
		return Form{}, err
	}
	return Form{Window: WindowOf(o, s.deps.Settings.Returns.WindowDays, s.today()), Lines: returnable(o, reqs),
		Reasons: s.deps.Settings.Returns.Reasons, Requests: reqs}, nil
}

// returnable is the order's lines less what the requests asked back,
// matched by line and SKU.
func returnable(o *order.Order, reqs []Request) []Returnable {
	out := make([]Returnable, len(o.Items))
	for i, it := range o.Items {
		out[i] = Returnable{Line: i + 1, SKU: it.SKU, Name: it.Name, Ordered: it.Qty}
		for _, r := range reqs {
			for _, l := range r.Lines {
				if l.Line == i+1 && l.SKU == it.SKU {
					out[i].Requested += l.Qty
				}
			}
		}
	}
	return out
}

// Create validates a customer's return form and, when it holds, stores
// the request, an operator's return_request task and the
// order.return_requested event in one transaction. Everything is checked
// inside that transaction before the first write: a refused form leaves
// no row. It returns *invalid.List for a form to correct, ErrNotDelivered
// or *ClosedError for an order that cannot be returned now, and
// store.ErrNotFound for an order that is not the customer's. The same
// form (FormID) posted again returns the first request.
func (s *Service) Create(ctx context.Context, in Input) (Request, error) {
	in.Reason, in.Comment = strings.TrimSpace(in.Reason), cleanComment(in.Comment)
	if in.FormID == "" {
		in.FormID = secret.Token() // no form id, no twin to find
	}
	var out Request
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if s.db.Engine() == store.Postgres {
			// Requests for one order take turns, so two at once cannot both
			// take the last units.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7320, $1::int)`, int32(in.OrderID)); err != nil {
				return fmt.Errorf("lock returns of order %d: %w", in.OrderID, err)
			}
		}
		o, err := order.Get(ctx, tx, in.OrderID)
		if err != nil {
			return err
		}
		if o.CustomerID != in.CustomerID {
			return fmt.Errorf("return of order %d for customer %d: %w", in.OrderID, in.CustomerID, store.ErrNotFound)
		}
		if prev, err := byForm(ctx, tx, in.OrderID, in.FormID); err == nil {
			out = prev
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		w := WindowOf(o, s.deps.Settings.Returns.WindowDays, s.today())
		switch {
		case !w.Delivered:
			return ErrNotDelivered
		case !w.Open:
			return &ClosedError{Until: w.Until}
		}
		reqs, err := ListByOrder(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		lines, err := check(in, returnable(o, reqs), s.deps.Settings.Returns.Reasons)
		if err != nil {
			return err
		}
		out, err = s.write(ctx, tx, o, in, lines, w)
		return err
	})
	return out, err
}

// check validates the form against the order's returnable lines and the
// reasons offered, and returns the lines asked.
func check(in Input, left []Returnable, reasons []string) ([]Line, error) {
	var errs invalid.List
	var lines []Line
	asked := make([]int, 0, len(in.Qty))
	for line := range in.Qty {
		asked = append(asked, line)
	}
	slices.Sort(asked)
	for _, line := range asked {
		qty, field := in.Qty[line], fmt.Sprintf("qty_%d", line)
		switch {
		case line < 1 || line > len(left):
			errs.Add(field, "invalid", "the order has no line %d", line)
		case qty < 0:
			errs.Add(field, "negative", "must not be negative")
		case qty > left[line-1].Left():
			errs.Add(field, "too_many", "at most %d may be returned", left[line-1].Left())
		case qty > 0:
			l := left[line-1]
			lines = append(lines, Line{Line: l.Line, SKU: l.SKU, Name: l.Name, Qty: qty})
		}
	}
	if len(lines) == 0 && len(errs) == 0 {
		errs.Add("items", "required", "choose at least one item to return")
	}
	if len(lines) > maxLines {
		errs.Add("items", "invalid", "at most %d lines in one request", maxLines)
	}
	switch {
	case in.Reason == "":
		errs.Add("reason", "required", "choose a reason")
	case !slices.Contains(reasons, in.Reason):
		errs.Add("reason", "invalid", "%q is not a reason the shop offers", in.Reason)
	}
	switch {
	case utf8.RuneCountInString(in.Comment) > MaxComment:
		errs.Add("comment", "too_long", "at most %d characters", MaxComment)
	case in.Reason == "other" && in.Comment == "":
		errs.Add("comment", "required", "say what is wrong when the reason is other")
	}
	return lines, errs.Err()
}

// cleanComment trims the comment and drops control characters other than
// line breaks and tabs.
func cleanComment(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	return strings.TrimSpace(s)
}

// write stores a checked request with its task and event, inside tx.
func (s *Service) write(ctx context.Context, tx *store.Tx, o *order.Order, in Input, lines []Line, w Window) (Request, error) {
	now := s.deps.Clock.Now()
	r := Request{OrderID: o.ID, CustomerID: o.CustomerID, Reason: in.Reason, Comment: in.Comment, State: Requested,
		CreatedAt: now, Lines: lines}
	err := tx.QueryRow(ctx, `INSERT INTO return_requests (order_id, customer_id, reason, comment, state, form_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, o.ID, o.CustomerID, r.Reason, r.Comment, string(r.State),
		in.FormID, now).Scan(&r.ID)
	if err != nil {
		return Request{}, fmt.Errorf("store return of order %d: %w", o.ID, err)
	}
	rows := make([][]any, len(lines))
	for i, l := range lines {
		rows[i] = []any{r.ID, l.Line, l.SKU, l.Name, l.Qty}
	}
	if err := store.InsertMany(ctx, tx, "return_request_items", []string{"request_id", "line", "sku", "name", "qty"}, rows, "", nil); err != nil {
		return Request{}, fmt.Errorf("store lines of return %d: %w", r.ID, err)
	}
	t := task.Task{Kind: task.ReturnRequest, OrderID: o.ID, CustomerID: o.CustomerID,
		DedupeKey: taskKey(o.ID, r.ID), DueAt: now, Note: taskNote(r)}
	if _, err := task.Create(ctx, tx, []task.Task{t}, now); err != nil {
		return Request{}, err
	}
	err = s.journal.Append(ctx, tx, journal.Event{Kind: journal.OrderReturnRequested, OrderID: o.ID, CustomerID: o.CustomerID,
		History: o.History, OccurredAt: now, Payload: journal.MustPayload(event.OrderReturnRequestedPayload{
			RequestID: r.ID, Reason: r.Reason, Lines: int64(len(lines)), Units: r.Units(),
			DeliveredOn: w.DeliveredOn, DaysSinceDelivery: int64(w.Days)})})
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

// taskNote is what the operator's task says: the lines asked back
// (name × units; the SKU when the line has no name), in the shop's own
// words. The reason and the customer's words are on the order's page, in
// the operator's language and erased with the customer.
func taskNote(r Request) string {
	parts := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		name := l.Name
		if name == "" {
			name = l.SKU
		}
		parts[i] = fmt.Sprintf("%s × %d", name, l.Qty)
	}
	return strings.Join(parts, ", ")
}

// taskKey is the dedupe key of request id's task on order orderID.
func taskKey(orderID, id int64) string { return fmt.Sprintf("o%d:return:%d", orderID, id) }

// ErasePersonal blanks the comments of customer id's return requests
// inside the erasure's transaction (an order.Eraser): the customer's own
// words are personal data; the reasons, lines and dates stay for the
// shop's figures. The count is reported only when something was erased,
// so an erasure's answer keeps its shape for customers without returns.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	n, err := tx.Exec(ctx, `UPDATE return_requests SET comment = '' WHERE customer_id = $1 AND comment <> ''`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase return comments of customer %d: %w", customerID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return map[string]int64{"return_comments": n}, nil
}

// ListByOrder returns an order's return requests with their lines, the
// oldest first.
func (s *Service) ListByOrder(ctx context.Context, orderID int64) ([]Request, error) {
	return ListByOrder(ctx, s.db.Read(), orderID)
}

// ListByOrder returns an order's return requests with their lines, the
// oldest first, read through q.
func ListByOrder(ctx context.Context, q store.Querier, orderID int64) ([]Request, error) {
	var out []Request
	err := store.Each(ctx, q, `SELECT id, order_id, customer_id, reason, comment, state, created_at
		FROM return_requests WHERE order_id = $1 ORDER BY created_at, id`, []any{orderID}, func(r store.Rows) error {
		var x Request
		if err := r.Scan(&x.ID, &x.OrderID, &x.CustomerID, &x.Reason, &x.Comment, &x.State, &x.CreatedAt); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("returns of order %d: %w", orderID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	at := make(map[int64]int, len(out))
	for i, x := range out {
		at[x.ID] = i
	}
	err = store.Each(ctx, q, `SELECT i.request_id, i.line, i.sku, i.name, i.qty FROM return_request_items i
		JOIN return_requests r ON r.id = i.request_id WHERE r.order_id = $1 ORDER BY i.request_id, i.line`,
		[]any{orderID}, func(r store.Rows) error {
			var id int64
			var l Line
			if err := r.Scan(&id, &l.Line, &l.SKU, &l.Name, &l.Qty); err != nil {
				return err
			}
			out[at[id]].Lines = append(out[at[id]].Lines, l)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("lines of returns of order %d: %w", orderID, err)
	}
	ts, err := task.ListByOrder(ctx, q, orderID)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Kind != task.ReturnRequest || t.Status != task.Done {
			continue
		}
		for i := range out {
			if t.DedupeKey == taskKey(orderID, out[i].ID) {
				out[i].State = Handled
			}
		}
	}
	return out, nil
}

// byForm returns the order's request made by the form formID, or
// store.ErrNotFound.
func byForm(ctx context.Context, q store.Querier, orderID int64, formID string) (Request, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM return_requests WHERE order_id = $1 AND form_id = $2`, orderID, formID).Scan(&id)
	if err != nil {
		return Request{}, fmt.Errorf("return of order %d by form: %w", orderID, err)
	}
	reqs, err := ListByOrder(ctx, q, orderID)
	if err != nil {
		return Request{}, err
	}
	for _, r := range reqs {
		if r.ID == id {
			return r, nil
		}
	}
	return Request{}, fmt.Errorf("return %d of order %d: %w", id, orderID, store.ErrNotFound)
}
