package experience

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/customer"

	"github.com/shopcare/shopcare/internal/invalid"
)

// WorthQuery narrows the worth of care: the negative experiences counted
// are those of Kind (all kinds when empty) between From and To, shop-local
// days (all time when zero).
type WorthQuery struct {
	From, To time.Time // shop-local days, To inclusive
	Kind     Kind
}

// ParseWorthQuery reads from, to (YYYY-MM-DD) and kind; errors name the
// field.
func ParseWorthQuery(from, to, kind string, loc *time.Location) (WorthQuery, error) {
	var q WorthQuery
	var errs invalid.List
	day := func(field, s string) time.Time {
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}
		}
		t, e := invalid.Day(field, s)
		if e != nil {
			errs.Add(e.Field, e.Code, "%s", e.Message)
			return time.Time{}
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	q.From, q.To = day("from", from), day("to", to)
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		errs.Add("to", "range", "must not be before from (%s)", q.From.Format(time.DateOnly))
	}
	if kind = strings.TrimSpace(kind); kind != "" {
		if !Kind(kind).Known() {
			errs.Add("kind", "invalid", "%q is not a kind of negative experience", kind)
		} else {
			q.Kind = Kind(kind)
		}
	}
	return q, errs.Err()
}

// Group is the customers who bought from the shop with none, one or
// several negative experiences, and how they went on.
type Group struct {
	// Name is none, one or several.
	Name      string `json:"name"`
	Customers int64  `json:"customers"`
	// Repeaters bought twice or more; RepeatRate is their share.
	Repeaters  int64   `json:"repeaters"`
	RepeatRate float64 `json:"repeat_rate"`
	// BoughtAfter placed an order after their first negative experience
	// (the group none: 0); BoughtAfterRate is their share. It answers
	// whether a customer came back after a bad moment, which the repeat
	// rate alone does not (who buys more meets more bad moments).
	BoughtAfter     int64   `json:"bought_after"`
	BoughtAfterRate float64 `json:"bought_after_rate"`
	// AvgSpentMinor is the average spend; Scored counts the customers
	// the CLV scoring has scored and AvgCLVMinor is their average CLV.
	AvgSpentMinor int64 `json:"avg_spent_minor"`
	Scored        int64 `json:"scored"`
	AvgCLVMinor   int64 `json:"avg_clv_minor"`
}

// KindCount is how many rows of a kind the register holds, and how many
// are resolved.
type KindCount struct {
	Kind     Kind  `json:"kind"`
	Count    int64 `json:"count"`
	Resolved int64 `json:"resolved"`
}

// Worth is "the figure that proves what care is worth": the customers
// with none, one and several negative experiences side by side.
type Worth struct {
	From     string      `json:"from,omitempty"`
	To       string      `json:"to,omitempty"`
	Kind     Kind        `json:"kind,omitempty"`
	Currency string      `json:"currency"`
	Groups   []Group     `json:"groups"`
	Kinds    []KindCount `json:"kinds"`
}

// Worth computes the groups over every customer who bought, one pass over
// the customers beside the register's per-customer counts and the CLV
// scores.
func (s *Service) Worth(ctx context.Context, q WorthQuery) (Worth, error) {
	w := Worth{Kind: q.Kind, Currency: s.deps.Settings.Shop.Currency}
	where, args := q.where()
	if !q.From.IsZero() {
		w.From = q.From.Format(time.DateOnly)
	}
	if !q.To.IsZero() {
		w.To = q.To.Format(time.DateOnly)
	}
	// Three reads at once, on the read pool: every buyer, the CLV
	// scores (the model scores buyers only), and the buyers with negative
	// experiences driven by the register's per-customer index; the group
	// none is the difference. The rows by kind come beside them.
	var all Group
	var allSpent, allCLV int64
	var errBuyers, errScores, errKinds error
	var wg sync.WaitGroup
	wg.Go(func() {
		var t customer.BuyerTotals
		t, errBuyers = customer.Buyers(ctx, s.db.Read())
		all.Customers, all.Repeaters, allSpent = t.Buyers, t.Repeaters, t.SpentMinor
	})
	if s.scores != nil {
		wg.Go(func() { all.Scored, allCLV, errScores = s.scores.ScoreTotals(ctx) })
	}
	wg.Go(func() { w.Kinds, errKinds = s.kindCounts(ctx, where, args) })
	rows, err := s.db.Read().Query(ctx, `SELECT CASE WHEN e.n = 1 THEN 1 ELSE 2 END AS g,
			COUNT(*), SUM(CASE WHEN c.purchases >= 2 THEN 1 ELSE 0 END),
			SUM(CASE WHEN c.last_order_at > e.first_at THEN 1 ELSE 0 END),
			COALESCE(SUM(c.spent_minor), 0), COUNT(sc.customer_id), COALESCE(SUM(sc.clv_minor), 0)
		FROM (SELECT customer_id, COUNT(*) AS n, MIN(at) AS first_at FROM negative_experiences`+where+`
			GROUP BY customer_id) e
		JOIN customers c ON c.id = e.customer_id
		LEFT JOIN customer_scores sc ON sc.customer_id = c.id
		WHERE c.purchases > 0
		GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		wg.Wait()
		return w, fmt.Errorf("the worth of care: %w", err)
	}
	type part struct {
		g      int
		x      Group
		sp, cl int64
	}
	var parts []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.g, &p.x.Customers, &p.x.Repeaters, &p.x.BoughtAfter, &p.sp, &p.x.Scored, &p.cl); err != nil {
			rows.Close()
			wg.Wait()
			return w, fmt.Errorf("the worth of care: %w", err)
		}
		parts = append(parts, p)
	}
	err = rows.Err()
	rows.Close()
	wg.Wait()
	if err = errors.Join(err, errBuyers, errScores, errKinds); err != nil {
		return w, fmt.Errorf("the worth of care: %w", err)
	}
	names := []string{"none", "one", "several"}
	w.Groups = []Group{{Name: "none"}, {Name: "one"}, {Name: "several"}}
	spent, clv := [3]int64{allSpent}, [3]int64{allCLV}
	w.Groups[0].Customers, w.Groups[0].Repeaters, w.Groups[0].Scored = all.Customers, all.Repeaters, all.Scored
	for _, p := range parts {
		if p.g < 1 || p.g > 2 {
			continue
		}
		x := p.x
		x.Name = names[p.g]
		w.Groups[p.g], spent[p.g], clv[p.g] = x, p.sp, p.cl
		none := &w.Groups[0]
		none.Customers -= x.Customers
		none.Repeaters -= x.Repeaters
		none.Scored -= x.Scored
		spent[0] -= p.sp
		clv[0] -= p.cl
	}
	for i := range w.Groups {
		x := &w.Groups[i]
		x.RepeatRate = share(x.Repeaters, x.Customers)
		x.BoughtAfterRate = share(x.BoughtAfter, x.Customers)
		if x.Customers > 0 {
			x.AvgSpentMinor = spent[i] / x.Customers
		}
		if x.Scored > 0 {
			x.AvgCLVMinor = clv[i] / x.Scored
		}
	}
	return w, nil
}

// where is the register's condition of q, with its arguments.
func (q WorthQuery) where() (string, []any) {
	var conds []string
	var args []any
	if !q.From.IsZero() {
		args = append(args, q.From)
		conds = append(conds, fmt.Sprintf("at >= $%d", len(args)))
	}
	if !q.To.IsZero() {
		args = append(args, q.To.AddDate(0, 0, 1))
		conds = append(conds, fmt.Sprintf("at < $%d", len(args)))
	}
	if q.Kind != "" {
		args = append(args, string(q.Kind))
		conds = append(conds, fmt.Sprintf("kind = $%d", len(args)))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (s *Service) kindCounts(ctx context.Context, where string, args []any) ([]KindCount, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT kind, COUNT(*), COUNT(resolved_at) FROM negative_experiences`+where+`
		GROUP BY kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("count negative experiences by kind: %w", err)
	}
	defer rows.Close()
	counts := map[Kind]KindCount{}
	for rows.Next() {
		var k KindCount
		var kind string
		if err := rows.Scan(&kind, &k.Count, &k.Resolved); err != nil {
			return nil, fmt.Errorf("count negative experiences by kind: %w", err)
		}
		k.Kind = Kind(kind)
		counts[k.Kind] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count negative experiences by kind: %w", err)
	}
	out := make([]KindCount, 0, len(Kinds()))
	for _, k := range Kinds() {
		c := counts[k]
		c.Kind = k
		out = append(out, c)
	}
	return out, nil
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}
