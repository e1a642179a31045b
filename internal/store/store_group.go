package store

import (
	"context"
	"sync"
)

// Group commits concurrent submissions in shared transactions (the order
// and carrier-event intakes): a Submit
// waits at most for the transaction in flight, then goes with all that
// queued behind it. On SQLite, whose one writer makes every commit a
// turn at the disk, this turns many small requests into few transactions.
// A transaction that fails is retried with each submission alone, so one
// bad submission never fails its neighbours.
type Group[T, R any] struct {
	db    *DB
	apply func(ctx context.Context, tx *Tx, items []T) ([]R, error)
	then  func(ctx context.Context, results []R)
	max   int
	queue chan *groupRequest[T, R]
	stop  chan struct{}
	wg    sync.WaitGroup
}

type groupRequest[T, R any] struct {
	// ctx is the submitter's, carried with its request as in
	// http.Request: a committer drops the request of a caller who gave up.
	ctx   context.Context
	items []T
	done  chan groupReply[R]
}

type groupReply[R any] struct {
	results []R
	err     error
}

// NewGroup returns a Group that applies items in a transaction with apply,
// which returns one result per item, in order; max bounds the items of one
// transaction (a single larger submission still goes whole).
func NewGroup[T, R any](db *DB, max int, apply func(ctx context.Context, tx *Tx, items []T) ([]R, error)) *Group[T, R] {
	return &Group[T, R]{db: db, apply: apply, max: max}
}

// Then sets what runs on the results of each transaction once it has
// committed, before the submitters get them (to read back what was
// written, for all of them at once). It runs beside the committer, so
// the next transaction does not wait for it; it may change the results
// in place. Call it before Start.
func (g *Group[T, R]) Then(then func(ctx context.Context, results []R)) *Group[T, R] {
	g.then = then
	return g
}

// Start runs the committers: one on SQLite (one writer), four on PostgreSQL.
// Without Start each Submit commits alone.
func (g *Group[T, R]) Start() {
	g.queue = make(chan *groupRequest[T, R], 4*g.max)
	g.stop = make(chan struct{})
	committers := 1
	if g.db.Engine() == Postgres {
		committers = 4
	}
	for range committers {
		g.wg.Add(1)
		go g.loop()
	}
}

// Stop commits what is queued and returns.
func (g *Group[T, R]) Stop() {
	if g.stop == nil {
		return
	}
	close(g.stop)
	g.wg.Wait()
}

// Submit applies items, together with other submissions, and returns their
// results.
func (g *Group[T, R]) Submit(ctx context.Context, items []T) ([]R, error) {
	if g.queue == nil {
		return g.aloneThen(ctx, items)
	}
	r := &groupRequest[T, R]{ctx: ctx, items: items, done: make(chan groupReply[R], 1)}
	select {
	case g.queue <- r:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	rep := <-r.done
	return rep.results, rep.err
}

func (g *Group[T, R]) alone(ctx context.Context, items []T) ([]R, error) {
	var results []R
	err := g.db.InTx(ctx, func(tx *Tx) error {
		var err error
		results, err = g.apply(ctx, tx, items)
		return err
	})
	return results, err
}

// aloneThen is alone for a Submit without committers: then runs too.
func (g *Group[T, R]) aloneThen(ctx context.Context, items []T) ([]R, error) {
	results, err := g.alone(ctx, items)
	if err == nil && g.then != nil {
		g.then(ctx, results)
	}
	return results, err
}

func (g *Group[T, R]) loop() {
	defer g.wg.Done()
	for {
		var first *groupRequest[T, R]
		select {
		case first = <-g.queue:
		case <-g.stop:
			for {
				select {
				case r := <-g.queue:
					g.commit([]*groupRequest[T, R]{r})
				default:
					return
				}
			}
		}
		group, n := []*groupRequest[T, R]{first}, len(first.items)
	fill:
		for n < g.max {
			select {
			case r := <-g.queue:
				group = append(group, r)
				n += len(r.items)
			default:
				break fill
			}
		}
		g.commit(group)
	}
}

func (g *Group[T, R]) commit(group []*groupRequest[T, R]) {
	live := group[:0]
	var items []T
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done <- groupReply[R]{err: err}
			continue
		}
		live = append(live, r)
		items = append(items, r.items...)
	}
	if len(live) == 0 {
		return
	}
	results, err := g.alone(context.Background(), items)
	if err != nil && len(live) > 1 {
		for _, r := range live {
			g.commit([]*groupRequest[T, R]{r})
		}
		return
	}
	if err == nil && g.then != nil {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			g.then(context.Background(), results)
			g.reply(live, results, nil)
		}()
		return
	}
	g.reply(live, results, err)
}

// reply hands each request its results, or err.
func (g *Group[T, R]) reply(live []*groupRequest[T, R], results []R, err error) {
	off := 0
	for _, r := range live {
		if err != nil {
			r.done <- groupReply[R]{err: err}
			continue
		}
		r.done <- groupReply[R]{results: results[off : off+len(r.items)]}
		off += len(r.items)
	}
}
