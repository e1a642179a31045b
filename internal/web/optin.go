package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
)

// optInService confirms marketing consents kept pending by double
// opt-in (customer.Service).
type optInService interface {
	Get(ctx context.Context, id int64) (*customer.Customer, error)
	OptInPending(ctx context.Context, o customer.OptIn) (bool, error)
	ConfirmOptIn(ctx context.Context, o customer.OptIn, now time.Time) (bool, error)
}

// optInPage is the page of a confirmation link: the question and its
// button (a POST: the GET a mail scanner makes confirms nothing), or what
// came of it.
type optInPage struct {
	page
	// State is "ask", "done" (confirmed, now or before) or "gone" (the
	// request was withdrawn or replaced by a newer one).
	State string
}

// handleOptIn registers /optin/{token}: the confirmation of a marketing
// e-mail consent (campaigns.double_opt_in).
func (h *Handler) handleOptIn(mux *http.ServeMux) {
	mux.HandleFunc("GET /optin/{token}", h.optInShow)
	mux.Handle("POST /optin/{token}", h.crossOrigin.Handler(http.HandlerFunc(h.optInSave)))
}

// optInParse reads the path's token; a forged one is the 404 page.
func (h *Handler) optInParse(w http.ResponseWriter, r *http.Request) (customer.OptIn, *customer.Customer, bool) {
	o, err := customer.ParseOptIn(h.app.SignIns, r.PathValue("token"))
	if err != nil {
		h.notFound(w, r)
		return o, nil, false
	}
	c, err := h.optIns().Get(r.Context(), o.CustomerID)
	if err != nil {
		h.notFound(w, r) // erased, or of another database
		return o, nil, false
	}
	return o, c, true
}

// optInShow asks the customer to confirm.
func (h *Handler) optInShow(w http.ResponseWriter, r *http.Request) {
	o, c, ok := h.optInParse(w, r)
	if !ok {
		return
	}
	p := optInPage{page: h.page(h.customerLanguage(r, c.Language)), State: "ask"}
	pending, err := h.optIns().OptInPending(r.Context(), o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !pending {
		p.State = h.optInOutcome(r, o)
	}
	h.render(w, r, http.StatusOK, "optin", p)
}

// optInSave records the consent, with the source "double opt-in" and the
// time, and says so.
func (h *Handler) optInSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	o, c, ok := h.optInParse(w, r)
	if !ok {
		return
	}
	p := optInPage{page: h.page(h.customerLanguage(r, c.Language)), State: "done"}
	_, err := h.optIns().ConfirmOptIn(r.Context(), o, h.app.Clock.Now())
	switch {
	case errors.Is(err, customer.ErrNotPending):
		p.State = "gone"
	case err != nil:
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "optin", p)
}

// optInOutcome is what a link no longer pending shows: done when the
// customer confirmed it before, gone when it was withdrawn or replaced.
func (h *Handler) optInOutcome(r *http.Request, o customer.OptIn) string {
	prof, err := h.app.Customers.GetProfile(r.Context(), o.CustomerID)
	if err != nil {
		return "gone"
	}
	for _, ch := range prof.Channels {
		if ch.Channel == o.Channel && ch.Marketing() && strings.HasPrefix(ch.MarketingConsentSource, customer.ConsentSourceDoubleOptIn) {
			return "done"
		}
	}
	return "gone"
}

// optIns is the confirmation's service.
func (h *Handler) optIns() optInService { return h.app.Customers }
