package web

import (
	"context"
	"sync"
	"time"
)

// watcher polls a signature of some state (the call-back queue, the
// inbox) once a second while anyone listens, and tells every listener
// when it changed. Polling the database rather than an in-process signal
// also catches changes made by another shopcare node on the same
// PostgreSQL; on PostgreSQL a notification of the topic (cluster.Changes)
// reads at once instead of at the next tick.
type watcher[S comparable] struct {
	read     func(context.Context) (S, error)
	interval time.Duration
	wake     func() (<-chan struct{}, func()) // nil: poll only

	mu      sync.Mutex
	subs    map[chan S]struct{}
	running bool
	last    S
}

func newWatcher[S comparable](read func(context.Context) (S, error), wake ...func() (<-chan struct{}, func())) *watcher[S] {
	w := &watcher[S]{read: read, interval: time.Second, subs: map[chan S]struct{}{}}
	if len(wake) > 0 {
		w.wake = wake[0]
	}
	return w
}

// subscribe returns a channel that gets the signature when it changes,
// and the function that ends the subscription.
func (s *watcher[S]) subscribe() (<-chan S, func()) {
	ch := make(chan S, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	if !s.running {
		s.running = true
		s.last, _ = s.read(context.Background())
		go s.run()
	}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}
}

func (s *watcher[S]) run() {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	var woken <-chan struct{}
	if s.wake != nil {
		var unsubscribe func()
		woken, unsubscribe = s.wake()
		defer unsubscribe()
	}
	for {
		select {
		case <-t.C:
		case <-woken:
		}
		sig, err := s.read(context.Background())
		s.mu.Lock()
		if len(s.subs) == 0 {
			s.running = false
			s.mu.Unlock()
			return
		}
		if err == nil && sig != s.last {
			s.last = sig
			for ch := range s.subs {
				select {
				case ch <- sig:
				default: // it has a change to read already
				}
			}
		}
		s.mu.Unlock()
	}
}
