package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/task"
)

// callbackQueuePage is the call-back queue, the most urgent first.
type callbackQueuePage struct {
	adminPage
	Items  []callback.Item
	Counts callback.Counts
	Stats  callback.Stats
	Now    time.Time
	Speed  float64 // shop seconds per wall second (the demo's clock)
	// Units, OverdueWords and LeftWords let the page's script count
	// down in the page's language: "d|h|min", "overdue by {}", "in {}".
	Units, OverdueWords, LeftWords string
	Pages                          pageLinks
	// Self is this page's URL, which the live refresh reloads.
	Self string
}

// callbackQueue shows the queue; it refreshes itself (htmx) whenever the
// server-sent events of /callbacks/events say the queue changed.
func (h *Handler) callbackQueue(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.callbackQueueData(r.Context(), v, r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("done") != "" {
		p.Flash = "admin.saved"
	}
	if r.Header.Get("HX-Request") != "" {
		h.renderPart(w, r, "callback_queue", "queue", p)
		return
	}
	h.render(w, r, http.StatusOK, "callback_queue", p)
}

func (h *Handler) callbackQueueData(ctx context.Context, v *visitor, qs url.Values) (*callbackQueuePage, error) {
	pg := newPager("/callbacks", qs)
	items, more, err := h.app.Callbacks.QueuePage(ctx, pg.after, pageSize)
	if err != nil {
		return nil, err
	}
	counts, err := h.app.Callbacks.QueueCounts(ctx)
	if err != nil {
		return nil, err
	}
	now := h.app.Clock.Now()
	stats, err := h.app.Callbacks.Stats(ctx, now.AddDate(0, 0, -30), now)
	if err != nil {
		return nil, err
	}
	p := &callbackQueuePage{adminPage: h.adminPage(v, auth.AreaCallbacks), Items: items, Counts: counts, Stats: stats,
		Now: now, Speed: 1, Self: pg.url(pg.after, pg.back)}
	p.Pages = pg.links(queueCursor(items), more)
	u := i18n.DurationUnits(v.Lang)
	p.Units = strings.Join(u[:], "|")
	p.OverdueWords = i18n.Text(v.Lang, "format.overdue_by", map[string]any{"Duration": "{}"})
	p.LeftWords = i18n.Text(v.Lang, "format.due_in", map[string]any{"Duration": "{}"})
	if s, ok := h.app.Clock.(interface{ Speed() float64 }); ok {
		p.Speed = s.Speed()
	}
	return p, nil
}

// queueCursor is the cursor after a page of the queue: its last row
// whose times could be read, so an unreadable row never sends the next
// page back to the start.
func queueCursor(items []callback.Item) string {
	for i := len(items) - 1; i >= 0; i-- {
		if !items[i].Unreadable {
			return items[i].Cursor()
		}
	}
	return ""
}

// callbackScriptPage is one call-back: the script to read and the
// outcome forms.
type callbackScriptPage struct {
	adminPage
	Script     callback.Script
	Address    string
	Window     string
	Notes      string
	Errors     map[string]string
	ErrorClose bool // the call-back was closed by someone else meanwhile
}

func (h *Handler) callbackShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.callbackScriptData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "callback_show", p)
}

func (h *Handler) callbackScriptData(r *http.Request, v *visitor) (*callbackScriptPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, app.ErrNotFound
	}
	sc, err := h.app.Callbacks.Script(r.Context(), id, v.Lang)
	if err != nil {
		return nil, err
	}
	return &callbackScriptPage{adminPage: h.adminPage(v, auth.AreaCallbacks), Script: sc, Address: sc.Address,
		Window: sc.DeliveryWindow, Errors: map[string]string{}}, nil
}

// callbackOutcomeSave records the outcome of a call: reached (with the
// address, time window and notes), no answer, or wrong number.
func (h *Handler) callbackOutcomeSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	ctx, who := r.Context(), v.User.Email
	switch r.PathValue("outcome") {
	case "reached":
		in := callback.ReachedInput{Address: r.PostFormValue("address"), Window: r.PostFormValue("window"),
			Notes: r.PostFormValue("notes")}
		_, err = h.app.Callbacks.Reached(ctx, id, in, who)
	case "no-answer":
		_, err = h.app.Callbacks.NoAnswer(ctx, id, who)
	case "wrong-number":
		_, err = h.app.Callbacks.WrongNumber(ctx, id, who)
	default:
		h.notFound(w, r)
		return
	}
	if err == nil {
		h.log.InfoContext(r.Context(), "call-back outcome", "task", id, "outcome", r.PathValue("outcome"), "user", who)
		http.Redirect(w, r, "/callbacks?done="+r.PathValue("outcome"), http.StatusSeeOther)
		return
	}
	var list invalid.List
	var one *invalid.Error
	closed := errors.Is(err, callback.ErrTaskClosed)
	if !closed && !errors.As(err, &list) && !errors.As(err, &one) {
		h.fail(w, r, err)
		return
	}
	p, lerr := h.callbackScriptData(r, v)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	p.Address, p.Window, p.Notes, p.ErrorClose = r.PostFormValue("address"), r.PostFormValue("window"), r.PostFormValue("notes"), closed
	if one != nil {
		list = invalid.List{one}
	}
	for _, e := range list {
		p.Errors[e.Field] = e.Code
	}
	h.render(w, r, http.StatusUnprocessableEntity, "callback_show", p)
}

// callbackEvents streams a server-sent event whenever the queue changes
// (a new order, a call made), so every operator's queue refreshes at
// once. One watcher polls the queue's index for all of them.
func (h *Handler) callbackEvents(w http.ResponseWriter, r *http.Request, _ *visitor) {
	rc := http.NewResponseController(w)
	// The server's write timeout is for pages; a stream lives longer.
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	changes, stop := h.queueWatch.subscribe()
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
			fmt.Fprintf(w, "data: {\"open\":%d,\"last\":%d}\n\n", sig.open, sig.last)
		case <-heartbeat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// queueSignature changes whenever a call-back opens or closes.
type queueSignature struct {
	open, last, done int64
}

// queueSignatureOf reads the call-back queue's signature, for its
// watcher.
func queueSignatureOf(tasks callbackTasks, orders orderNotes) func(context.Context) (queueSignature, error) {
	return func(ctx context.Context) (queueSignature, error) {
		var s queueSignature
		var err error
		if s.open, s.last, err = tasks.OpenSignature(ctx, task.Callback); err != nil {
			return s, err
		}
		s.done, err = orders.NoteLastID(ctx)
		return s, err
	}
}

// callbackTasks is what the call-back queue's watcher reads of the tasks.
type callbackTasks interface {
	OpenSignature(ctx context.Context, kind task.Kind) (open, last int64, err error)
}

// orderNotes is what the call-back queue's watcher reads of the orders.
type orderNotes interface {
	NoteLastID(ctx context.Context) (int64, error)
}
