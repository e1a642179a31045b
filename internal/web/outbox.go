package web

import (
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/message"
)

// outboxPage lists the messages, newest first: what the customers got.
type outboxPage struct {
	adminPage
	Messages []message.Message
	Next     string
	Message  *message.Message
}

func (h *Handler) outboxList(w http.ResponseWriter, r *http.Request, v *visitor) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := message.ListRecent(r.Context(), h.app.DB.Read(), before, 50)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := outboxPage{adminPage: h.adminPage(v, auth.AreaOutbox), Messages: list}
	if len(list) == 50 {
		p.Next = "/outbox?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	h.render(w, r, http.StatusOK, "outbox", p)
}

// outboxShow shows one message as the customer got it.
func (h *Handler) outboxShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	m, err := message.Get(r.Context(), h.app.DB.Read(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "outbox", outboxPage{adminPage: h.adminPage(v, auth.AreaOutbox), Message: m})
}
