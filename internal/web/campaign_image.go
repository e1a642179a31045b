package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/campaign"
)

// campaignImages is what /ci/{token} calls of the campaigns.
type campaignImages interface {
	ImageData(ctx context.Context, token string) (campaign.Image, []byte, error)
}

// handleCampaignImages registers /ci/{token}: the images of campaigns'
// content, for the customers' mail programs.
func (h *Handler) handleCampaignImages(mux *http.ServeMux) {
	mux.HandleFunc("GET /ci/{token}", h.campaignImage)
}

// campaignImage serves an image of a campaign's content. Its token is
// random and its bytes never change, so it is cached for a year by
// anyone (mail providers' image proxies included); the type is the one
// sniffed at upload, never guessed again by the browser.
func (h *Handler) campaignImage(w http.ResponseWriter, r *http.Request) {
	var c campaignImages = h.app.Campaigns
	img, data, err := c.ImageData(r.Context(), r.PathValue("token"))
	if errors.Is(err, campaign.ErrUnknownToken) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	etag := `"` + img.Token + `"`
	hd := w.Header()
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", etag)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Type", img.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
