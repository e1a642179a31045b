package web

import (
	_ "embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/review"
)

// reviewsJS is the product-reviews widget a shop puts on its product
// pages (widget/reviews.js): stars, count, average and the latest
// reviews from GET /api/v1/reviews, which words them in the visitor's
// language.
//
//go:embed widget/reviews.js
var reviewsJS []byte

// reviewScript serves GET /reviews.js like /delivery.js: cached an hour,
// loadable from any site.
func (h *Handler) reviewScript(w http.ResponseWriter, r *http.Request) {
	writeWidgetScript(w, r, reviewsJS)
}

// reviewProductPage is the plain page of a product's published reviews:
// the widget's fallback and its "all reviews" link.
type reviewProductPage struct {
	page
	SKU, Name string
	Summary   review.Summary
	// Average is the average in the page's language ("4,6").
	Average string
	Reviews []reviewShown
	Pages   reviewPages
}

// reviewPages are the links to the previous and next page of a list, ""
// when there is none.
type reviewPages struct{ Prev, Next string }

// reviewPagesOf links the pages around page pg of total rows, size a page.
func reviewPagesOf(u *url.URL, pg, total, size int) reviewPages {
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	var out reviewPages
	if pg > 1 {
		out.Prev = link(pg - 1)
	}
	if pg*size < total {
		out.Next = link(pg + 1)
	}
	return out
}

// reviewShown is one published review as a page shows it.
type reviewShown struct {
	review.Review
	Glyphs string
}

// reviewProductPageSize is how many reviews a page of /reviews/{sku}
// shows.
const reviewProductPageSize = 20

// reviewProductPage serves GET /reviews/{sku}: works without JavaScript,
// in the visitor's language (?lang=, else the browser's).
func (h *Handler) reviewProductPage(w http.ResponseWriter, r *http.Request) {
	sku := r.PathValue("sku")
	if sku == "" || len(sku) > 200 {
		h.notFound(w, r)
		return
	}
	lang := h.visitorLanguage(r)
	pg := pageNumber(r)
	sum, err := h.app.Reviews.Summarize(r.Context(), sku)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, total, err := h.app.Reviews.List(r.Context(), review.Query{Status: review.Published, SKU: sku,
		Limit: reviewProductPageSize, Offset: (pg - 1) * reviewProductPageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := reviewProductPage{page: h.page(lang), SKU: sku, Summary: sum, Average: reviewAverage(lang, sum.Average),
		Pages: reviewPagesOf(r.URL, pg, total, reviewProductPageSize)}
	for _, rv := range list {
		if p.Name == "" {
			p.Name = rv.ProductName
		}
		p.Reviews = append(p.Reviews, reviewShown{Review: rv, Glyphs: starGlyphs(rv.Rating)})
	}
	h.render(w, r, http.StatusOK, "review_product", p)
}

// pageNumber is the ?page= of a paged list, 1 when absent or wrong.
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// reviewPhotoPublic serves a published review's photo.
func (h *Handler) reviewPhotoPublic(w http.ResponseWriter, r *http.Request) {
	h.reviewPhoto(w, r, true)
}

// reviewPhotoAdmin serves any review's photo to the moderator.
func (h *Handler) reviewPhotoAdmin(w http.ResponseWriter, r *http.Request, _ *visitor) {
	h.reviewPhoto(w, r, false)
}

func (h *Handler) reviewPhoto(w http.ResponseWriter, r *http.Request, public bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	p, err := h.app.Reviews.Photo(r.Context(), id, public)
	if errors.Is(err, app.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", p.ContentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'")
	if public {
		hd.Set("Cache-Control", "public, max-age=3600")
		hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	} else {
		hd.Set("Cache-Control", "private, no-store")
	}
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.Data)
	}
}

// reviewAverage writes an average rating with one decimal in lang's way:
// "4.6" in English, "4,6" in Russian and Latvian.
func reviewAverage(lang i18n.Lang, avg float64) string {
	s := strconv.FormatFloat(avg, 'f', 1, 64)
	if lang != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
