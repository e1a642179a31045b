package task

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// This file holds the tasks table's SQL that other packages need: the
// table belongs to this package (style rule 14a), so the call-back desk,
// the demo and the rest call these functions rather than naming it. The
// call-back queue reads the order and customer beside each task in the
// same statement, as one walk of the open tasks' index.

// CallbackQueueSQL walks the partial index tasks_open (kind, due_at) WHERE
// status = 'open' in order and stops at the limit, so its cost does not
// grow with the orders behind it. The kind and status are literals: SQLite
// uses a partial index only for a query whose WHERE implies the index's
// own. It is exported for a test of its plan.
const CallbackQueueSQL = `SELECT t.id, t.order_id, o.external_id, o.status, o.placed_at, o.customer_id, c.name, c.phone,
	c.timezone, t.due_at, t.attempts
	FROM tasks t
	JOIN orders o ON o.id = t.order_id
	JOIN customers c ON c.id = o.customer_id
	WHERE t.kind = 'callback' AND t.status = 'open'
	ORDER BY t.due_at, t.id
	LIMIT $1`

// CallbackQueuePageSQL is CallbackQueueSQL from a cursor on: the open
// call-backs due at or after the cursor's time, the same index walked from
// there.
const CallbackQueuePageSQL = `SELECT t.id, t.order_id, o.external_id, o.status, o.placed_at, o.customer_id, c.name, c.phone,
	c.timezone, t.due_at, t.attempts
	FROM tasks t
	JOIN orders o ON o.id = t.order_id
	JOIN customers c ON c.id = o.customer_id
	WHERE t.kind = 'callback' AND t.status = 'open' AND t.due_at >= $1 AND (t.due_at > $1 OR t.id > $2)
	ORDER BY t.due_at, t.id
	LIMIT $3`

// CallbackQueued is an open call-back with its order and customer.
type CallbackQueued struct {
	TaskID       int64
	OrderID      int64
	OrderNumber  string
	OrderStatus  string
	PlacedAt     time.Time
	CustomerID   int64
	CustomerName string
	Phone        *string
	Zone         string
	DueAt        time.Time
	Attempts     int
	// BadPlaced and BadDue mark times that could not be read (Lenient
	// only): the time is zero.
	BadPlaced, BadDue bool
}

// CallbackQueueParams say which open call-backs to list.
type CallbackQueueParams struct {
	// AfterDue and AfterID, when Cursor is set, are the due time and
	// task id the list starts after.
	Cursor   bool
	AfterDue time.Time
	AfterID  int64
	Limit    int
	// Lenient reads a stored time that cannot be read as zero and flags
	// it, instead of failing the list.
	Lenient bool
}

// CallbackQueueList returns the open call-backs by due time.
func CallbackQueueList(ctx context.Context, q store.Querier, p CallbackQueueParams) ([]CallbackQueued, error) {
	query, args := CallbackQueueSQL, []any{p.Limit}
	if p.Cursor {
		query, args = CallbackQueuePageSQL, []any{p.AfterDue, p.AfterID, p.Limit}
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]CallbackQueued, 0, p.Limit)
	for rows.Next() {
		var it CallbackQueued
		var placed, due any = &it.PlacedAt, &it.DueAt
		if p.Lenient {
			placed, due = store.LenientTime{T: &it.PlacedAt, Bad: &it.BadPlaced}, store.LenientTime{T: &it.DueAt, Bad: &it.BadDue}
		}
		if err := rows.Scan(&it.TaskID, &it.OrderID, &it.OrderNumber, &it.OrderStatus, placed, &it.CustomerID,
			&it.CustomerName, &it.Phone, &it.Zone, due, &it.Attempts); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// CallbackQueueCount counts the open call-backs and those of them due
// before now; it reads only the open tasks' index.
func CallbackQueueCount(ctx context.Context, q store.Querier, now time.Time) (open int, overdue int, err error) {
	var late *int64
	err = q.QueryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END)
		FROM tasks WHERE kind = 'callback' AND status = 'open'`, now).Scan(&open, &late)
	if late != nil {
		overdue = int(*late)
	}
	return open, overdue, err
}

// CallbackStatsSQL counts the period's call-backs through the index
// tasks_created (kind, created_at). The counting is done by the database:
// reading each task's times out row by row costs far more on SQLite. A
// task's first due time is first_due_at once a retry has moved due_at, else
// due_at. It is exported for a test of its plan.
const CallbackStatsSQL = `SELECT COUNT(*),
	SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'reached' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'no_answer' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'wrong_number' THEN 1 ELSE 0 END),
	SUM(CASE WHEN first_attempt_at IS NOT NULL THEN 1 ELSE 0 END),
	SUM(CASE WHEN first_attempt_at IS NOT NULL OR COALESCE(first_due_at, due_at) < $3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN first_attempt_at <= COALESCE(first_due_at, due_at) THEN 1 ELSE 0 END)
	FROM tasks WHERE kind = 'callback' AND created_at >= $1 AND created_at < $2`

// CallbackTally is what CallbackStatsCount counts of a period's call-backs.
type CallbackTally struct {
	Tasks, Open, Reached, NoAnswer, WrongNumber int
	Attempted                                   int // called at least once
	Due                                         int // called, or due before now
	OnTime                                      int // first called by its first due time
}

// CallbackStatsCount counts the call-backs created in [from, to), now
// deciding which are due.
func CallbackStatsCount(ctx context.Context, q store.Querier, from, to, now time.Time) (CallbackTally, error) {
	var t CallbackTally
	var counts [8]*int64
	err := q.QueryRow(ctx, CallbackStatsSQL, from, to, now).Scan(
		&counts[0], &counts[1], &counts[2], &counts[3], &counts[4], &counts[5], &counts[6], &counts[7])
	if err != nil {
		return t, err
	}
	for i, dst := range []*int{&t.Tasks, &t.Open, &t.Reached, &t.NoAnswer, &t.WrongNumber, &t.Attempted, &t.Due, &t.OnTime} {
		if counts[i] != nil {
			*dst = int(*counts[i])
		}
	}
	return t, nil
}

// CallbackWaitSQL returns the middle waits, in seconds from the order
// placed to the first call, of the period's call-backs (LIMIT $3 OFFSET
// $4): the database sorts them, and only the one or two in the middle
// travel. The difference of two times is the one thing the engines write
// apart. It is exported for a test of its plan.
func CallbackWaitSQL(engine store.Engine) string {
	wait := `CAST(ROUND((julianday(t.first_attempt_at) - julianday(o.placed_at)) * 86400) AS INTEGER)`
	if engine == store.Postgres {
		wait = `CAST(EXTRACT(EPOCH FROM t.first_attempt_at - o.placed_at) AS BIGINT)`
	}
	return `SELECT ` + wait + ` AS wait FROM tasks t JOIN orders o ON o.id = t.order_id
		WHERE t.kind = 'callback' AND t.created_at >= $1 AND t.created_at < $2 AND t.first_attempt_at IS NOT NULL
		ORDER BY wait LIMIT $3 OFFSET $4`
}

// CallbackWaitsParams say which waits CallbackWaits returns: those of the
// call-backs created in [From, To), sorted, Limit of them after Offset.
type CallbackWaitsParams struct {
	Engine        store.Engine
	From, To      time.Time
	Limit, Offset int
}

// CallbackWaits returns waits in seconds from an order placed to its first
// call, as CallbackWaitSQL sorts and cuts them.
func CallbackWaits(ctx context.Context, q store.Querier, p CallbackWaitsParams) ([]int64, error) {
	var out []int64
	err := store.Each(ctx, q, CallbackWaitSQL(p.Engine), []any{p.From, p.To, p.Limit, p.Offset}, func(r store.Rows) error {
		var secs int64
		if err := r.Scan(&secs); err != nil {
			return err
		}
		out = append(out, secs)
		return nil
	})
	return out, err
}

// CallbackDue is an open call-back with where its order goes.
type CallbackDue struct {
	TaskID    int64
	DueAt     time.Time
	CreatedAt time.Time
	Attempts  int
	Address   string // the order's
	Carrier   string // the order's
	City      string // the customer's
	Country   string // the customer's
	Zone      string // the customer's time zone
}

// EachCallbackDue calls fn with the open call-backs due by by, the
// earliest first, at most limit of them.
func EachCallbackDue(ctx context.Context, q store.Querier, by time.Time, limit int, fn func(CallbackDue) error) error {
	return store.Each(ctx, q, `SELECT t.id, t.due_at, t.created_at, t.attempts, o.address, o.carrier, c.city, c.country, c.timezone
		FROM tasks t JOIN orders o ON o.id = t.order_id JOIN customers c ON c.id = o.customer_id
		WHERE t.kind = 'callback' AND t.status = 'open' AND t.due_at <= $1
		ORDER BY t.due_at, t.id LIMIT $2`, []any{by, limit}, func(r store.Rows) error {
		var w CallbackDue
		if err := r.Scan(&w.TaskID, &w.DueAt, &w.CreatedAt, &w.Attempts, &w.Address, &w.Carrier, &w.City, &w.Country, &w.Zone); err != nil {
			return err
		}
		return fn(w)
	})
}
