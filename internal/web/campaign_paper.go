package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// paperPrinter is what the admin calls of campaigns on paper.
type paperPrinter interface {
	Letters(ctx context.Context, id int64, size string) ([]byte, error)
	Labels(ctx context.Context, id int64, sheet string) ([]byte, error)
}

func (h *Handler) paper() paperPrinter { return h.app.Campaigns }

// campaignPaperRoutes are the PDFs of a campaign on paper: its letters
// (?size=a5) or postcards (?size=a6), and its address labels
// (?sheet=3x8|2x7).
func (h *Handler) campaignPaperRoutes() []adminRoute {
	return []adminRoute{
		{"GET /campaigns/{id}/letters.pdf", auth.AreaCampaigns, h.campaignLetters},
		{"GET /campaigns/{id}/labels.pdf", auth.AreaCampaigns, h.campaignLabels},
	}
}

// campaignLetters serves the letters or postcards of a paper campaign.
func (h *Handler) campaignLetters(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.campaignPDF(w, r, v, "letters", func(id int64) ([]byte, error) {
		return h.paper().Letters(r.Context(), id, r.URL.Query().Get("size"))
	})
}

// campaignLabels serves the address labels of a paper campaign.
func (h *Handler) campaignLabels(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.campaignPDF(w, r, v, "labels", func(id int64) ([]byte, error) {
		return h.paper().Labels(r.Context(), id, r.URL.Query().Get("sheet"))
	})
}

// campaignPDF serves one of the PDFs: a campaign that is not on paper, or
// a size or sheet that does not exist, is the 404 page; a draft, which has
// nobody to print for yet, a plain 409 saying to start it first.
func (h *Handler) campaignPDF(w http.ResponseWriter, r *http.Request, v *visitor, name string, make func(id int64) ([]byte, error)) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	pdf, err := make(id)
	var se *campaign.StateError
	switch {
	case errors.As(err, &se):
		http.Error(w, i18n.Text(v.Lang, "campaign_paper.not_started", nil), http.StatusConflict)
		return
	case err != nil:
		if _, ok := invalid.First(err); ok {
			h.notFound(w, r)
			return
		}
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="campaign-`+strconv.FormatInt(id, 10)+`-`+name+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}
