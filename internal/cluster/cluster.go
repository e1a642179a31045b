// Package cluster lets several shopcare nodes share one PostgreSQL
// database: an Elector picks the one node that runs the in-process
// singletons (the IMAP poller, the SMTP listener, the Telegram
// long-poller), and Changes wakes every node when another changed data
// it shows live or settings it runs on. On SQLite the process is alone:
// it always leads and nothing ever needs to wake it.
//
// Both hold a connection of their own, outside the pool: a session-level
// advisory lock and LISTEN belong to one server session, which a pool
// would hand to someone else.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shopcare/shopcare/internal/store"
)

// LeaderLock is the second key of the PostgreSQL advisory lock the
// leader holds; the first is a hash of the schema's name, so that shops
// in two schemas of one database (and parallel tests) elect their own
// leaders. pg_locks shows it as objid 26.
const LeaderLock int32 = 26

// Elector decides which node leads.
type Elector struct {
	db  *store.DB
	log *slog.Logger
	// Retry is how often a follower tries to take the lead, and how often
	// the leader checks that its connection (and so its lock) lives.
	Retry time.Duration
}

// NewElector returns the elector of db's nodes.
func NewElector(db *store.DB, log *slog.Logger) *Elector {
	return &Elector{db: db, log: log.With("component", "leader"), Retry: 2 * time.Second}
}

// Run calls lead with a context that ends when this node stops leading,
// each time it becomes the leader, until ctx ends; it returns once lead
// has returned. On SQLite it leads at once and until ctx ends. On
// PostgreSQL it leads while it holds LeaderLock on a connection of its
// own: a node killed or cut off loses the connection and so the lock,
// and a follower takes it within Retry. A leader that finds its
// connection broken stops leading (lead's context ends) before it tries
// again, so two nodes never lead at once for longer than Retry (when the
// server ends a session the node has not yet noticed).
func (e *Elector) Run(ctx context.Context, lead func(ctx context.Context)) {
	if e.db.Engine() != store.Postgres {
		lead(ctx)
		return
	}
	for ctx.Err() == nil {
		conn, err := e.connect(ctx)
		if err != nil {
			if ctx.Err() == nil {
				e.log.Warn("connect to elect a leader", "err", err)
			}
			sleep(ctx, e.Retry)
			continue
		}
		e.follow(ctx, conn, lead)
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = conn.Close(closeCtx) // closing the session releases the lock
		cancel()
	}
}

// follow tries for the lock every Retry and leads while it holds it;
// it returns when the connection fails or ctx ends.
func (e *Elector) follow(ctx context.Context, conn *pgx.Conn, lead func(ctx context.Context)) {
	for ctx.Err() == nil {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext(current_schema()), $1)`, LeaderLock).Scan(&got); err != nil {
			if ctx.Err() == nil {
				e.log.Warn("try to lead", "err", err)
			}
			return
		}
		if got {
			e.leadWhileHeld(ctx, conn, lead)
			return
		}
		sleep(ctx, e.Retry)
	}
}

func (e *Elector) leadWhileHeld(ctx context.Context, conn *pgx.Conn, lead func(ctx context.Context)) {
	e.log.Info("leading: this node runs the mail and Telegram pollers")
	leading, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lead(leading)
	}()
	t := time.NewTicker(e.Retry)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
		case <-done:
			<-ctx.Done() // lead returned early: keep the lock until the end
		case <-t.C:
			check, cancel := context.WithTimeout(ctx, e.Retry)
			err := conn.Ping(check)
			cancel()
			if err == nil {
				continue
			}
			if ctx.Err() == nil {
				e.log.Warn("lost the leader's connection: stop leading", "err", err)
			}
		}
		stop()
		<-done
		if ctx.Err() == nil {
			e.log.Info("no longer leading")
		}
		return
	}
}

// connect opens a connection outside the pool, with the pool's settings.
func (e *Elector) connect(ctx context.Context) (*pgx.Conn, error) {
	return connect(ctx, e.db)
}

func connect(ctx context.Context, db *store.DB) (*pgx.Conn, error) {
	pool := db.PgxPool()
	if pool == nil {
		return nil, errors.New("not a PostgreSQL database")
	}
	c, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return c, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// The topics of Changes: what the payload of a notification names.
const (
	TopicSettings  = "settings"  // a settings version was saved
	TopicCallbacks = "callbacks" // a task or an order note changed
	TopicInbox     = "inbox"     // a conversation or its messages changed
)

// Channel is the PostgreSQL notification channel of Changes; the
// database's triggers (migration 00043) notify on it.
const Channel = "shopcare_changes"

// Changes wakes subscribers when another node (or this one) changed the
// data of a topic. It is a hint, never the data: subscribers read the
// database and keep polling as well, so a notification lost to a broken
// connection only delays them. On SQLite it never wakes anyone.
type Changes struct {
	db  *store.DB
	log *slog.Logger

	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}

	stop context.CancelFunc
	done chan struct{}
}

// NewChanges returns the change notifications of db; Start listens.
func NewChanges(db *store.DB, log *slog.Logger) *Changes {
	return &Changes{db: db, log: log.With("component", "changes"), subs: map[string]map[chan struct{}]struct{}{}}
}

// Subscribe returns a channel that receives (without blocking the
// sender; one pending wake at most) when topic changes, and the function
// that ends the subscription. A nil *Changes returns a channel that
// never receives.
func (c *Changes) Subscribe(topic string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	if c == nil {
		return ch, func() {}
	}
	c.mu.Lock()
	if c.subs[topic] == nil {
		c.subs[topic] = map[chan struct{}]struct{}{}
	}
	c.subs[topic][ch] = struct{}{}
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		delete(c.subs[topic], ch)
		c.mu.Unlock()
	}
}

// wake tells the topic's subscribers.
func (c *Changes) wake(topic string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ch := range c.subs[topic] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Start listens on PostgreSQL until Stop; on SQLite it does nothing.
func (c *Changes) Start(ctx context.Context) {
	if c == nil || c.db.Engine() != store.Postgres {
		return
	}
	ctx, c.stop = context.WithCancel(context.WithoutCancel(ctx))
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		for ctx.Err() == nil {
			if err := c.listen(ctx); err != nil && ctx.Err() == nil {
				c.log.Warn("listen for other nodes' changes", "err", err)
			}
			sleep(ctx, 2*time.Second)
		}
	}()
}

// Stop ends listening.
func (c *Changes) Stop() {
	if c == nil || c.stop == nil {
		return
	}
	c.stop()
	<-c.done
}

// listen holds one LISTEN connection until it fails. Every topic is
// woken when it (re)connects: what changed while it was away is
// noticed at once.
func (c *Changes) listen(ctx context.Context) error {
	conn, err := connect(ctx, c.db)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = conn.Close(closeCtx)
		cancel()
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	for _, t := range []string{TopicSettings, TopicCallbacks, TopicInbox} {
		c.wake(t)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for a notification: %w", err)
		}
		c.wake(n.Payload)
	}
}
