package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/task"
)

// maxSideOrders bounds the customer's orders shown beside a conversation:
// the latest ones, which are what customers write about.
const maxSideOrders = 5

// inboxMessage is one message of a conversation as the page shows it.
type inboxMessage struct {
	inbox.Message
	// Author is who wrote it: the customer's name, the operator's, or ""
	// for the shop's automatic acknowledgement.
	Author string
	// Full is the whole text when the visible part leaves some out (the
	// quoted history, the signature); "" when there is nothing more.
	Full string
	// Body is what the page shows first.
	Body string
	// Files are its attachments, each with its size in kilobytes.
	Files []inboxFile
}

// inboxFile is an attachment as the page links it.
type inboxFile struct {
	ID   int64
	Name string
	KB   int64
}

// inboxOrder is one of the customer's orders beside the conversation:
// its status, promise and parcels, as the order's page shows them.
type inboxOrder struct {
	*order.Order
	State   order.PromiseState
	Parcels []parcelView
	// About marks the order the conversation is about.
	About bool
}

// inboxShowPage is one conversation: its messages, the customer's orders
// beside them, and the actions.
type inboxShowPage struct {
	adminPage
	Conv     inboxRow
	Messages []inboxMessage
	Customer *customer.Customer
	Orders   []inboxOrder
	People   []assignee
	Canned   []string
	// Signer is the name the visitor's replies are signed with; "" when
	// they have not set one (the shop signs alone).
	Signer string
	// CanReply tells whether a channel can carry an answer.
	CanReply bool
	// Reply and Note are the forms' texts, sent back with an error or
	// filled with a canned reply.
	Reply, Note string
	// Query and Matches are the search for the customer to link an
	// unknown sender to.
	Query     string
	Matches   []*customer.Customer
	TaskKinds []task.Kind
	// SnoozeDate is the date field's first value: the day after
	// tomorrow, shop-local.
	SnoozeDate string
	// Error says what was wrong with a form, in the page's language;
	// ErrorField names the form's field.
	Error, ErrorField string
	// Rating is the customer's satisfaction rating, nil when none was
	// asked for; CanAskRating tells whether the shop has the public URL
	// the rating links need.
	Rating       *inbox.Rating
	CanAskRating bool
}

// inboxShow shows a conversation. An htmx request (the live refresh)
// gets only the messages and the side panel, so a reply being typed is
// never lost.
func (h *Handler) inboxShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.inboxShowData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") != "" {
		p.Flash = "admin.saved"
	}
	if r.Header.Get("HX-Request") != "" && r.URL.Query().Get("part") == "thread" {
		h.renderPart(w, r, "inbox_show", "thread", p)
		return
	}
	h.render(w, r, http.StatusOK, "inbox_show", p)
}

// conversationID reads the path's {id}; a malformed one is a 404.
func conversationID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.ErrNotFound
	}
	return id, nil
}

func (h *Handler) inboxShowData(r *http.Request, v *visitor) (*inboxShowPage, error) {
	id, err := conversationID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	c, err := h.app.Inbox.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := h.inboxRows(ctx, v.Lang, []inbox.Conversation{*c})
	if err != nil {
		return nil, err
	}
	p := &inboxShowPage{adminPage: h.adminPage(v, inboxArea), Conv: rows[0], CanReply: h.canAnswer(c),
		TaskKinds: []task.Kind{task.Callback, task.FindParcel}}
	p.current("/inbox")
	people, err := h.people(ctx)
	if err != nil {
		return nil, err
	}
	p.People = people.assignees(c.Language)
	if me, ok := people.find(v.User.ID); ok {
		p.Signer = me.Name
	}
	ms, err := h.app.Inbox.Messages(ctx, id)
	if err != nil {
		return nil, err
	}
	p.Messages = make([]inboxMessage, len(ms))
	for i, m := range ms {
		p.Messages[i] = messageView(m, people, p.Conv.Who)
	}
	if c.CustomerID != 0 {
		if p.Customer, err = h.customers.Get(ctx, c.CustomerID); err != nil && !isNotFound(err) {
			return nil, err
		}
	}
	if p.Orders, err = h.sideOrders(ctx, c); err != nil {
		return nil, err
	}
	if p.Rating, err = h.app.Inbox.RatingOf(ctx, id); err != nil {
		return nil, err
	}
	p.CanAskRating = strings.TrimSpace(h.app.Settings.Shop.PublicURL) != ""
	for _, cr := range h.app.Settings.Support.Canned {
		p.Canned = append(p.Canned, cr.Name)
	}
	p.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	if p.Query != "" && len(p.Query) <= 200 {
		if p.Matches, _, err = h.customers.List(ctx, customer.ListFilter{Query: p.Query, Limit: 10}); err != nil {
			return nil, err
		}
	}
	p.SnoozeDate = h.app.Clock.Now().In(h.app.Settings.Shop.Location()).AddDate(0, 0, 2).Format("2006-01-02")
	return p, nil
}

// messageView writes a message for the page: its author by name, the
// visible text first and the whole text behind "show quoted text".
func messageView(m inbox.Message, people staff, customerName string) inboxMessage {
	v := inboxMessage{Message: m, Author: m.AuthorName, Body: strings.TrimSpace(m.Visible)}
	whole := strings.TrimSpace(m.Text)
	if v.Body == "" {
		v.Body = whole
	}
	for _, a := range m.Attachments {
		v.Files = append(v.Files, inboxFile{ID: a.ID, Name: attachmentName(a.Name), KB: (a.Size + 1023) / 1024})
	}
	if m.Direction == inbox.In && whole != v.Body {
		v.Full = whole
	}
	switch {
	case m.Direction == inbox.In && v.Author == "":
		v.Author = customerName
	case m.Direction != inbox.In && m.AuthorUserID != 0:
		if n := people.name(m.AuthorUserID); n != "" {
			v.Author = n
		}
	case m.Auto == inbox.AutoAck || m.Auto == inbox.AutoRating:
		v.Author = ""
	}
	return v
}

// sideOrders returns the orders beside a conversation: the one it is
// about first, then the customer's latest.
func (h *Handler) sideOrders(ctx context.Context, c *inbox.Conversation) ([]inboxOrder, error) {
	var ids []int64
	if c.OrderID != 0 {
		ids = append(ids, c.OrderID)
	}
	if c.CustomerID != 0 {
		items, _, err := h.orders.List(ctx, order.ListFilter{CustomerID: c.CustomerID, Limit: maxSideOrders})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !slices.Contains(ids, it.ID) && len(ids) < maxSideOrders {
				ids = append(ids, it.ID)
			}
		}
	}
	today, grace := h.orders.Today(), h.app.Settings.Compensation.LateGraceDays
	out := make([]inboxOrder, 0, len(ids))
	for _, id := range ids {
		o, err := h.orders.Get(ctx, id)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		io := inboxOrder{Order: o, State: o.PromiseState(today, grace), About: id == c.OrderID}
		if io.Parcels, err = h.orderParcels(ctx, id); err != nil {
			return nil, err
		}
		out = append(out, io)
	}
	return out, nil
}

// canAnswer tells whether a configured channel can carry an answer to
// the conversation: its own channel, and e-mail for a web form that gave
// an e-mail address (as the service routes it).
func (h *Handler) canAnswer(c *inbox.Conversation) bool {
	ch := h.app.Settings.Channels
	switch c.Channel {
	case inbox.ChannelEmail:
		return ch.Email.SMTPURL != ""
	case inbox.ChannelTelegram:
		return ch.Telegram.BotToken != ""
	case inbox.ChannelWeb:
		return ch.Email.SMTPURL != "" && strings.Contains(c.Address, "@")
	}
	return false
}
