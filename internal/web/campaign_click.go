package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/campaign"
)

// campaignClicks is what the tracked links' redirect calls of campaigns.
type campaignClicks interface {
	RecordClick(ctx context.Context, token string, c campaign.Click) (string, error)
}

// handleCampaignClicks registers /c/{token}: a tracked link of a
// campaign's or a marketing flow's message.
func (h *Handler) handleCampaignClicks(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{token}", h.campaignClick)
}

// campaignClick serves GET (and HEAD) /c/{token}: it counts the click
// (a HEAD or a prefetch, a click within seconds of the send or a burst
// over the message's links as a scanner's, which counts for nothing) and
// redirects (302) to the link's destination, which the token carries
// signed. A forged or altered token is the 404 page: /c/ is never an
// open redirect.
func (h *Handler) campaignClick(w http.ResponseWriter, r *http.Request) {
	var clicks campaignClicks = h.app.Campaigns
	token := r.PathValue("token")
	if len(token) > campaign.MaxClickToken {
		h.notFound(w, r)
		return
	}
	dest, err := clicks.RecordClick(r.Context(), token, campaign.Click{Prefetch: prefetch(r)})
	switch {
	case errors.Is(err, campaign.ErrClickToken):
		h.notFound(w, r)
		return
	case err != nil && dest == "":
		h.fail(w, r, err)
		return
	case err != nil: // the customer still goes where the shop linked
		h.log.ErrorContext(r.Context(), "record a campaign click", "err", err)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, dest, http.StatusFound)
}
