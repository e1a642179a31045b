package auth

import (
	"container/list"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Throttle slows down password guessing without ever locking anyone out.
// It keeps two counts of login attempts: per client address (a guesser
// trying many e-mails) and per e-mail and address together (a guesser
// after one account). Past a few free attempts each further one must wait
// a delay that doubles, up to a ceiling; the count is forgotten an hour
// after the last attempt. There is deliberately no count per e-mail
// alone: strangers guessing the owner's password elsewhere must never
// keep the owner, at their own address, from signing in.
//
// A throttle made by Service.Throttle keeps its counts in the database
// (auth_throttle_db.go), so that every node of a shop counts the same
// attempts; one made by NewThrottle keeps them in memory.
//
// Its in-memory table is bounded: when full, the least recently seen entry makes
// room, so a flood of addresses or e-mails costs the oldest entries their
// count, never the whole table. Times come from the caller, which uses
// the real clock: people wait in real seconds, whatever the shop's clock.
// It is safe for concurrent use.
type Throttle struct {
	perAddr, perPair ThrottleRule
	max              int

	mu      sync.Mutex
	entries map[string]*list.Element
	recent  *list.List // of *throttleEntry, the most recently seen first

	// db, when set, holds the counts instead (rate_limits); name tells
	// this throttle's keys from another's there.
	db       *store.DB
	name     string
	attempts atomic.Uint64 // attempts through db, for pruning now and then
}

// ThrottleRule is the slowing down of one kind of count.
type ThrottleRule struct {
	Free   int           // attempts that need no wait
	Base   time.Duration // the wait after the first attempt past Free, doubled after each further one
	Max    time.Duration // the longest wait
	Forget time.Duration // a count idle this long starts again from zero
}

// The default rules: five free guesses at one account from one address,
// twenty from one address (an office behind one address mistypes more),
// then waits of 1 s, 2 s, 4 s… up to 5 minutes per account and 1 minute
// per address.
var (
	PairRule = ThrottleRule{Free: 5, Base: time.Second, Max: 5 * time.Minute, Forget: time.Hour}
	AddrRule = ThrottleRule{Free: 20, Base: time.Second, Max: time.Minute, Forget: time.Hour}
)

// ThrottleEntries bounds the throttle's table: about 200 bytes an entry,
// 20 MB at most.
const ThrottleEntries = 100_000

type throttleEntry struct {
	key   string
	tries int
	last  time.Time // of the last attempt let through
	until time.Time // no attempt before
}

// NewThrottle returns a throttle with the rules, keeping at most size
// entries.
func NewThrottle(perAddr, perPair ThrottleRule, size int) *Throttle {
	return &Throttle{perAddr: perAddr, perPair: perPair, max: max(size, 2),
		entries: map[string]*list.Element{}, recent: list.New()}
}

// Attempt asks whether a login for email from addr may go ahead at now.
// When it may not, it returns how long to wait. An attempt let through
// counts as failed until Succeeded says otherwise, so a burst of
// concurrent guesses cannot all pass before the first is known wrong.
// A throttle in the database that cannot reach it refuses, with a
// short wait: a failing database admits no login anyway.
func (t *Throttle) Attempt(ctx context.Context, addr, email string, now time.Time) (time.Duration, bool) {
	if t.db != nil {
		return t.attemptDB(ctx, addr, email, now)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.entry("addr\x00"+addr, t.perAddr, now)
	p := t.entry("pair\x00"+strings.ToLower(email)+"\x00"+addr, t.perPair, now)
	if wait := max(a.until.Sub(now), p.until.Sub(now)); wait > 0 {
		return wait, false
	}
	t.count(a, t.perAddr, now)
	t.count(p, t.perPair, now)
	return 0, true
}

// Succeeded records that the attempt let through had the right password:
// the e-mail's count at that address starts again, and the address's
// count takes the attempt back (but is not cleared: a guesser with an
// account of their own must not reset it by signing in between guesses).
func (t *Throttle) Succeeded(ctx context.Context, addr, email string) {
	if t.db != nil {
		t.succeededDB(ctx, addr, email)
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.entries["pair\x00"+strings.ToLower(email)+"\x00"+addr]; ok {
		t.drop(el)
	}
	if el, ok := t.entries["addr\x00"+addr]; ok {
		e := el.Value.(*throttleEntry)
		e.tries = max(e.tries-1, 0)
		if e.tries < t.perAddr.Free {
			e.until = time.Time{}
		}
	}
}

// Len returns the number of entries in the in-memory table (0 for a
// throttle in the database).
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// entry finds or makes the key's entry and marks it the most recently
// seen, forgetting a count idle past the rule's Forget and making room
// when the table is full.
func (t *Throttle) entry(key string, rule ThrottleRule, now time.Time) *throttleEntry {
	if el, ok := t.entries[key]; ok {
		t.recent.MoveToFront(el)
		e := el.Value.(*throttleEntry)
		forget(e, rule, now)
		return e
	}
	for len(t.entries) >= t.max {
		t.drop(t.recent.Back())
	}
	e := &throttleEntry{key: key, last: now}
	t.entries[key] = t.recent.PushFront(e)
	return e
}

func (t *Throttle) drop(el *list.Element) {
	delete(t.entries, el.Value.(*throttleEntry).key)
	t.recent.Remove(el)
}

// count adds an attempt let through and sets the wait before the next.
func (t *Throttle) count(e *throttleEntry, rule ThrottleRule, now time.Time) {
	countEntry(e, rule, now)
}

func countEntry(e *throttleEntry, rule ThrottleRule, now time.Time) {
	e.tries++
	e.last = now
	if over := e.tries - rule.Free; over >= 0 {
		wait := rule.Max
		if over < 30 {
			wait = min(rule.Base<<over, rule.Max)
		}
		e.until = now.Add(wait)
	}
}

// forget starts a count idle past the rule's Forget (and past its wait)
// again from zero.
func forget(e *throttleEntry, rule ThrottleRule, now time.Time) {
	if now.Sub(e.last) >= rule.Forget && !now.Before(e.until) {
		e.tries, e.until = 0, time.Time{}
	}
}
