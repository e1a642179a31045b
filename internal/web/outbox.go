package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify"
)

// outboxPage lists the messages by the time they are (or were) due, the
// latest first: what the customers got and will get.
type outboxPage struct {
	adminPage
	Messages []outboxRow
	Pages    pageLinks
	Message  *message.Message
}

// outboxRow is a message of the list with its times in the shop's and in
// the customer's zone.
type outboxRow struct {
	message.Listed
	// Local is the due time in the customer's zone; LocalZone names it,
	// "" when the customer lives in the shop's zone.
	Local     time.Time
	LocalZone string
}

func (h *Handler) outboxList(w http.ResponseWriter, r *http.Request, v *visitor) {
	qs := r.URL.Query()
	list, more, err := h.messages.ListPage(r.Context(), qs.Get("after"), pageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := outboxPage{adminPage: h.adminPage(v, auth.AreaOutbox)}
	shop := h.app.Settings.Shop.Location()
	last := ""
	for _, m := range list {
		row := outboxRow{Listed: m}
		if loc := notify.Location(m.Zone, shop); loc.String() != shop.String() {
			row.Local, row.LocalZone = m.ScheduledAt.In(loc), loc.String()
		}
		if !m.Unreadable {
			last = m.Cursor()
		}
		p.Messages = append(p.Messages, row)
	}
	p.Pages = newPager("/outbox", qs).links(last, more)
	h.render(w, r, http.StatusOK, "outbox", p)
}

// outboxShow shows one message as the customer got it.
func (h *Handler) outboxShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	m, err := h.messages.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "outbox", outboxPage{adminPage: h.adminPage(v, auth.AreaOutbox), Message: m})
}
