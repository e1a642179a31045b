package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/task"
)

// inboxErrors are the text ids of what can be wrong with a form of the
// conversation page, by field.
var inboxErrors = map[string]string{
	"text":        "admin.inbox.error.text",
	"channel":     "admin.inbox.error.channel",
	"assignee":    "admin.inbox.error.assignee",
	"until":       "admin.inbox.error.until",
	"date":        "admin.inbox.error.date",
	"customer_id": "admin.inbox.error.customer",
	"kind":        "admin.inbox.error.kind",
	"order_id":    "admin.inbox.error.order",
	"canned":      "admin.inbox.error.canned",
	"closed":      "admin.inbox.error.closed",
	"public_url":  "admin.inbox.error.public_url",
}

// inboxError says what was wrong with a form's field, in lang.
func inboxError(lang i18n.Lang, field string) string {
	id, ok := inboxErrors[field]
	if !ok {
		id = "admin.inbox.error.other"
	}
	return i18n.Text(lang, id, nil)
}

// inboxAuthor is the visitor as the author of a reply or a note, by the
// name their replies are signed with.
func (h *Handler) inboxAuthor(ctx context.Context, v *visitor) (inbox.Author, error) {
	people, err := h.people(ctx)
	if err != nil {
		return inbox.Author{}, err
	}
	me, _ := people.find(v.User.ID)
	return inbox.Author{UserID: v.User.ID, Name: me.Name}, nil
}

// inboxSave runs one action on a conversation and answers as every form
// of the page does: back to the conversation when it went through; the
// page again with the field marked (422) when a value was wrong, having
// changed nothing; 404 for a conversation that does not exist.
func (h *Handler) inboxSave(w http.ResponseWriter, r *http.Request, v *visitor, what string,
	do func(ctx context.Context, id int64) error) {
	id, err := conversationID(r)
	if err != nil {
		h.notFound(w, r)
		return
	}
	err = do(r.Context(), id)
	var bad *invalid.Error
	switch {
	case err == nil:
		h.log.InfoContext(r.Context(), "conversation "+what, "conversation", id, "user", v.User.Email)
		http.Redirect(w, r, "/inbox/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
		return
	case isNotFound(err):
		h.notFound(w, r)
		return
	case errors.Is(err, inbox.ErrClosed):
		bad = invalid.Field("closed", "closed", "the conversation is closed")
	case !errors.As(err, &bad):
		h.fail(w, r, err)
		return
	}
	p, lerr := h.inboxShowData(r, v)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	p.Error, p.ErrorField = inboxError(v.Lang, bad.Field), bad.Field
	switch what {
	case "reply":
		p.Reply = r.PostFormValue("text")
	case "note":
		p.Note = r.PostFormValue("text")
	}
	h.render(w, r, http.StatusUnprocessableEntity, "inbox_show", p)
}

// inboxReply answers the customer on their channel, signed with the
// visitor's name.
func (h *Handler) inboxReply(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "reply", func(ctx context.Context, id int64) error {
		by, err := h.inboxAuthor(ctx, v)
		if err != nil {
			return err
		}
		_, err = h.app.Inbox.Reply(ctx, id, by, r.PostFormValue("text"))
		return err
	})
}

// inboxNote writes an internal note: never sent.
func (h *Handler) inboxNote(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "note", func(ctx context.Context, id int64) error {
		by, err := h.inboxAuthor(ctx, v)
		if err != nil {
			return err
		}
		_, err = h.app.Inbox.AddNote(ctx, id, by, r.PostFormValue("text"))
		return err
	})
}

// inboxAssign gives the conversation to a person who may use the inbox
// ("me" for the visitor, "0" for nobody).
func (h *Handler) inboxAssign(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "assign", func(ctx context.Context, id int64) error {
		raw := r.PostFormValue("assignee")
		var uid int64
		switch raw {
		case "me":
			uid = v.User.ID
		case "0", "none":
		default:
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n <= 0 {
				return invalid.Field("assignee", "invalid", "%q is not a person", raw)
			}
			uid = n
		}
		if uid != 0 {
			people, err := h.people(ctx)
			if err != nil {
				return err
			}
			if _, ok := people.find(uid); !ok {
				return invalid.Field("assignee", "invalid", "person %d may not answer in the inbox", uid)
			}
		}
		return h.app.Inbox.Assign(ctx, id, uid)
	})
}

// inboxClose closes the conversation; with the box "ask for a rating"
// ticked it sends the customer the one question "how did we do?".
func (h *Handler) inboxClose(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "close", func(ctx context.Context, id int64) error {
		if r.PostFormValue("ask_rating") == "" {
			return h.app.Inbox.Close(ctx, id)
		}
		by, err := h.inboxAuthor(ctx, v)
		if err != nil {
			return err
		}
		err = h.app.Inbox.CloseWith(ctx, id, inbox.CloseOptions{AskRating: true, By: by})
		if errors.Is(err, inbox.ErrNoPublicURL) {
			return invalid.Field("public_url", "required", "%v", err)
		}
		return err
	})
}

// inboxReopen opens it again.
func (h *Handler) inboxReopen(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "reopen", h.app.Inbox.Reopen)
}

// inboxSnooze puts it aside until a preset moment or a date's opening.
func (h *Handler) inboxSnooze(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "snooze", func(ctx context.Context, id int64) error {
		sh := h.app.Settings.Shop
		until, err := parseSnooze(r.PostFormValue("until"), r.PostFormValue("date"), h.app.Clock.Now(), sh.Location(),
			int(sh.WorkingHours.From))
		if err != nil {
			return err
		}
		return h.app.Inbox.Snooze(ctx, id, until)
	})
}

// inboxLink makes a customer the one an unknown sender is.
func (h *Handler) inboxLink(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "link", func(ctx context.Context, id int64) error {
		cid, err := strconv.ParseInt(r.PostFormValue("customer_id"), 10, 64)
		if err != nil || cid <= 0 {
			return invalid.Field("customer_id", "invalid", "%q is not a customer", r.PostFormValue("customer_id"))
		}
		if _, err := h.app.Inbox.Get(ctx, id); err != nil {
			return err
		}
		return h.app.Inbox.Link(ctx, id, cid)
	})
}

// inboxTask makes a task of the conversation: a call-back to the customer
// about one of their orders, or a search for its parcel. One per
// conversation, kind and order: sending the form twice makes one.
func (h *Handler) inboxTask(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.inboxSave(w, r, v, "task", func(ctx context.Context, id int64) error {
		kind := task.Kind(r.PostFormValue("kind"))
		if !slices.Contains([]task.Kind{task.Callback, task.FindParcel}, kind) {
			return invalid.Field("kind", "invalid", "%q is not callback or find_parcel", kind)
		}
		c, err := h.app.Inbox.Get(ctx, id)
		if err != nil {
			return err
		}
		oid, err := strconv.ParseInt(r.PostFormValue("order_id"), 10, 64)
		if err != nil || oid <= 0 {
			return invalid.Field("order_id", "invalid", "%q is not an order", r.PostFormValue("order_id"))
		}
		o, err := h.orders.Get(ctx, oid)
		if isNotFound(err) || err == nil && (c.CustomerID == 0 || o.CustomerID != c.CustomerID) {
			return invalid.Field("order_id", "invalid", "order %d is not the customer's", oid)
		}
		if err != nil {
			return err
		}
		now := h.app.Clock.Now()
		note := strings.TrimSpace(fmt.Sprintf("#%d %s", c.ID, c.Subject))
		_, err = h.tasks.Add(ctx, []task.Task{{Kind: kind, OrderID: o.ID, CustomerID: o.CustomerID,
			DedupeKey: fmt.Sprintf("conv%d:%s:o%d", c.ID, kind, o.ID), DueAt: now, Note: note}}, now)
		return err
	})
}

// inboxCanned inserts a canned reply into the reply box, in the
// conversation's language with its order filled in, after what was
// typed. It changes nothing stored but may give the order its tracking
// link; htmx swaps only the reply form.
func (h *Handler) inboxCanned(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.inboxShowData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.Inbox.Get(r.Context(), p.Conv.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	typed := strings.TrimRight(r.PostFormValue("text"), " \n\r\t")
	text, err := h.cannedReply(r.Context(), c, p.Orders, p.Conv.Who, p.Signer, r.PostFormValue("canned"))
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		status, p.Error, p.ErrorField = http.StatusUnprocessableEntity, inboxError(v.Lang, bad.Field), bad.Field
		p.Reply = typed
	case err != nil:
		h.fail(w, r, err)
		return
	case typed == "":
		p.Reply = text
	default:
		p.Reply = typed + "\n\n" + text
	}
	if r.Header.Get("HX-Request") != "" {
		// htmx swaps only a 2xx answer: the form comes back with its
		// error marked either way, and nothing was stored.
		h.renderPart(w, r, "inbox_show", "reply", p)
		return
	}
	h.render(w, r, status, "inbox_show", p)
}
