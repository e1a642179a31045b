package web

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
)

// inboxEvents streams a server-sent event whenever a conversation
// changes or a message is written, so every open inbox list and
// conversation refreshes at once. One watcher polls the inbox's
// signature for all of them, as the call-back queue's does.
func (h *Handler) inboxEvents(w http.ResponseWriter, r *http.Request, _ *visitor) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives a page's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	changes, stop := h.inboxWatch.subscribe()
	defer stop()
	fmt.Fprint(w, "retry: 3000\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case sig := <-changes:
			fmt.Fprintf(w, "data: %q\n\n", sig)
		case <-heartbeat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// signatureWatcher polls a signature once a second while anyone listens,
// and tells every listener when it changed. Polling the database also
// catches changes made by another shopcare node on the same PostgreSQL.
type signatureWatcher struct {
	read     func(context.Context) (string, error)
	interval time.Duration

	mu      sync.Mutex
	subs    map[chan string]struct{}
	running bool
	last    string
}

func newSignatureWatcher(read func(context.Context) (string, error)) *signatureWatcher {
	return &signatureWatcher{read: read, interval: time.Second, subs: map[chan string]struct{}{}}
}

func (s *signatureWatcher) subscribe() (<-chan string, func()) {
	ch := make(chan string, 1)
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

func (s *signatureWatcher) run() {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for range t.C {
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

// inboxBadge is the menu's count of open and overdue conversations, which
// the layout loads (htmx) on every page of the people who see the inbox.
func (h *Handler) inboxBadge(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, err := h.app.Inbox.Counts(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderPart(w, r, "inbox_list", "badge", struct {
		Lang   i18n.Lang
		Counts inbox.Counts
	}{v.Lang, c})
}
