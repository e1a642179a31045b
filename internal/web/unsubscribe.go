package web

import (
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// unsubscribePage is the page behind a message's unsubscribe link.
type unsubscribePage struct {
	page
	Channel string
	Done    bool
}

// unsubscribeShow asks before opting out: a link opened by a mail
// scanner must not unsubscribe anyone.
func (h *Handler) unsubscribeShow(w http.ResponseWriter, r *http.Request) {
	m, err := message.GetByUnsubscribeToken(r.Context(), h.app.DB.Read(), r.PathValue("token"))
	if err != nil {
		h.unsubscribeFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, m.Language)
	h.render(w, r, http.StatusOK, "unsubscribe", unsubscribePage{page: h.page(lang), Channel: m.Channel})
}

// unsubscribeSave opts the customer out of the message's channel: the form
// of the page, and the one-click POST of RFC 8058 that mail programs send
// for the List-Unsubscribe-Post header.
func (h *Handler) unsubscribeSave(w http.ResponseWriter, r *http.Request) {
	var m *message.Message
	err := h.app.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		m, err = message.Unsubscribe(r.Context(), tx, r.PathValue("token"), h.app.Clock.Now())
		return err
	})
	if err != nil {
		h.unsubscribeFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, m.Language)
	h.render(w, r, http.StatusOK, "unsubscribe", unsubscribePage{page: h.page(lang), Channel: m.Channel, Done: true})
}

func (h *Handler) unsubscribeFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, message.ErrUnknownToken) {
		h.notFound(w, r)
		return
	}
	h.fail(w, r, err)
}
