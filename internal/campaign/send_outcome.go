package campaign

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// collector writes a batch's outcomes in groups (every flushEvery
// outcomes or flushAfter), so that a crash leaves at most one group's
// messages unrecorded: they go again after the lease, with the same
// Message-ID. Its writes outlive the job's context: a message the
// channel took must be recorded even when the job is stopping.
type collector struct {
	s   *Service
	id  int64
	ctx context.Context

	in   chan outcome
	done chan error
	once sync.Once
}

func newCollector(ctx context.Context, s *Service, id int64) *collector {
	c := &collector{s: s, id: id, ctx: context.WithoutCancel(ctx), in: make(chan outcome, flushEvery), done: make(chan error, 1)}
	go c.loop()
	return c
}

func (c *collector) add(o outcome) { c.in <- o }

// close flushes what is left and returns the first write's error.
func (c *collector) close() error {
	c.once.Do(func() { close(c.in) })
	return <-c.done
}

func (c *collector) loop() {
	var group []outcome
	var failed error
	t := time.NewTicker(flushAfter)
	defer t.Stop()
	flush := func() {
		if len(group) == 0 || failed != nil {
			group = group[:0]
			return
		}
		failed = c.s.record(c.ctx, c.id, group)
		group = group[:0]
	}
	for {
		select {
		case o, ok := <-c.in:
			if !ok {
				flush()
				c.done <- failed
				return
			}
			group = append(group, o)
			if len(group) >= flushEvery {
				flush()
			}
		case <-t.C:
			flush()
		}
	}
}

// outcomeKey groups outcomes written by one statement.
type outcomeKey struct {
	kind, reason, language string
	due                    time.Time
}

// record writes a group of outcomes in one transaction: the recipients
// still under this run's lease (status sending) take their new status.
func (s *Service) record(ctx context.Context, id int64, group []outcome) error {
	now := s.deps.Clock.Now()
	byKey := map[outcomeKey][]int64{}
	var bad []outcome
	for _, o := range group {
		k := outcomeKey{kind: o.kind, language: o.language, due: o.due}
		if o.kind == "failed" || o.kind == "suppressed" {
			k.reason = truncate(o.reason, 500)
		}
		if o.kind != "sent" {
			k.language = ""
		}
		byKey[k] = append(byKey[k], o.customer)
		if o.permanent {
			bad = append(bad, o)
		}
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for k, ids := range byKey {
			var query string
			var args []any
			switch k.kind {
			case "sent":
				query, args = `status = 'sent', sent_at = $2, language = $3, reason = '', claimed_until = 0`, []any{now, k.language}
			case "failed":
				query, args = `status = 'failed', reason = $2, claimed_until = 0`, []any{k.reason}
			case "suppressed":
				query, args = `status = 'suppressed', reason = $2, claimed_until = 0, attempts = attempts - 1`, []any{k.reason}
			case "retry":
				// A temporary failure: again later, until maxAttempts.
				query = `status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'pending' END,
					reason = CASE WHEN attempts >= $2 THEN 'temporary failure' ELSE '' END,
					due_at = $3, claimed_until = 0`
				args = []any{maxAttempts, now.Add(time.Minute)}
			case "defer":
				// Outside the customer's hours: at their next contact
				// time; not an attempt.
				query, args = `status = 'pending', due_at = $2, claimed_until = 0, attempts = attempts - 1`, []any{k.due}
			default: // release: not handed over (throttled, stopping)
				query, args = `status = 'pending', claimed_until = 0, attempts = attempts - 1`, nil
			}
			fixed := append([]any{id}, args...)
			err := store.QueryIn(ctx, tx, `UPDATE campaign_recipients SET `+query+`
				WHERE campaign_id = $1 AND status = 'sending' AND customer_id IN (IN_LIST)`, fixed, ids, nil)
			if err != nil {
				return err
			}
		}
		for _, o := range bad {
			if err := message.RecordFailure(ctx, tx, o.customer, s.channelOf(ctx, tx, id), o.reason, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record outcomes of campaign %d: %w", id, err)
	}
	return nil
}

// channelOf is campaign id's channel.
func (s *Service) channelOf(ctx context.Context, q store.Querier, id int64) string {
	var ch string
	_ = q.QueryRow(ctx, `SELECT channel FROM campaigns WHERE id = $1`, id).Scan(&ch)
	return ch
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
