package web

import (
	"fmt"
	"net/http"
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
