package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/review"
)

// reviewListJSON is a page of reviews with the product's figures and the
// widget's texts in the language asked for.
type reviewListJSON struct {
	SKU     string  `json:"sku"`
	Lang    string  `json:"lang"`
	Status  string  `json:"status"`
	Count   int     `json:"count"`
	Average float64 `json:"average"`
	// Stars counts the published reviews by rating: stars[0] is one star.
	Stars   [5]int              `json:"stars"`
	Total   int                 `json:"total"`
	Limit   int                 `json:"limit"`
	Offset  int                 `json:"offset"`
	Reviews []productReviewJSON `json:"reviews"`
	// PageURL is the plain page of the product's reviews.
	PageURL    string          `json:"page_url"`
	BrandColor string          `json:"brand_color,omitempty"`
	Texts      reviewTextsJSON `json:"texts"`
}

// reviewTextsJSON are the widget's words in the language asked for.
type reviewTextsJSON struct {
	Summary  string `json:"summary"`
	Verified string `json:"verified"`
	Reply    string `json:"reply"`
	All      string `json:"all"`
	Policy   string `json:"policy"`
}

// productReviewJSON is one review. Verified is always true: every review comes
// from the order it was written for. OrderID, CustomerID, Status and
// RejectReason only come with a token.
type productReviewJSON struct {
	ID           int64      `json:"id"`
	SKU          string     `json:"sku"`
	ProductName  string     `json:"product_name"`
	Rating       int        `json:"rating"`
	RatingText   string     `json:"rating_text"`
	Text         string     `json:"text"`
	Author       string     `json:"author"`
	Language     string     `json:"language"`
	Verified     bool       `json:"verified"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
	PublishedOn  string     `json:"published_on,omitempty"`
	Reply        string     `json:"reply,omitempty"`
	ReplyAt      *time.Time `json:"reply_at,omitempty"`
	PhotoURL     string     `json:"photo_url,omitempty"`
	PhotoAlt     string     `json:"photo_alt,omitempty"`
	Status       string     `json:"status,omitempty"`
	RejectReason string     `json:"reject_reason,omitempty"`
	OrderID      int64      `json:"order_id,omitempty"`
	CustomerID   int64      `json:"customer_id,omitempty"`
}

// reviewQuery reads and checks the list's parameters; errors name the
// parameter.
func reviewQuery(q url.Values) (review.Query, i18n.Lang, error) {
	var errs invalid.List
	for _, name := range []string{"sku", "status", "limit", "offset", "lang"} {
		errs.CheckText(name, q.Get(name))
	}
	if err := errs.Err(); err != nil {
		return review.Query{}, "", err
	}
	out := review.Query{SKU: strings.TrimSpace(q.Get("sku")), Status: strings.TrimSpace(q.Get("status")), Limit: 20}
	if out.Status == "" {
		out.Status = review.Published
	} else if !slices.Contains(review.Statuses, out.Status) {
		errs.Add("status", "invalid", "%q is not a state: use %s", out.Status, strings.Join(review.Statuses, ", "))
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > review.MaxLimit {
			errs.Add("limit", "invalid", "must be a whole number from 1 to %d", review.MaxLimit)
		}
		out.Limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1_000_000 {
			errs.Add("offset", "invalid", "must be a whole number from 0 to 1000000")
		}
		out.Offset = n
	}
	lang := i18n.EN
	if l := strings.TrimSpace(q.Get("lang")); l != "" {
		var ok bool
		if lang, ok = i18n.Parse(l); !ok {
			errs.Add("lang", "unknown", "%q is not a language shopcare speaks: ru, lv or en", l)
		}
	}
	return out, lang, errs.Err()
}

// reviewList serves GET /api/v1/reviews: published reviews to anyone
// (the widget), the other states behind a token.
func (h *Handler) reviewList(w http.ResponseWriter, r *http.Request) {
	q, _, err := reviewQuery(r.URL.Query())
	if err == nil && q.Status != review.Published {
		h.authed(func(w http.ResponseWriter, r *http.Request) { h.reviewAnswer(w, r, true) }).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	h.reviewAnswer(w, r, false)
}

func (h *Handler) reviewAnswer(w http.ResponseWriter, r *http.Request, private bool) {
	q, lang, err := reviewQuery(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sum, err := h.app.Reviews.Summarize(r.Context(), q.SKU)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, total, err := h.app.Reviews.List(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := strings.TrimRight(h.app.Settings.Shop.PublicURL, "/")
	loc := h.app.Settings.Shop.Location()
	avg := strconv.FormatFloat(sum.Average, 'f', 1, 64)
	if lang != i18n.EN {
		avg = strings.Replace(avg, ".", ",", 1)
	}
	out := reviewListJSON{SKU: q.SKU, Lang: string(lang), Status: q.Status, Count: sum.Count, Average: sum.Average,
		Stars: sum.Stars, Total: total, Limit: q.Limit, Offset: q.Offset, Reviews: []productReviewJSON{},
		BrandColor: h.app.Settings.Shop.BrandColor,
		Texts: reviewTextsJSON{Summary: i18n.Text(lang, "review.product.summary", map[string]any{"Count": sum.Count, "Average": avg}),
			Verified: i18n.Text(lang, "review.verified", nil), Reply: i18n.Text(lang, "review.reply", nil),
			All:    i18n.Text(lang, "review.product.all", nil),
			Policy: i18n.Text(lang, "review.policy", nil)}}
	if q.SKU != "" {
		out.PageURL = base + "/reviews/" + url.PathEscape(q.SKU) + "?lang=" + string(lang)
	}
	for _, rv := range list {
		v := productReviewJSON{ID: rv.ID, SKU: rv.SKU, ProductName: rv.ProductName, Rating: rv.Rating,
			RatingText: i18n.Text(lang, "review.stars", map[string]any{"Count": rv.Rating}), Text: rv.Text, Author: rv.Author,
			Language: rv.Language, Verified: true, Reply: rv.Reply}
		if rv.PublishedAt != nil {
			at := rv.PublishedAt.In(loc)
			v.PublishedAt, v.PublishedOn = &at, i18n.FormatDayShort(lang, calendar.DayOf(at))
		}
		if rv.ReplyAt != nil {
			at := rv.ReplyAt.In(loc)
			v.ReplyAt = &at
		}
		if rv.Photo != nil && rv.Status == review.Published {
			v.PhotoURL = base + "/rv/photo/" + strconv.FormatInt(rv.ID, 10)
			v.PhotoAlt = i18n.Text(lang, "review.photo_alt", map[string]any{"Name": rv.ProductName})
		}
		if private {
			v.Status, v.RejectReason, v.OrderID, v.CustomerID = rv.Status, rv.RejectReason, rv.OrderID, rv.CustomerID
		}
		out.Reviews = append(out.Reviews, v)
	}
	writeJSON(w, http.StatusOK, out)
}
