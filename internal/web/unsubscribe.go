package web

import (
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/message"
)

// unsubscribePage is the page behind a message's unsubscribe link.
type unsubscribePage struct {
	page
	// Done is "" while asking, else what was done: "marketing" or "all".
	Done string
}

// unsubscribeShow asks before opting out: a link opened by a mail
// scanner must not unsubscribe anyone.
func (h *Handler) unsubscribeShow(w http.ResponseWriter, r *http.Request) {
	if h.campaignUnsubscribe(w, r) {
		return
	}
	m, err := h.messages.GetByUnsubscribeToken(r.Context(), r.PathValue("token"))
	if err != nil {
		h.unsubscribeFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, m.Language)
	h.render(w, r, http.StatusOK, "unsubscribe", unsubscribePage{page: h.page(lang)})
}

// unsubscribeSave stops marketing to the customer: the page's first
// button, and the one-click POST of RFC 8058 that mail programs send for
// the List-Unsubscribe-Post header (its body names no scope). Order news
// keeps coming. The page's second button (scope=all) is the explicit
// choice to stop every message, order news included.
func (h *Handler) unsubscribeSave(w http.ResponseWriter, r *http.Request) {
	if h.campaignUnsubscribe(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	stop, done := h.messages.Unsubscribe, "marketing"
	if r.PostFormValue("scope") == "all" {
		stop, done = h.messages.StopAll, "all"
	}
	m, err := stop(r.Context(), r.PathValue("token"), h.app.Clock.Now())
	if err != nil {
		h.unsubscribeFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, m.Language)
	h.render(w, r, http.StatusOK, "unsubscribe", unsubscribePage{page: h.page(lang), Done: done})
}

func (h *Handler) unsubscribeFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, message.ErrUnknownToken) {
		h.notFound(w, r)
		return
	}
	h.fail(w, r, err)
}
