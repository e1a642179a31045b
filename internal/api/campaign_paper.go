package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
)

// paperPrinter is what the API calls of campaigns on paper.
type paperPrinter interface {
	Letters(ctx context.Context, id int64, size string) ([]byte, error)
	Labels(ctx context.Context, id int64, sheet string) ([]byte, error)
}

func (h *Handler) paper() paperPrinter { return h.app.Campaigns }

// campaignPaperRoutes are the PDFs of a campaign on paper.
func (h *Handler) campaignPaperRoutes() []route {
	read := []auth.Scope{auth.ScopeRead}
	return []route{
		{Method: "GET", Path: "/api/v1/campaigns/{id}/letters.pdf", Tag: "campaigns", Scopes: read, handle: h.campaignLetters,
			Summary: "Print a paper campaign's letters or postcards",
			Description: "A print-ready PDF (application/pdf) of a started paper campaign: one letter (A5) or postcard (A6) " +
				"per customer it was printed for, in their language, addressed to their last order's delivery address, " +
				"sorted by postal code (the same order as the labels). 409 while the campaign is a draft; 422 for a " +
				"campaign on another channel.",
			Query: []param{{Name: "size", Enum: []string{campaign.Letter, campaign.Postcard},
				Description: "a5: letters (the default); a6: postcards."}},
			Status: 200, Errors: []int{s404, s409, s422}},
		{Method: "GET", Path: "/api/v1/campaigns/{id}/labels.pdf", Tag: "campaigns", Scopes: read, handle: h.campaignLabels,
			Summary: "Print a paper campaign's address labels",
			Description: "A print-ready PDF (application/pdf) of the address labels of a started paper campaign on A4 " +
				"label sheets, sorted by postal code: 3x8 (70 × 37 mm) or 2x7 (99.1 × 38.1 mm). 409 while the campaign " +
				"is a draft; 422 for a campaign on another channel.",
			Query: []param{{Name: "sheet", Enum: []string{campaign.Sheet3x8, campaign.Sheet2x7},
				Description: "The label sheet: 3x8 (the default) or 2x7."}},
			Status: 200, Errors: []int{s404, s409, s422}},
	}
}

// campaignLetters serves the letters or postcards PDF.
func (h *Handler) campaignLetters(w http.ResponseWriter, r *http.Request) {
	h.campaignPDF(w, r, "letters", func(id int64) ([]byte, error) {
		return h.paper().Letters(r.Context(), id, r.URL.Query().Get("size"))
	})
}

// campaignLabels serves the address labels PDF.
func (h *Handler) campaignLabels(w http.ResponseWriter, r *http.Request) {
	h.campaignPDF(w, r, "labels", func(id int64) ([]byte, error) {
		return h.paper().Labels(r.Context(), id, r.URL.Query().Get("sheet"))
	})
}

func (h *Handler) campaignPDF(w http.ResponseWriter, r *http.Request, name string, make func(id int64) ([]byte, error)) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, app.ErrNotFound)
		return
	}
	pdf, err := make(id)
	var se *campaign.StateError
	if errors.As(err, &se) {
		// A draft has no recipients to print for yet.
		writeError(w, r, http.StatusConflict, "not_started", se.Error(), "status")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="campaign-`+strconv.FormatInt(id, 10)+`-`+name+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}
