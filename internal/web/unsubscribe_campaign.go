package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/campaign"
)

// campaignUnsubscriber is what /u/{token} calls of the campaigns: their
// messages' unsubscribe links are signed, stateless tokens of their own.
type campaignUnsubscriber interface {
	UnsubscribeCustomer(ctx context.Context, token string) (customerID int64, language string, err error)
	Unsubscribe(ctx context.Context, token string) (customerID int64, err error)
	StopAll(ctx context.Context, token string) (customerID int64, err error)
}

// campaignUnsubscribe answers /u/{token} when the token is a campaign's
// (GET: the page asking; POST: the opt-out, the page's buttons and RFC
// 8058's one-click) and reports whether it did; any other token is left
// to the journey's messages.
func (h *Handler) campaignUnsubscribe(w http.ResponseWriter, r *http.Request) bool {
	var c campaignUnsubscriber = h.app.Campaigns
	if h.app.Campaigns == nil {
		return false
	}
	token := r.PathValue("token")
	_, lang, err := c.UnsubscribeCustomer(r.Context(), token)
	if errors.Is(err, campaign.ErrUnknownToken) {
		return false
	}
	if err != nil {
		h.fail(w, r, err)
		return true
	}
	done := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		stop, scope := c.Unsubscribe, "marketing"
		if r.PostFormValue("scope") == "all" {
			stop, scope = c.StopAll, "all"
		}
		if _, err := stop(r.Context(), token); err != nil {
			h.fail(w, r, err)
			return true
		}
		done = scope
	}
	h.render(w, r, http.StatusOK, "unsubscribe", unsubscribePage{page: h.page(h.customerLanguage(r, lang)), Done: done})
	return true
}
