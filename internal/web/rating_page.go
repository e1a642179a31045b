package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
)

// ratingPage is the customer's page of a conversation's rating: the
// thanks for the score with the comment box, the thanks for the comment,
// or the refusal of a broken link.
type ratingPage struct {
	page
	Token    string
	Score    int
	Comment  string
	Saved    bool
	BadScore bool
}

// referralOrRating serves /r/{code}: a link of a rating question carries
// ?score= (its token is the path's code); any other is a customer's
// personal referral link.
func (h *Handler) referralOrRating(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("score") {
		h.ratingShow(w, r)
		return
	}
	h.referralRedirect(w, r)
}

// ratingShow records the score of one click on a rating question's link
// (a later click changes it) and thanks the customer in the
// conversation's language, offering a comment box. An unknown token is
// the 404 page; a score outside 1 to 5 a 422 page that changes nothing.
func (h *Handler) ratingShow(w http.ResponseWriter, r *http.Request) {
	ctx, token := r.Context(), r.PathValue("code")
	g, err := h.app.Inbox.RatingByToken(ctx, token)
	if err != nil {
		h.ratingFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, g.Language)
	score, err := strconv.Atoi(r.URL.Query().Get("score"))
	if err != nil || score < 1 || score > 5 {
		h.render(w, r, http.StatusUnprocessableEntity, "rating", ratingPage{page: h.page(lang), Token: token, BadScore: true})
		return
	}
	if g, err = h.app.Inbox.Rate(ctx, token, score); err != nil {
		h.ratingFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "rating", ratingPage{page: h.page(lang), Token: token, Score: g.Score, Comment: g.Comment})
}

// ratingComment stores the comment of the thank-you page's box.
func (h *Handler) ratingComment(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, inbox.MaxRatingComment+1<<10)
	ctx, token := r.Context(), r.PathValue("code")
	g, err := h.app.Inbox.RatingByToken(ctx, token)
	if err != nil {
		h.ratingFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, g.Language)
	if g.Score == 0 {
		h.render(w, r, http.StatusUnprocessableEntity, "rating", ratingPage{page: h.page(lang), Token: token, BadScore: true})
		return
	}
	comment := r.PostFormValue("comment")
	saved, err := h.app.Inbox.RateComment(ctx, token, comment)
	var bad *invalid.Error
	if errors.As(err, &bad) {
		h.render(w, r, http.StatusUnprocessableEntity, "rating", ratingPage{page: h.page(lang), Token: token, Score: g.Score, Comment: comment})
		return
	}
	if err != nil {
		h.ratingFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "rating", ratingPage{page: h.page(lang), Token: token, Score: saved.Score,
		Comment: saved.Comment, Saved: true})
}

func (h *Handler) ratingFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, inbox.ErrUnknownRating) {
		h.notFound(w, r)
		return
	}
	h.fail(w, r, err)
}
